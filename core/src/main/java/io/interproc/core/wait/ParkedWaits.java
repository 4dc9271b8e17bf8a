package io.interproc.core.wait;

import io.interproc.core.memory.SharedBuffer;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.locks.LockSupport;

/**
 * Kernel waits for threads that must not block in native code: virtual threads (JDK 21+), which
 * would pin their carrier inside a {@code futex} call (JNA and FFM downcalls both pin). Such a
 * thread parks; a platform thread of this class does the kernel wait for it and unparks it.
 *
 * <pre>
 * THE PROTOCOL
 *
 *  parked thread T (await)                 helper H (platform daemon, one per 127 words)
 *  -----------------------                 ---------------------------------------------
 *  1. word != expected ? return            loop:
 *  2. record R = {buffer, offset,            a. drain incoming records into per-word lists
 *     expected, T, WAITING};                    (new records are "fresh")
 *     bind the word's address to a           b. prune CANCELLED records (when enough)
 *     helper H (registry lock), add R        c. for each word W: cur = volatile read of W
 *     to H.incoming (volatile)                  - cur != W.value (the value H last waited
 *  3. if H.sleeping (volatile read):              with): wake every "checked" record of W
 *       bump H's control word,                  - each fresh record: expected != cur -> wake
 *       FUTEX_WAKE_PRIVATE(control, 1)            (the kernel's EAGAIN), else -> "checked"
 *  4. LockSupport.parkNanos(nanos)              - W.value = cur
 *  5. CAS R WAITING -> CANCELLED             d. unbind words left with no record
 *     fails => H woke it (WOKEN):            e. sleeping = true (volatile); ctl = control word;
 *     a wake-up was consumed                    if incoming is not empty: back to a.
 *  6. return; the caller re-checks           f. futex_waitv([control: ctl, PRIVATE],
 *                                                 [W1: W1.value], ... [Wn: Wn.value]), no timeout
 *                                            g. sleeping = false; returned index i >= 1:
 *                                                 wake every record of word i; if none was
 *                                                 WAITING any more, FUTEX_WAKE(word i, 1) to pass
 *                                                 the wake-up on. EAGAIN / EINTR / index 0: loop.
 *
 *  "wake" = CAS R WAITING -> WOKEN, then LockSupport.unpark(T). Whoever wins the CAS decides.
 * </pre>
 *
 * <p><b>No lost wake-up.</b> A waker changes the word, then (if the object's waiter count is
 * above zero, which T raised before it read {@code expected}) calls {@code FUTEX_WAKE}. Take a
 * record R registered before the change:
 * <ul>
 *   <li>H has not compared R yet: the compare in (c) happens after R is in incoming, so after
 *       step 3; it sees the new value (or, if H saw an older value and goes to sleep with it,
 *       futex_waitv fails with EAGAIN, or the wake-up hits H): R is woken as "fresh, differs" or
 *       as "checked, word changed".</li>
 *   <li>H compared R (R is checked, W.value = expected) and sleeps in (f) with that value: the
 *       kernel compares W with W.value atomically with queueing H, so either futex_waitv returns
 *       EAGAIN (then (c) sees the change and wakes R), or H is queued before the change and the
 *       waker's FUTEX_WAKE finds H (or another sleeper of the word, as the kernel may choose for
 *       a wake of one), after which (g) wakes R, and in any case the next (c) sees the change.</li>
 *   <li>Registration versus H going to sleep: T writes incoming then reads {@code sleeping}; H
 *       writes {@code sleeping}, then reads the control word and incoming (all volatile). Either
 *       H sees R in incoming and does not sleep, or T sees {@code sleeping} and bumps the control
 *       word, so the futex_waitv fails with EAGAIN or is woken on entry 0.</li>
 *   <li>Cancellation: a record that leaves (timeout, interrupt) wins its CAS to CANCELLED and
 *       was never told of a wake-up; if H loses the CAS for every record of the word it was woken
 *       on, it passes a {@code FUTEX_WAKE(1)} on to the word, so another sleeper in any process
 *       gets the wake-up the kernel gave H.</li>
 * </ul>
 *
 * <p><b>Why H wakes every record of a woken word, not one.</b> H is a single kernel waiter for
 * all the records of a word, so a {@code FUTEX_WAKE(1)} and a {@code FUTEX_WAKE(all)} look the
 * same to it (interproc wakes all on an unchanged word, e.g. {@code ByteRing.wakeAll} when a
 * pipe closes, so waking one would lose wake-ups); {@code futex_waitv} also reports only the last
 * of several entries woken at once. Waking all is the only choice that loses nothing: the
 * virtual threads parked on that word re-check, one wins, the others park again. Towards the
 * kernel wake-one still holds: H counts as one waiter, so a {@code FUTEX_WAKE(1)} wakes one
 * waiter among H and the other processes' (and platform threads') sleepers. (Putting a word in
 * the vector once per record would let the returned index count the wake-ups, but only for the
 * one word the call reports, and H would then have to take the word's value after the return as
 * its new baseline, missing a change-and-wake that lands between the kernel's return and that
 * read: it trades a lost wake-up for the herd, so it is not done.)
 *
 * <p><b>Residual window.</b> A wake-up that does not change the word (or changes it and back,
 * A-B-A), arriving while H is between two futex_waitv calls or together with a wake-up of another
 * word of the same H, is missed by the records that were checked before it. A word that did
 * change is never missed (step c compares it on every round). The pass-on of a wake-up whose
 * records all left (above) has the same window: a wake coinciding with a registration's control
 * wake is seen as the control wake only. interproc wakers publish a change
 * before waking. A lock waiter handing its wake-up on finds the word changed (nobody sleeps on a
 * free lock); a pipe end being closed, the one wake without a change, also sends a liveness
 * notice ({@link io.interproc.core.Segment#announceChange()}), which unparks the sleepers directly.
 *
 * <p><b>Cost.</b> H sleeps in the kernel with no timeout while nothing changes: parked threads
 * cost no CPU. A registration makes a system call only when H sleeps (a burst of registrations
 * while H works costs none). More than 127 distinct words start more helper threads; a helper's
 * idle words are unbound (and their mappings released) when no record is left on them.
 *
 * <p><b>Fallback.</b> Where {@code futex_waitv} is missing (Linux before 5.16, other
 * architectures, a seccomp filter: probed once with an empty vector, which a kernel that has the
 * call answers with EINVAL), and where the futex waiter is not in use ({@code
 * -Dinterproc.waiter=parking}, other systems), a parked thread polls instead: {@link
 * ParkingWaiter} parks 1 µs, doubling up to 1 ms, and re-reads the word, so a change is seen
 * within about a millisecond and a wake-up that does not change the word at the end of the wait.
 * {@code LockSupport.parkNanos} unmounts a virtual thread, so no carrier is held either way.
 *
 * <p><b>Internal API</b>, thread-safe.
 */
