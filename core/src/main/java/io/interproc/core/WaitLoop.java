package io.interproc.core;

import java.util.concurrent.TimeUnit;

/**
 * The blocking protocol every interproc primitive uses (DESIGN.md §4):
 * <ol>
 *   <li>try the operation once (the fast path);</li>
 *   <li>spin for up to {@link #SPIN_NANOS} retrying it, with {@link Thread#onSpinWait()};</li>
 *   <li>register in the object's waiter count, re-try (the re-check), then sleep on the futex word
 *       with the value the attempt saw, for at most one slice of {@link #SLICE_NANOS};</li>
 *   <li>after each wake-up: deregister, check the deadline and the interrupt status, and once per
 *       elapsed slice run the {@link SliceCheck} (dead owner, closed segment);</li>
 *   <li>a waker publishes its change with a volatile write or atomic update, then calls
 *       {@link #wakeIfWaiting}, which makes the system call only if the waiter count is above 0.</li>
 * </ol>
 * Because the waiter increments the count (a volatile RMW) before it re-reads the word, and the
 * waker publishes the word before it reads the count, one of them always sees the other; and the
 * kernel refuses to sleep if the word no longer holds the value the waiter read.
 *
 * <p><b>Adaptive spinning.</b> Each thread keeps its own spin budget, starting at
 * {@link #SPIN_NANOS}. A wait that had to sleep but was satisfied soon after (within four times
 * the budget) doubles it, up to {@link #MAX_SPIN_NANOS}: a slightly longer spin would have caught
 * that hand-off. A sleep longer than eight times the maximum halves it, back towards the start.
 * Without this, two processes handing work back and forth (a pipe ping-pong) can settle into a
 * convoy where each one's wake-up takes longer than the other's spin, so every hand-off costs two
 * futex round trips instead of a fraction of a microsecond.
 *
 * <p>Configuration, read once per JVM: {@code interproc.wait.sliceMillis} (default 100),
 * {@code interproc.wait.spinMicros} (default 20), {@code interproc.wait.maxSpinMicros} (default
 * 200). A waiter killed while registered leaves the count one too high: that costs later wakers a
 * spare system call, never a lost wake-up.
 *
 * <p><b>Internal API</b>, thread-safe, no state.
 */
public final class WaitLoop {
    /** Longest single sleep, after which deadlines, interrupts and peers are re-checked. */
    public static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(
            Long.getLong("interproc.wait.sliceMillis", 100));
    /** How long a blocking call spins before it sleeps, at first and after long waits. */
    public static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(
            Long.getLong("interproc.wait.spinMicros", 20));
    /** The longest a thread's spin can grow to (see the class doc: adaptive spinning). */
    public static final long MAX_SPIN_NANOS = Math.max(SPIN_NANOS, TimeUnit.MICROSECONDS.toNanos(
            Long.getLong("interproc.wait.maxSpinMicros", 200)));

    /** Per thread: the current spin budget in nanoseconds. */
    private static final ThreadLocal<long[]> SPIN_BUDGET = ThreadLocal.withInitial(() -> new long[] {SPIN_NANOS});

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

    /** Runs after each slice a thread slept without success. */
    @FunctionalInterface
    public interface SliceCheck {
        /** No check. */
        SliceCheck NONE = () -> { };

        /**
         * Checks what a sleep cannot notice: a dead lock owner to take over, a dead peer to report
         * (by throwing), a closed segment (by throwing {@link IllegalStateException}).
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
     * @param buffer mapping holding the futex word and the waiter count
     * @param word offset of the futex word
     * @param waiters offset of the int waiter count
     * @param attempt the operation to try
     * @param check run after each slice slept without success
     * @param timeoutNanos {@code <= 0} to try once, {@link #FOREVER} for no deadline
     * @return true if the attempt succeeded, false on timeout
     * @throws InterruptedException if interrupted before or while waiting; the interrupt status
     *     is cleared
     */
    public static boolean await(SharedBuffer buffer, int word, int waiters, Attempt attempt,
            SliceCheck check, long timeoutNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (attempt.attempt() == DONE) {
            return true;
        }
        if (timeoutNanos <= 0) {
            return false;
        }
        return loop(buffer, word, waiters, attempt, check, timeoutNanos, true);
    }

