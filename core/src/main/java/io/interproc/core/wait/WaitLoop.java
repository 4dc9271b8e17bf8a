package io.interproc.core.wait;

import io.interproc.core.Segment;
import io.interproc.core.memory.SharedBuffer;

import java.util.concurrent.TimeUnit;

/*
 * The algorithm (docs/ARCHITECTURE.md, "Waiting"; the contract is in the javadoc below).
 *
 *   await(segment, word, waiters, attempt, check, timeout):
 *     interrupted? -> throw                     (interruptible form only)
 *     attempt() == DONE -> return true          fast path: no system call, no extra atomic
 *     timeout <= 0 -> return false
 *     spin up to the thread's budget, retrying attempt()   (only before the first sleep)
 *     Sleeper.enter(buffer)                    JVM registry of sleepers, then a full fence
 *     waiters += 1 (shared, getAndAdd); segment.noteWaiting(waiters, +1)
 *     loop:
 *       segment.prepareToSleep()               liveness watchers cover this sleep
 *       k = my kick word; n = my notice count  (in that order)
 *       seen = attempt(); DONE -> return true  the re-check
 *       first round, notice since registration (n changed), or segment closed (first time seen)?
 *           -> check.afterSlice(); continue     (it may throw; the next attempt uses what it found)
 *       deadline passed -> return false         (no spin after the timeout)
 *       sleep until: word != seen, or kick word != k, or a FUTEX_WAKE of either, or the deadline
 *       interrupted? -> throw (interruptible) / clear, remember, go on (uninterruptible)
 *       attempt() == DONE -> return true        (the usual case after a wake-up)
 *     finally: segment.noteWaiting(waiters, -1); waiters -= 1; Sleeper.exit()
 *
 * Why no wake-up is lost:
 *   - word: the waiter increments the shared count (volatile RMW) before the re-check, and a
 *     waker publishes the word (volatile write or RMW) before it reads the count; one of them sees
 *     the other, and the kernel refuses to sleep if the word no longer holds `seen`.
 *   - notices: a notifier increments the notice count, then the kick word, then wakes. If the
 *     thread's read of n missed the notice, its earlier read of k missed the kick too, so the sleep
 *     (which compares the kick word with k in the kernel, futex_waitv) returns at once.
 *   - registration: the registry add and a full fence come before the first read of k, n and the
 *     closed flag; wakeSleepers makes a full fence before it walks the registry. A notice sent
 *     after enter() returned always finds the sleeper. A notice sent before it does not, and is not
 *     needed: Segment.close() sets the closed flag first (read here after registration), and the
 *     liveness watchers started by prepareToSleep() notify at once about a process that died before.
 *   - interrupts: see Sleeper (an interrupt of a platform thread in the kernel becomes a kick).
 *
 * Costs: a blocked thread makes no system call and takes no CPU until something happens; the
 * sleep costs, besides the futex call, a registry add and remove, a fence, and for timed waits a
 * clock_gettime. On kernels without futex_waitv (< 5.16) the sleep is cut into slices of
 * SLICE_NANOS (FutexWaiter); the portable parking waiter polls its word as before.
 */
