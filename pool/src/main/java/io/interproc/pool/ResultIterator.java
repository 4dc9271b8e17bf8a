package io.interproc.pool;

import io.interproc.core.wait.Deadline;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The results of {@link ProcessPool#imap} (in the order of the arguments) or
 * {@link ProcessPool#imapUnordered} (in the order they complete), handed out as they become ready
 * (Python's {@code IMapIterator}). It is its own {@link Iterable}, so it fits a for-each loop, once:
 *
 * <pre>{@code
 * for (Integer square : pool.imap(x -> x * x, numbers)) {
 *     System.out.println(square);
 * }
 * }</pre>
 *
 * <p><b>Failures.</b> A result whose task failed throws from {@link #next()} as a
 * {@link CompletionException} whose cause is the task's exception (the worker's own exception with
 * the worker's stack trace, a {@link RemoteTaskException}, or a
 * {@link io.interproc.core.PeerDiedException} if the worker died running it); iteration may go on
 * past it. {@link #next(long, TimeUnit)} throws an {@link ExecutionException} with the same cause.
 * A failure of the argument iterator itself is reported the same way, at the position where it
 * happened, and ends the results.
 *
 * <p><b>Blocking.</b> {@link #hasNext()} blocks until it is known whether another result will come
 * (the pool reads the arguments as workers become free), and {@link #next()} until that result is
 * ready; neither waits on a dead worker, whose task fails instead. An interrupt makes them throw a
 * {@link CompletionException} whose cause is an {@link InterruptedException}, with the thread's
 * interrupt status set again. {@link #next(long, TimeUnit)} is the form with a timeout.
 *
 * <p><b>Reading ahead.</b> The pool reads arguments and computes results ahead of the reader, but
 * not without bound: once {@code max(64, 16 * workers * chunkSize)} results wait to be handed out,
 * it sends no more of this call's tasks until the reader catches up (other submissions go on). A
 * reader that stops early should {@link #close()} the iterator: otherwise the call stays pending,
 * and {@link ProcessPool#shutdown()} waits for it to finish.
 *
 * <p><b>Memory effects.</b> A task's actions in its worker happen-before the return of the
 * {@code next} that hands out its result. One thread at a time should iterate; the methods are
 * thread-safe.
 *
 * @param <R> the type of the results
 */
public interface ResultIterator<R> extends Iterator<R>, Iterable<R>, AutoCloseable {
    /**
     * Whether another result will come, waiting until that is known. Any thread may call this.
     *
     * @return true if {@link #next()} will return or throw a result's outcome
     * @throws CompletionException with an {@link InterruptedException} cause if interrupted while
     *     waiting
     */
    @Override
    boolean hasNext();

    /**
     * The next result, waiting as long as it takes for it. Any thread may call this.
     *
     * @return the result
     * @throws NoSuchElementException if there are no more results
     * @throws CompletionException if the task failed (the cause is its exception) or the wait was
     *     interrupted (the cause is an {@link InterruptedException})
     * @throws CancellationException if the run was cancelled or the pool shut down now
     */
    @Override
    R next();

    /**
     * The next result, waiting at most {@code timeout} for it (Python's {@code next(timeout)}).
     * Any thread may call this. On a timeout the result is not consumed: a later call returns it.
     *
     * @param timeout how long to wait; {@code <= 0} checks once
     * @param unit its unit
     * @return the result
     * @throws NoSuchElementException if there are no more results
     * @throws ExecutionException if the task failed; the cause is its exception
     * @throws CancellationException if the run was cancelled or the pool shut down now
     * @throws TimeoutException if no result was ready in time
     * @throws InterruptedException if interrupted while waiting (the interrupt status is cleared)
     */
    R next(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException;

    /**
     * As {@link #next(long, TimeUnit)}, with a {@link Duration}. Any thread may call this. On a
     * timeout the result is not consumed.
     *
     * @param timeout how long to wait; zero or negative checks once
     * @return the result
     * @throws NoSuchElementException if there are no more results
     * @throws ExecutionException if the task failed; the cause is its exception
     * @throws CancellationException if the run was cancelled or the pool shut down now
     * @throws TimeoutException if no result was ready in time
     * @throws InterruptedException if interrupted while waiting (the interrupt status is cleared)
     */
    default R next(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        return next(Deadline.toNanos(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * Stops the call: its tasks not yet sent to a worker are dropped, results not yet handed out
     * are discarded (a later {@link #next()} throws {@link CancellationException} for them), and
     * tasks running now finish in their workers with their results ignored. Any thread may call
     * this, any number of times; it does not block.
     */
    @Override
    void close();

    /**
     * Returns this iterator, so that a for-each loop can walk the results; it can be walked once.
     * Any thread may call this.
     *
     * @return this
     */
    @Override
    default Iterator<R> iterator() {
        return this;
    }
}
