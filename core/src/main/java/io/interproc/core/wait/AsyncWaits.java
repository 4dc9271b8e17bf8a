package io.interproc.core.wait;

import io.interproc.core.Segment;
import io.interproc.core.memory.SharedBuffer;

import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/*
 * The protocol (one AsyncWait; the claim is its state word: ACTIVE, RUNNING, DONE):
 *
 *   start (caller's thread, nobody else sees the wait yet):
 *     attempt once -> DONE: complete, return;  timeout <= 0: complete with the timeout value
 *     waiters += 1 (shared), segment.noteWaiting(+1); add to PENDING (full fence)
 *     arm the deadline timer; state = ACTIVE; run a step on the executor
 *   step (the executor thread; several triggers may queue several steps, they run one by one):
 *     CAS ACTIVE -> RUNNING, else return (done, or an external completion won)
 *     leave the previous record (a wake-up it consumed is re-checked now), cancel a retry timer
 *     segment.prepareToSleep()                    closed -> fail (IllegalStateException)
 *     notice since the last step, or first step?  -> check.afterSlice() (may throw -> fail)
 *     attempt -> DONE: finish with the result
 *     deadline passed -> finish with the timeout value
 *     RETRY_SOON, or no futex_waitv helpers: schedule a step after a backoff (50 us .. 1 ms)
 *     else register a callback record on the word with the value the attempt saw (WaitvHelper):
 *       a change or wake-up of the word queues a step
 *     state = ACTIVE
 *   finish (claim held): deregister (record, timers, PENDING, noteWaiting(-1), waiters -= 1),
 *     complete the future, state = DONE (only now can an external completion return)
 *   external cancel / complete / completeExceptionally (any thread):
 *     ACTIVE: CAS -> DONE, deregister, pass a wake-up on (onAbandon), then complete as asked
 *     RUNNING: wait until the step releases the claim (one attempt, which never blocks long)
 *     DONE: complete as asked (a no-op if the step completed it)
 *
 * Nothing is lost: the attempt, which takes the permit or the message, runs only under the
 * claim, and an external completion can neither start nor return while the claim is held; so
 * whatever an attempt took is in the future's result before anyone can cancel it, and a
 * cancelled wait never attempts again. No wake-up is lost for the same reasons as for a parked
 * thread (ParkedWaits): the waiter count is raised before the attempt whose value the record
 * carries, and the helper compares that value with the word before it sleeps. Notices reach
 * every wait in PENDING (noticeAll), like the registered sleepers of WaitLoop.
 */
/**
 * Waits that complete a {@link CompletableFuture} instead of blocking a thread: the asynchronous
 * forms of interproc's blocking calls ({@code SharedEvent.awaitAsync},
 * {@code SharedSemaphore.acquireAsync}, {@code SharedQueue.takeAsync}). They use the machinery of
 * {@link ParkedWaits}: a record per wait on the word's {@code futex_waitv} helper thread, which
 * instead of unparking a thread hands a step of the wait to one shared executor thread
 * ({@value #THREAD_NAME}). So however many waits are pending, they cost no thread each: one
 * helper thread per 127 distinct words, and the one executor thread, which also runs the
 * timeouts. Where {@code futex_waitv} is missing, the executor polls each pending word with a
 * backoff up to 1 ms, as {@link ParkingWaiter} does for threads.
 *
 * <p><b>Contract.</b> The returned future completes when the blocking form would have returned:
 * with the attempt's result, with the timeout value once the deadline passed, or exceptionally
 * with what the blocking form would have thrown (the attempt's or the check's exception; an
 * {@link IllegalStateException} once the segment is closed). Interrupts do not apply: no thread
 * waits. {@code cancel}, {@code complete}, {@code completeExceptionally}, {@code orTimeout} and
 * {@code completeOnTimeout} deregister the wait; they never lose what an attempt took: an attempt
 * runs only while no external completion can, so a call that returns {@code false} because the
 * attempt won leaves the result in the future. {@code obtrudeValue} and {@code obtrudeException}
 * throw {@link UnsupportedOperationException}. Dependent stages added without an executor run on
 * the thread that completes the future, which may be the {@value #THREAD_NAME} thread: they must
 * not block (use the {@code *Async} forms for anything slow). Memory effects: as for the blocking
 * form, between the waker and the completion of the future (and so the dependent stages).
 *
 * <p><b>Internal API</b>, thread-safe.
 */