/**
 * The blocking protocol every interproc primitive uses: try the operation, spin briefly, then
 * sleep on a futex word in shared memory until a wake-up, the deadline, an interrupt, or a
 * liveness notice. A thread blocked here wakes only when there is something to do: no periodic
 * slices (except on kernels without {@code futex_waitv}, see below).
 *
 * <p><b>Contract for callers.</b>
 * <ul>
 *   <li>{@link Attempt}: one non-blocking try; returns {@link #DONE}, or the futex word's value
 *       that made it fail, on which the thread sleeps (a change of the word ends the sleep).</li>
 *   <li>Wakers: publish the change with a volatile write or atomic update, then call
 *       {@link #wakeIfWaiting}, which makes the system call only if the waiter count is above 0.</li>
 *   <li>{@link SliceCheck} (the name is historical): runs once after the thread registered,
 *       before its first sleep (a dead owner whose slot was already reaped, so that no watcher
 *       will ever report it, is found there), then only when a <em>liveness notice</em> arrived
 *       since the last check, and once when the thread finds its segment closed. Notices come from {@link #wakeSleepers}: when a process attached to the
 *       segment dies or detaches (the segment's liveness watchers, armed by
 *       {@link Segment#prepareToSleep()} before each sleep, send one at once for a process that is
 *       already dead), and when this attachment is closed ({@link Segment#close()}). The check
 *       looks for what a sleep cannot notice by itself: a dead lock owner to take over, a dead
 *       peer to report, a closed segment (by throwing). It does <em>not</em> run periodically.</li>
 *   <li>Timeouts are relative, measured with {@link System#nanoTime()} (never the wall clock);
 *       after the deadline the attempt is tried once more and the call returns, without spinning.</li>
 *   <li>Interrupts: {@link #await} ends with {@link InterruptedException} when the thread is
 *       interrupted before or while it waits, promptly even while it is blocked in the kernel.</li>
 *   <li>Waiter count: each sleeping thread adds 1 to the shared count at {@code waiters}
 *       ({@code getAndAddInt}) and then records it with {@link Segment#noteWaiting}(+1); it undoes
 *       both in the reverse order. A process killed while registered leaves the count too high
 *       until whoever reaps its process slot subtracts its records: that costs later wakers a
 *       spare system call, never a lost wake-up.</li>
 * </ul>
 *
 * <p><b>Adaptive spinning.</b> Each thread keeps its own spin budget, starting at
 * {@link #SPIN_NANOS}. A wait that had to sleep but was satisfied soon after (within four times
 * the budget) doubles it, up to {@link #MAX_SPIN_NANOS}: a slightly longer spin would have caught
 * that hand-off. A sleep longer than eight times the maximum halves it, back towards the start.
 * Without this, two processes handing work back and forth (a pipe ping-pong) can settle into a
 * convoy where each one's wake-up takes longer than the other's spin, so every hand-off costs two
 * futex round trips instead of a fraction of a microsecond. There is no spin after a wake-up that
 * found nothing: the thread sleeps again at once.
 *
 * <p><b>Sleeping.</b> A platform thread sleeps in one {@code futex_waitv} call (Linux 5.16 and
 * later) on the shared word and on its own private kick word, until the deadline or without
 * timeout; a notice or an interrupt increments the kick word and wakes it ({@link Sleeper},
 * {@link FutexWaiter}). An interrupt is turned into a kick by the interrupting thread itself
 * (through {@link java.nio.channels.spi.AbstractInterruptibleChannel}'s interrupt hook), so it
 * ends the wait at once and costs nothing while nobody interrupts. A virtual thread never blocks
 * in native code: it sleeps through {@link ParkedWaits#await}, and notices unpark it. With
 * {@code -Dinterproc.waiter=parking} the thread polls its word with growing parks (at most 1 ms)
 * and also stops on a kick.
 *
 * <p><b>Fallback.</b> On kernels without {@code futex_waitv} (or with
 * {@code -Dinterproc.wait.futexWaitv=false}) a platform thread sleeps in {@code FUTEX_WAIT} on
 * the shared word for at most {@link #SLICE_NANOS} at a time; a notice or interrupt wakes that
 * word, so it is usually seen at once, and at the latest when the slice ends.
 *
 * <p>Configuration, read once per JVM: {@code interproc.wait.sliceMillis} (default 1000: the
 * fallback's slice only), {@code interproc.wait.spinMicros} (default 20),
 * {@code interproc.wait.maxSpinMicros} (default 200).
 *
 * <p><b>Internal API</b>, thread-safe, no state besides the per-thread spin budget and the
 * registry of sleeping threads.
 */
public final class WaitLoop {
    /**
     * Longest single sleep where the kernel has no {@code futex_waitv} (the fallback): the bound
     * on how late a notice or interrupt can be seen there. Elsewhere sleeps are not sliced.
     */
    public static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(
            Long.getLong("interproc.wait.sliceMillis", 1000));
    /** How long a blocking call spins before it sleeps, at first and after long waits. */
    public static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(
            Long.getLong("interproc.wait.spinMicros", 20));
    /** The longest a thread's spin can grow to (see the class doc: adaptive spinning). */
    public static final long MAX_SPIN_NANOS = Math.max(SPIN_NANOS, TimeUnit.MICROSECONDS.toNanos(
            Long.getLong("interproc.wait.maxSpinMicros", 200)));

