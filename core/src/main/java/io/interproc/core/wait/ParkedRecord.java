package io.interproc.core.wait;

import io.interproc.core.memory.SharedBuffer;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.LockSupport;

/**
 * One thread parked in {@link ParkedWaits#await} on one word. Its state moves once, by CAS:
 * {@link #WAITING} to {@link #WOKEN} (by its {@link WaitvHelper}, which then unparks the thread)
 * or {@link #WAITING} to {@link #CANCELLED} (by the thread itself, leaving on a timeout, an
 * interrupt or a stray unpark). Whoever wins the CAS decides whether the thread consumed a wake.
 * The record holds the {@link SharedBuffer}, so the mapping stays mapped while the helper may
 * pass the word's address to the kernel. A record of an {@link AsyncWaits asynchronous wait} has
 * no thread: waking it runs its callback (on the helper thread, so the callback only hands the
 * work to another thread).
 */
final class ParkedRecord {
    static final int WAITING = 0;
    static final int WOKEN = 1;
    static final int CANCELLED = 2;

    private static final AtomicIntegerFieldUpdater<ParkedRecord> STATE =
            AtomicIntegerFieldUpdater.newUpdater(ParkedRecord.class, "state");

    /** The parked thread, or null for an asynchronous wait. */
    final Thread thread;
    /** For an asynchronous wait: run once when woken; null for a parked thread. */
    final Runnable onWake;
    final SharedBuffer buffer;
    final int offset;
    final long address;
    final int expected;
    final WaitvHelper helper;
    private volatile int state = WAITING;

    ParkedRecord(Thread thread, SharedBuffer buffer, int offset, long address, int expected, WaitvHelper helper) {
        this(thread, null, buffer, offset, address, expected, helper);
    }

    ParkedRecord(Thread thread, Runnable onWake, SharedBuffer buffer, int offset, long address, int expected,
            WaitvHelper helper) {
        this.thread = thread;
        this.onWake = onWake;
        this.buffer = buffer;
        this.offset = offset;
        this.address = address;
        this.expected = expected;
        this.helper = helper;
    }

    /** @return WAITING, WOKEN or CANCELLED */
    int state() {
        return state;
    }

    boolean isWaiting() {
        return state == WAITING;
    }

    /**
     * Helper side: WAITING to WOKEN, then unparks the thread (or runs the callback).
     *
     * @return true if this call woke it; false if it had left (or was woken) already
     */
    boolean wake() {
        if (STATE.compareAndSet(this, WAITING, WOKEN)) {
            if (thread != null) {
                LockSupport.unpark(thread);
            } else {
                onWake.run();
            }
            return true;
        }
        return false;
    }

    /**
     * Thread side: WAITING to CANCELLED.
     *
     * @return true if cancelled; false if the helper woke it first (it consumed a wake)
     */
    boolean cancel() {
        return STATE.compareAndSet(this, WAITING, CANCELLED);
    }
}