public final class AsyncWaits {
    /**
     * Returned by an {@link Attempt} that failed for a reason no word shows (a lock held briefly
     * by another thread): try again after a short backoff instead of sleeping on the word.
     */
    public static final long RETRY_SOON = Long.MIN_VALUE + 1;

    /** Name of the thread that runs the steps and timeouts of every asynchronous wait. */
    public static final String THREAD_NAME = "interproc-async-waits";

    /** True if pending waits sleep on the futex_waitv helpers; false: they are polled. */
    static final boolean HELPERS = "futex_waitv".equals(ParkedWaits.mode());

    static final ScheduledThreadPoolExecutor EXECUTOR = newExecutor();

    /** Every wait registered as a waiter, for {@link #noticeAll}. */
    static final Set<AsyncWait<?>> PENDING = ConcurrentHashMap.newKeySet();

    private AsyncWaits() {
    }

    private static ScheduledThreadPoolExecutor newExecutor() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            // A platform thread whatever starts it, without inherited thread locals.
            Thread t = new Thread(null, r, THREAD_NAME, 0, false);
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        e.setKeepAliveTime(30, TimeUnit.SECONDS);
        e.allowCoreThreadTimeOut(true); // no thread at all while nothing is pending
        return e;
    }

    /** One non-blocking try of an asynchronous wait. */
    @FunctionalInterface
    public interface Attempt<T> {
        /**
         * Tries the operation once, without blocking (a wait of a millisecond or so for a lock
         * held only for a copy is acceptable).
         *
         * @param result receives the result when the operation took effect (before returning
         *     {@link WaitLoop#DONE}); a non-null value unless the caller's result type allows null
         * @return {@link WaitLoop#DONE} if it took effect, {@link #RETRY_SOON}, or the value of the
         *     futex word (zero-extended int) that made it fail, read before the condition was
         *     checked, on which the wait sleeps
         */
        long attempt(Consumer<? super T> result);
    }

    /**
     * Starts an asynchronous wait: tries once in the calling thread, and if that fails (and the
     * timeout is positive) registers a waiter that completes the returned future when an attempt
     * succeeds, the timeout passes, or the check or an attempt throws.
     *
     * <p>Any thread may call this; it never blocks (beyond the attempt itself).
     *
     * @param segment the attachment the caller acts through; its buffer holds the word and count
     * @param word offset of the futex word
     * @param waiters offset of the int waiter count that wakers of the word read
     * @param attempt the operation
     * @param check run before the first sleep and after each liveness notice, as in
     *     {@link WaitLoop#await}
     * @param timeoutNanos {@code <= 0} to try once, {@link WaitLoop#FOREVER} for no deadline
     * @param onTimeout the future's value if the timeout passes
     * @param onAbandon run (in any thread) when a registered wait ends without success, by
     *     timeout, failure or an external completion: passes on a wake-up the wait may have
     *     consumed (as the blocking forms do when they give up); must not throw
     * @param <T> the result type
     * @return the future; already completed if the first try decided
     */
    public static <T> CompletableFuture<T> await(Segment segment, int word, int waiters, Attempt<T> attempt,
            WaitLoop.SliceCheck check, long timeoutNanos, T onTimeout, Runnable onAbandon) {
        Objects.requireNonNull(segment, "segment");
        segment.buffer().addressOfInt(word); // checks both offsets before anything is registered
        segment.buffer().addressOfInt(waiters);
        AsyncWait<T> w = new AsyncWait<>(segment, word, waiters, Objects.requireNonNull(attempt, "attempt"),
                Objects.requireNonNull(check, "check"), timeoutNanos, onTimeout,
                Objects.requireNonNull(onAbandon, "onAbandon"));
        w.start();
        return w;
    }

    /**
     * Sends a liveness notice to every pending asynchronous wait on {@code buffer}: each runs its
     * check in a step soon. Called by {@link WaitLoop#wakeSleepers}.
     *
     * @param buffer a segment's mapping
     */
    static void noticeAll(SharedBuffer buffer) {
        VarHandle.fullFence();
        for (AsyncWait<?> w : PENDING) {
            if (w.buffer == buffer) {
                w.notice();
            }
        }
    }

    /** @return asynchronous waits registered now in this JVM (for tests and monitoring) */
    public static int pending() {
        return PENDING.size();
    }
}