    /** Attempts of the spin between two reads of the clock. */
    private static final int SPIN_ATTEMPTS_PER_CLOCK = 16;

    /** Per thread: the current spin budget and the most it may grow to, in nanoseconds. */
    private static final ThreadLocal<long[]> SPIN_BUDGET =
            ThreadLocal.withInitial(() -> new long[] {SPIN_NANOS, MAX_SPIN_NANOS});

    /** Returned by an {@link Attempt} that succeeded. */
    public static final long DONE = Long.MIN_VALUE;

    /** Timeout meaning "no deadline". */
    public static final long FOREVER = Long.MAX_VALUE;

    private static final Waiter WAITER = Waiter.get();

    private WaitLoop() {
    }

    /** One non-blocking try of a blocking operation. */
    @FunctionalInterface
    public interface Attempt {
        /**
         * @return {@link #DONE} if the operation took effect, otherwise the value of the futex word
         *     that made it fail (zero-extended int), on which the caller will sleep
         */
        long attempt();
    }

    /**
     * What a sleep cannot notice by itself, checked when a liveness notice arrives (the name is
     * historical: there are no slices any more). It runs in the waiting thread, with the thread
     * still registered as a waiter: once before the thread first sleeps, then only after
     * {@link WaitLoop#wakeSleepers} was called for its segment's mapping since the last check (a
     * process attached to the segment died or detached, or this attachment closed), or when the
     * thread finds its segment closed. A notice may concern another object of the segment: the
     * check must cope with finding nothing.
     */
    @FunctionalInterface
    public interface SliceCheck {
        /** No check. */
        SliceCheck NONE = () -> { };

        /**
         * Checks what a sleep cannot notice: a dead lock owner to take over (the next attempt
         * runs right after), a dead peer to report (by throwing), a closed segment (by throwing
         * {@link IllegalStateException}).
         */
        void afterSlice();
    }

    /** @return the waiter in use ({@code futex} or {@code parking}) */
    public static Waiter waiter() {
        return WAITER;
    }

    /**
     * Blocks until {@code attempt} succeeds or the timeout elapses, honouring interrupts.
     *
     * @param segment the attachment the caller acts through; its {@link Segment#buffer()} holds
     *     the futex word and the waiter count
     * @param word offset of the futex word
     * @param waiters offset of the int waiter count
     * @param attempt the operation to try
     * @param check run when a liveness notice arrives (see {@link SliceCheck})
     * @param timeoutNanos {@code <= 0} to try once, {@link #FOREVER} for no deadline
     * @return true if the attempt succeeded, false on timeout
     * @throws InterruptedException if interrupted before or while waiting; the interrupt status
     *     is cleared
     */
    public static boolean await(Segment segment, int word, int waiters, Attempt attempt,
            SliceCheck check, long timeoutNanos) throws InterruptedException {
        return await(segment, word, waiters, attempt, check, timeoutNanos, 1);
    }

