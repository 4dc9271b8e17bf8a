package io.interproc.core.wait;

import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.os.Posix;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * A platform daemon thread that sleeps in {@code futex_waitv} on behalf of parked threads, and
 * the registry that binds each word (by address) to one such helper. The protocol is described in
 * {@link ParkedWaits}; this class implements it.
 *
 * <p>Thread confinement: {@link #words}, {@link #vector} and {@link #inVector} belong to the
 * helper thread. {@link #BINDINGS}, {@link #HELPERS} and {@link #bound} are guarded by
 * {@link #LOCK}. Registrations reach the helper through {@link #incoming}.
 */
final class WaitvHelper implements Runnable {
    /** Shared words one helper waits on: the vector's 128 entries less the control word. */
    static final int MAX_WORDS = FutexWaitv.MAX_ENTRIES - 1;

    private static final System.Logger LOG = System.getLogger(WaitvHelper.class.getName());

    private static final ReentrantLock LOCK = new ReentrantLock();
    /** Word address to the helper that waits on it, while it has records. */
    private static final Map<Long, WaitvHelper> BINDINGS = new HashMap<>();
    private static final List<WaitvHelper> HELPERS = new ArrayList<>();

    private final ConcurrentLinkedQueue<ParkedRecord> incoming = new ConcurrentLinkedQueue<>();
    /** Private control word at offset 0: bumped and woken to make the helper rebuild its set. */
    private final SharedBuffer control = new SharedBuffer(ByteBuffer.allocateDirect(64));
    private final long controlAddress = control.addressOfInt(0);
    /** True from just before the helper reads the control word until its futex_waitv returned. */
    private volatile boolean sleeping;
    /** Records cancelled since the last prune. */
    private final AtomicInteger cancelled = new AtomicInteger();
    /** Records held in {@link #words}, published by the helper after each round. */
    private volatile int held;
    /** Rounds (futex_waitv calls or attempts) so far; written by the helper only. */
    private volatile long rounds;
    /** Words bound to this helper; guarded by LOCK. */
    private int bound;

    private final ByteBuffer vector = ByteBuffer.allocateDirect(FutexWaitv.MAX_ENTRIES * FutexWaitv.ENTRY_SIZE)
            .order(ByteOrder.nativeOrder());
    private final long vectorAddress = Pointer.nativeValue(Native.getDirectBufferPointer(vector));
    private final Word[] inVector = new Word[MAX_WORDS];
    private final Map<Long, Word> words = new LinkedHashMap<>();
    private final Thread thread;

    /** One shared word with the records parked on it. Helper thread only. */
    private static final class Word {
        final SharedBuffer buffer;
        final int offset;
        final long address;
        /** Records compared with {@link #value} and equal to it: asleep "in the kernel". */
        final ArrayDeque<ParkedRecord> checked = new ArrayDeque<>();
        /** Records registered since the last scan, not compared yet. */
        final ArrayDeque<ParkedRecord> fresh = new ArrayDeque<>();
        /** The value the word had at the last scan: the one passed to futex_waitv. */
        int value;

        Word(ParkedRecord first) {
            this.buffer = first.buffer;
            this.offset = first.offset;
            this.address = first.address;
            this.value = first.expected;
        }

        boolean isEmpty() {
            return checked.isEmpty() && fresh.isEmpty();
        }

        int size() {
            return checked.size() + fresh.size();
        }
    }

    private WaitvHelper(int id) {
        // A platform thread whatever creates it (Thread constructors never make virtual ones);
        // no inherited thread locals from the registering thread.
        this.thread = new Thread(null, this, "interproc-parked-waits-" + id, 0, false);
        thread.setDaemon(true);
    }

    // ---------------------------------------------------------------- registration (any thread)

    /**
     * Registers the calling thread as parked on a word and makes sure the word's helper compares
     * it with the word before the helper next sleeps. The caller then parks.
     *
     * @param buffer the mapping holding the word
     * @param offset byte offset of the word
     * @param expected the value the caller read
     * @return the record, to {@link #leave} after the park
     */
    static ParkedRecord register(SharedBuffer buffer, int offset, int expected) {
        return register(buffer, offset, expected, Thread.currentThread(), null);
    }

    /**
     * As {@link #register(SharedBuffer, int, int)} for an asynchronous wait: no thread parks;
     * the helper runs {@code onWake} (which must only hand work to another thread) when it would
     * have unparked one.
     *
     * @param buffer the mapping holding the word
     * @param offset byte offset of the word
     * @param expected the value the caller read
     * @param onWake run once on a wake-up of the word or a change of it
     * @return the record, to {@link #leave} if the wait ends for another reason
     */
    static ParkedRecord register(SharedBuffer buffer, int offset, int expected, Runnable onWake) {
        return register(buffer, offset, expected, null, onWake);
    }

    private static ParkedRecord register(SharedBuffer buffer, int offset, int expected, Thread current,
            Runnable onWake) {
        long address = buffer.addressOfInt(offset);
        ParkedRecord record;
        WaitvHelper helper;
        LOCK.lock();
        try {
            helper = BINDINGS.get(address);
            if (helper == null) {
                helper = pick();
                BINDINGS.put(address, helper);
                helper.bound++;
            }
            record = new ParkedRecord(current, onWake, buffer, offset, address, expected, helper);
            helper.incoming.add(record);
        } finally {
            LOCK.unlock();
        }
        helper.signal();
        return record;
    }

    /**
     * Ends a park: cancels the record unless the helper woke it.
     *
     * @param record the caller's record
     * @return true if the helper had woken it (a wake-up was consumed)
     */
    static boolean leave(ParkedRecord record) {
        if (!record.cancel()) {
            return true;
        }
        WaitvHelper helper = record.helper;
        int c = helper.cancelled.incrementAndGet();
        if (2 * c > helper.held) {
            helper.signal(); // enough dead records to be worth a prune (and maybe dropping the word)
        }
        return false;
    }

    /** Guarded by LOCK: the first helper with room, or a new one. */
    private static WaitvHelper pick() {
        for (WaitvHelper h : HELPERS) {
            if (h.bound < MAX_WORDS) {
                return h;
            }
        }
        WaitvHelper h = new WaitvHelper(HELPERS.size());
        HELPERS.add(h);
        h.thread.start();
        return h;
    }

    /** @return words bound to a helper now; for tests (0 once no thread is parked) */
    static int boundWords() {
        LOCK.lock();
        try {
            return BINDINGS.size();
        } finally {
            LOCK.unlock();
        }
    }

    /** @return helper threads started so far (for tests) */
    static int helperCount() {
        LOCK.lock();
        try {
            return HELPERS.size();
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * @return records the helpers held when they last went to sleep (parked threads, plus
     *     cancelled records not pruned yet); for tests
     */
    static int parked() {
        return (int) sum(h -> h.held);
    }

    /** @return rounds all helpers made so far; for tests (an idle helper makes none) */
    static long rounds() {
        return sum(h -> h.rounds);
    }

    private static long sum(java.util.function.ToLongFunction<WaitvHelper> field) {
        LOCK.lock();
        try {
            long n = 0;
            for (WaitvHelper h : HELPERS) {
                n += field.applyAsLong(h);
            }
            return n;
        } finally {
            LOCK.unlock();
        }
    }

    /** Makes the helper rebuild its set if it sleeps or is about to. */
    private void signal() {
        if (sleeping) {
            control.getAndAddInt(0, 1);
            FutexWaitv.wakePrivate(controlAddress, 1);
        }
    }

    // ---------------------------------------------------------------- helper thread

    @Override
    public void run() {
        while (true) {
            try {
                round();
            } catch (RuntimeException | Error e) {
                // Nothing a parked thread relies on may be lost: wake them all; they re-check,
                // and those that must wait again register again.
                LOG.log(System.Logger.Level.WARNING, "parked-wait helper " + thread.getName()
                        + " failed; waking its " + held + " parked threads", e);
                sleeping = false;
                try {
                    drain();
                    for (Word w : words.values()) {
                        wakeAll(w);
                    }
                } catch (RuntimeException | Error again) {
                    // keep the helper alive; the parked threads' own timeouts bound the damage
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    /** One round: take registrations, compare, wake, drop empty words, then sleep in the kernel. */
    private void round() {
        rounds++; // volatile, but only this thread writes it
        drain();
        if (cancelled.get() != 0) {
            cancelled.set(0);
            prune();
        }
        scan();
        if (dropEmptyWords()) {
            return; // registrations arrived for words that were empty: compare them first
        }
        int n = 0;
        for (Word w : words.values()) {
            inVector[n] = w;
            putEntry(n + 1, w.value, w.address, FutexWaitv.FUTEX2_SIZE_U32);
            n++;
        }
        held = countHeld();
        sleeping = true;
        // Registrations add to incoming, then read sleeping; we write sleeping, then read the
        // control word and incoming: one of the two sides sees the other (both volatile).
        int ctl = control.getIntVolatile(0);
        putEntry(0, ctl, controlAddress, FutexWaitv.FUTEX2_SIZE_U32 | FutexWaitv.FUTEX2_PRIVATE);
        if (!incoming.isEmpty() || 2 * cancelled.get() > held) {
            sleeping = false;
            return;
        }
        int r = FutexWaitv.waitv(vectorAddress, n + 1);
        sleeping = false;
        if (r >= 1 && r <= n) {
            woken(inVector[r - 1]);
        } else if (r < 0 && r != -Posix.EAGAIN && r != -Posix.EINTR && r != -Posix.ETIMEDOUT) {
            throw new IllegalStateException("futex_waitv failed: errno=" + -r + ", entries=" + (n + 1));
        }
        java.util.Arrays.fill(inVector, 0, n, null);
    }

    private void putEntry(int index, int value, long address, int flags) {
        int at = index * FutexWaitv.ENTRY_SIZE;
        vector.putLong(at, value & 0xFFFF_FFFFL);
        vector.putLong(at + 8, address);
        vector.putInt(at + 16, flags);
        vector.putInt(at + 20, 0);
    }

    private void drain() {
        ParkedRecord r;
        while ((r = incoming.poll()) != null) {
            Word w = words.get(r.address);
            if (w == null) {
                w = new Word(r);
                words.put(r.address, w);
            }
            w.fresh.add(r);
        }
    }

    /** Forgets records that are no longer WAITING (cancelled, or woken by an earlier round). */
    private void prune() {
        for (Word w : words.values()) {
            w.checked.removeIf(r -> !r.isWaiting());
            w.fresh.removeIf(r -> !r.isWaiting());
        }
    }

    /**
     * Compares the word with the records. A word that changed since the last scan wakes every
     * checked record (they all expected the old value, and a wake-up for them may already have
     * come while we were not in the kernel); a fresh record whose expected value differs is woken
     * (the kernel would answer EAGAIN); a fresh record that matches becomes checked.
     */
    private void scan() {
        for (Word w : words.values()) {
            int current = w.buffer.getIntVolatile(w.offset);
            if (current != w.value) {
                for (ParkedRecord r : w.checked) {
                    r.wake();
                }
                w.checked.clear();
                w.value = current;
            }
            ParkedRecord r;
            while ((r = w.fresh.poll()) != null) {
                if (!r.isWaiting()) {
                    continue;
                }
                if (r.expected != current) {
                    r.wake();
                } else {
                    w.checked.add(r);
                }
            }
        }
    }

    /**
     * The kernel woke us on {@code w}. We cannot tell a {@code FUTEX_WAKE(1)} from a wake of all
     * (the helper is one waiter however many records it holds), so every record on the word is
     * woken. If none was still waiting, the wake-up is passed on to other sleepers of the word.
     */
    private void woken(Word w) {
        if (!wakeAll(w)) {
            FutexWaiter.INSTANCE.wake(w.buffer, w.offset, 1);
        }
    }

    private static boolean wakeAll(Word w) {
        boolean any = false;
        for (ParkedRecord r : w.checked) {
            any |= r.wake();
        }
        for (ParkedRecord r : w.fresh) {
            any |= r.wake();
        }
        w.checked.clear();
        w.fresh.clear();
        return any;
    }

    /**
     * Unbinds words with no records left, so that the helper no longer holds their mapping.
     *
     * @return true if registrations arrived meanwhile for a word that had been empty (compare
     *     them before sleeping)
     */
    private boolean dropEmptyWords() {
        boolean anyEmpty = false;
        for (Word w : words.values()) {
            if (w.isEmpty()) {
                anyEmpty = true;
                break;
            }
        }
        if (!anyEmpty) {
            return false;
        }
        boolean refilled = false;
        LOCK.lock();
        try {
            // Every record bound to us before we took the lock is in incoming: move them first.
            drain();
            for (Iterator<Word> it = words.values().iterator(); it.hasNext();) {
                Word w = it.next();
                if (w.isEmpty()) {
                    it.remove();
                    if (BINDINGS.remove(w.address, this)) { // always ours: bindings change only under LOCK
                        bound--;
                    }
                } else if (!w.fresh.isEmpty()) {
                    refilled = true;
                }
            }
        } finally {
            LOCK.unlock();
        }
        return refilled;
    }

    private int countHeld() {
        int n = 0;
        for (Word w : words.values()) {
            n += w.size();
        }
        return n;
    }
}