public final class ParkedWaits {
    private static final MethodHandle IS_VIRTUAL = findIsVirtual();
    private static final boolean HELPERS = Waiter.get() instanceof FutexWaiter && FutexWaitv.isSupported();

    private ParkedWaits() {
    }

    private static MethodHandle findIsVirtual() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null; // before JDK 21 there are no virtual threads
        }
    }

    /**
     * Any thread may call this.
     *
     * @param thread a thread
     * @return true if it is a virtual thread (always false before JDK 21)
     * @throws NullPointerException if {@code thread} is null
     */
    public static boolean isVirtual(Thread thread) {
        if (thread == null) {
            throw new NullPointerException("thread");
        }
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Thread.isVirtual failed: thread=" + thread.getName(), e);
        }
    }

    /**
     * @return {@code "futex_waitv"} if parked threads are served by helper threads sleeping in
     *     {@code futex_waitv}, {@code "parking"} if they poll the word (see the class doc)
     */
    public static String mode() {
        return HELPERS ? "futex_waitv" : "parking";
    }

    /**
     * Parks the calling thread while the int at {@code offset} equals {@code expected}, for at
     * most {@code nanos}; returns early on a wake-up of the word ({@link Waiter#wake}), a change
     * of the word, an interrupt, a {@link java.util.concurrent.locks.LockSupport#unpark} of the
     * thread, or spuriously. The caller re-checks its condition in every case.
     *
     * <p>Any thread may call this; {@link WaitLoop} does for virtual threads, which never block a
     * carrier here. An interrupt makes it return with the interrupt status still set. Memory
     * effects: none beyond those of the caller's own reads of the word; a waker's writes before
     * its volatile change of the word are visible to the caller once the caller's re-check reads
     * the new value.
     *
     * @param buffer the mapping holding the word
     * @param offset byte offset of a 4-byte-aligned int
     * @param expected the value the caller last read
     * @param nanos longest wait; returns at once if not positive
     * @throws IndexOutOfBoundsException if the word is not inside the mapping or misaligned
     */
    public static void await(SharedBuffer buffer, int offset, int expected, long nanos) {
        buffer.addressOfInt(offset); // checks the offset before anything is registered
        if (nanos <= 0) {
            return;
        }
        if (!HELPERS) {
            ParkingWaiter.INSTANCE.await(buffer, offset, expected, nanos);
            return;
        }
        awaitParked(buffer, offset, expected, nanos);
    }

    /**
     * The helper protocol, whatever the mode (for tests and the stress tests).
     *
     * @return true if a helper woke the caller (it consumed a wake-up or saw a change)
     */
    static boolean awaitParked(SharedBuffer buffer, int offset, int expected, long nanos) {
        if (buffer.getIntVolatile(offset) != expected || Thread.currentThread().isInterrupted()) {
            return false;
        }
        ParkedRecord record = WaitvHelper.register(buffer, offset, expected);
        // One park: its return for whatever reason (woken, unparked, interrupted, timed out,
        // spuriously) ends the wait, as the contract allows.
        LockSupport.parkNanos(record, nanos);
        return WaitvHelper.leave(record);
    }
}