    /**
     * As {@link #await(Segment, int, int, Attempt, SliceCheck, long)}, spinning with
     * {@code pausesPerAttempt} {@link Thread#onSpinWait()} between two attempts instead of one:
     * for a waiter whose attempt reads a line another process writes on every step of its own
     * work (a producer waiting for room reads the head a consumer publishes per message), where
     * each read makes the writer's next store wait for the line. Such a waiter is in no hurry: the
     * other side has a backlog. The sleep phase is the same.
     *
     * @param segment as for the other form
     * @param word as for the other form
     * @param waiters as for the other form
     * @param attempt as for the other form
     * @param check as for the other form
     * @param timeoutNanos as for the other form
     * @param pausesPerAttempt spin pauses between two attempts, {@code >= 1}
     * @return true if the attempt succeeded, false on timeout
     * @throws InterruptedException as for the other form
     */
    public static boolean await(Segment segment, int word, int waiters, Attempt attempt,
            SliceCheck check, long timeoutNanos, int pausesPerAttempt) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (attempt.attempt() == DONE) {
            return true;
        }
        if (timeoutNanos <= 0) {
            return false;
        }
        return loop(segment, word, waiters, attempt, check, timeoutNanos, true, Math.max(1, pausesPerAttempt));
    }

    /**
     * As {@link #await}, but an interrupt does not stop the wait: the thread clears the interrupt
     * status, remembers it and sleeps again; the status is set again on return if the thread was
     * interrupted before or meanwhile.
     *
     * @param segment the attachment the caller acts through; its {@link Segment#buffer()} holds
     *     the futex word and the waiter count
     * @param word offset of the futex word
     * @param waiters offset of the int waiter count
     * @param attempt the operation to try
     * @param check run when a liveness notice arrives (see {@link SliceCheck})
     * @param timeoutNanos {@code <= 0} to try once, {@link #FOREVER} for no deadline
     * @return true if the attempt succeeded, false on timeout
     */
    public static boolean awaitUninterruptibly(Segment segment, int word, int waiters, Attempt attempt,
            SliceCheck check, long timeoutNanos) {
        if (attempt.attempt() == DONE) {
            return true;
        }
        if (timeoutNanos <= 0) {
            return false;
        }
        try {
            return loop(segment, word, waiters, attempt, check, timeoutNanos, false, 1);
        } catch (InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    private static boolean loop(Segment segment, int word, int waiters, Attempt attempt,
            SliceCheck check, long timeoutNanos, boolean interruptible, int pausesPerAttempt)
            throws InterruptedException {
        final long start = System.nanoTime();
        final boolean timed = timeoutNanos != FOREVER;
        final long[] budget = SPIN_BUDGET.get();
        final long spinEnd = start + Math.min(budget[0], timeoutNanos);
        // One pause per attempt, the clock every SPIN_ATTEMPTS_PER_CLOCK attempts: a pause costs
        // about 20 ns on current x86 cores and a clock read about 30 ns, so sixteen pauses between
        // two attempts made every hand-off (a pipe ping-pong, a queue's take) wait some 170 ns
        // more on average after the change it spun for. An attempt that fails only reads a line
        // the other side will write (a lock's attempt reads before its CAS), so trying more often
        // costs no coherence traffic while nothing changes.
        while (true) {
            for (int i = 0; i < SPIN_ATTEMPTS_PER_CLOCK; i++) {
                for (int p = 0; p < pausesPerAttempt; p++) {
                    Thread.onSpinWait();
                }
                if (attempt.attempt() == DONE) {
                    return true;
                }
            }
            if (System.nanoTime() - spinEnd >= 0) {
                break;
            }
        }
        final SharedBuffer buffer = segment.buffer();
        final long sleepStart = System.nanoTime();
        // Uninterruptible: clear the status now (restored on return) so that it cannot cut sleeps short.
        boolean interrupted = !interruptible && Thread.interrupted();
        final Sleeper me = Sleeper.enter(buffer);
        try {
            buffer.getAndAddInt(waiters, 1);
            try {
                segment.noteWaiting(waiters, 1);
            } catch (RuntimeException | Error e) {
                buffer.getAndAddInt(waiters, -1);
                throw e;
            }
            try {
                boolean closedSeen = false;
                // The check runs once before the first sleep too: an owner that died before this
                // thread registered (and was reaped already, so no watcher will report it) is
                // found here; every later death reaches a registered sleeper as a notice.
                boolean checkedOnce = false;
                while (true) {
                    segment.prepareToSleep();
                    final int kicks = me.kicks(); // before the notice count: see the block comment
                    final boolean notice = me.takeNotice();
                    final long seen = attempt.attempt();
                    if (seen == DONE) {
                        adapt(budget, System.nanoTime() - sleepStart);
                        return true;
                    }
                    final boolean closed = !closedSeen && segment.isClosed();
                    if (notice || closed || !checkedOnce) {
                        closedSeen |= closed;
                        checkedOnce = true;
                        check.afterSlice();
                        continue;
                    }
                    long left = FOREVER;
                    if (timed) {
                        left = timeoutNanos - (System.nanoTime() - start);
                        if (left <= 0) {
                            return false;
                        }
                    }
                    me.sleep(buffer, word, (int) seen, kicks, left);
                    if (Thread.interrupted()) {
                        if (interruptible) {
                            throw new InterruptedException();
                        }
                        interrupted = true;
                    }
                    if (attempt.attempt() == DONE) { // woken for it, usually: no need to prepare another sleep
                        adapt(budget, System.nanoTime() - sleepStart);
                        return true;
                    }
                }
            } finally {
                try {
                    segment.noteWaiting(waiters, -1);
                } finally {
                    buffer.getAndAddInt(waiters, -1);
                }
            }
        } finally {
            me.exit();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Grows the spin budget after a short sleep, shrinks it after a long one, within the thread's cap. */
    static void adapt(long[] budget, long slept) {
        long b = budget[0];
        long max = budget[1];
        if (slept < 4 * b) {
            budget[0] = Math.min(max, Math.max(1, b * 2));
        } else if (slept > 8 * MAX_SPIN_NANOS) {
            budget[0] = Math.min(max, Math.max(SPIN_NANOS, b / 2));
        }
    }

    /**
     * Caps how long the calling thread's blocking waits spin before they sleep, for good (the
     * adaptive budget stays at or below it): for threads that hand work to each other in a
     * pipeline with more runnable threads than CPUs — a process pool's collector, dispatcher and
     * workers — where a waiter's spin takes the CPU from the very thread it waits for. Measured
     * on 2 CPUs, a pool's {@code applyAsync} of tiny tasks: about 105,000 tasks/s with the default
     * spin (20–200 µs), about 200,000 with a cap of 3 µs. <b>Internal API</b>; only the calling
     * thread is affected.
     *
     * @param nanos the longest spin, {@code >= 0} (0: sleep at once)
     * @throws IllegalArgumentException if {@code nanos < 0}
     */
    public static void capSpin(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("spin cap must be >= 0: nanos=" + nanos);
        }
        long[] budget = SPIN_BUDGET.get();
        budget[1] = Math.min(MAX_SPIN_NANOS, nanos);
        budget[0] = Math.min(budget[0], budget[1]);
    }

    /**
     * Wakes sleepers on a word if any are registered. Call it after publishing the change with a
     * volatile write or atomic update (never after a plain or release-only store).
     *
     * @param buffer mapping holding the word and count
     * @param word offset of the futex word
     * @param waiters offset of the int waiter count
     * @param count how many to wake; {@link Integer#MAX_VALUE} for all
     */
    public static void wakeIfWaiting(SharedBuffer buffer, int word, int waiters, int count) {
        if (buffer.getIntVolatile(waiters) > 0 && WAITER.wake(buffer, word, count) == 0) {
            // Counted but nobody asleep: a waiter about to sleep, or one killed while registered.
            buffer.staleWaitersSuspected();
        }
    }

    /**
     * Sends a liveness notice to every thread of this JVM waiting in {@code WaitLoop} through
     * {@code buffer} (the mapping of one attachment): each one wakes and runs its
     * {@link SliceCheck} before it sleeps again. Called when a process attached to the segment
     * died or detached, or when the attachment is closed; call it after publishing what the
     * notice is about (with a volatile write or stronger).
     *
     * <p>Guarantee: every thread that registered before this call began (its waiter count
     * increment is visible) gets the notice, even if it was just about to enter the kernel; a
     * thread that registers later does not, and must learn of the event some other way (the
     * closed flag, a watcher armed after it registered). Costs one pass over this JVM's sleeping
     * threads, and one system call per thread notified.
     *
     * @param buffer the segment's mapping ({@link Segment#buffer()})
     */
    public static void wakeSleepers(SharedBuffer buffer) {
        Sleeper.noticeAll(buffer);
        AsyncWaits.noticeAll(buffer); // the asynchronous waits on it run their check too
    }

    /**
     * Converts a timeout to nanoseconds, saturating.
     *
     * @param timeout amount
     * @param unit its unit
     * @return nanoseconds, {@code <= 0} stays {@code <= 0}
     */
    public static long toNanos(long timeout, TimeUnit unit) {
        if (unit == null) {
            throw new NullPointerException("unit");
        }
        long nanos = unit.toNanos(timeout);
        return nanos == Long.MAX_VALUE ? FOREVER - 1 : nanos;
    }
}
