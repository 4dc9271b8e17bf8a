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
 * pass the word's address to the kernel.
 */
final class ParkedRecord {
    static final int WAITING = 0;
    static final int WOKEN = 1;
    static final int CANCELLED = 2;

    private static final AtomicIntegerFieldUpdater<ParkedRecord> STATE =
            AtomicIntegerFieldUpdater.newUpdater(ParkedRecord.class, "state");

    final Thread thread;
    final SharedBuffer buffer;
    final int offset;
    final long address;
    final int expected;
    final WaitvHelper helper;
    private volatile int state = WAITING;

    ParkedRecord(Thread thread, SharedBuffer buffer, int offset, long address, int expected, WaitvHelper helper) {
        this.thread = thread;
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
     * Helper side: WAITING to WOKEN, then unparks the thread.
     *
     * @return true if this call woke it; false if it had left (or was woken) already
     */
    boolean wake() {
        if (STATE.compareAndSet(this, WAITING, WOKEN)) {
            LockSupport.unpark(thread);
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