    /**
     * As {@link #await}, but an interrupt does not stop the wait; the interrupt status is set again
     * on return if the thread was interrupted meanwhile.
     *
     * @param buffer mapping holding the futex word and the waiter count
     * @param word offset of the futex word
     * @param waiters offset of the int waiter count
     * @param attempt the operation to try
     * @param check run after each slice slept without success
     * @param timeoutNanos {@code <= 0} to try once, {@link #FOREVER} for no deadline
     * @return true if the attempt succeeded, false on timeout
     */
    public static boolean awaitUninterruptibly(SharedBuffer buffer, int word, int waiters, Attempt attempt,
            SliceCheck check, long timeoutNanos) {
        if (attempt.attempt() == DONE) {
            return true;
        }
        if (timeoutNanos <= 0) {
            return false;
        }
        try {
            return loop(buffer, word, waiters, attempt, check, timeoutNanos, false);
        } catch (InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    private static boolean loop(SharedBuffer buffer, int word, int waiters, Attempt attempt,
            SliceCheck check, long timeoutNanos, boolean interruptible) throws InterruptedException {
        final long start = System.nanoTime();
        final boolean timed = timeoutNanos != FOREVER;
        final long[] budget = SPIN_BUDGET.get();
        final long spinEnd = start + Math.min(budget[0], timeoutNanos);
        while (System.nanoTime() - spinEnd < 0) {
            for (int i = 0; i < 16; i++) {
                Thread.onSpinWait();
            }
            if (attempt.attempt() == DONE) {
                return true;
            }
        }
        boolean interrupted = false;
        final long sleepStart = System.nanoTime();
        long lastCheck = sleepStart;
        try {
            while (true) {
                long now = System.nanoTime();
                long left = timed ? timeoutNanos - (now - start) : SLICE_NANOS;
                if (left <= 0) {
                    return attempt.attempt() == DONE;
                }
                buffer.getAndAddInt(waiters, 1);
                try {
                    long seen = attempt.attempt();
                    if (seen == DONE) {
                        adapt(budget, System.nanoTime() - sleepStart);
                        return true;
                    }
                    WAITER.await(buffer, word, (int) seen, Math.min(left, SLICE_NANOS));
                } finally {
                    buffer.getAndAddInt(waiters, -1);
                }
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException();
                    }
                    interrupted = true;
                }
                if (attempt.attempt() == DONE) {
                    adapt(budget, System.nanoTime() - sleepStart);
                    return true;
                }
                now = System.nanoTime();
                if (now - lastCheck >= SLICE_NANOS) {
                    lastCheck = now;
                    check.afterSlice();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Grows the spin budget after a short sleep, shrinks it after a long one. */
    static void adapt(long[] budget, long slept) {
        long b = budget[0];
        if (slept < 4 * b) {
            budget[0] = Math.min(MAX_SPIN_NANOS, b * 2);
        } else if (slept > 8 * MAX_SPIN_NANOS) {
            budget[0] = Math.max(SPIN_NANOS, b / 2);
        }
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
        if (buffer.getIntVolatile(waiters) > 0) {
            WAITER.wake(buffer, word, count);
        }
    }

    /**
     * Wakes every thread of this JVM sleeping in {@code WaitLoop} on a word of {@code buffer} and
     * makes it run its {@link SliceCheck} before it sleeps again; called when a process attached
     * to the segment died or detached, or an attachment of this JVM closed. A thread that was
     * about to sleep when this was called does not sleep through it.
     *
     * @param buffer the segment's mapping
     */
    public static void wakeSleepers(SharedBuffer buffer) {
        // implemented by the waiting work
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
