package io.interproc.pool;

import io.interproc.core.wait.Deadline;

import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Futures handed out in the order they complete, from {@link ProcessPool#asCompleted} (Python's
 * {@code concurrent.futures.as_completed}). It is its own {@link Iterable}, so it fits a for-each
 * loop, once.
 *
 * <p><b>Blocking and the timeout.</b> {@link #hasNext()} does not block: it says whether some of
 * the futures have not been handed out yet. {@link #next()} waits until the next one is done and
 * returns it (done: completed, failed or cancelled — call its {@code get} or {@code join} for the
 * outcome). Once the overall timeout given to {@code asCompleted} has passed with futures still
 * not done, {@code next()} throws a {@link CompletionException} whose cause is a
 * {@link TimeoutException} saying how many are left, as Python's iterator raises
 * {@code TimeoutError}; the futures are not cancelled, and a later {@code next()} still returns any
 * that are done by then. An interrupt makes {@code next()} throw a {@link CompletionException}
 * whose cause is an {@link InterruptedException}, with the interrupt status set again.
 * {@link #next(long, TimeUnit)} and {@link #next(Duration)} are the forms with checked exceptions
 * and a timeout of their own.
 *
 * <p><b>Memory effects.</b> A future's completion happens-before the {@code next} that returns it.
 * One thread at a time should iterate; the methods are thread-safe.
 *
 * @param <F> the type of the futures
 */
public final class AsCompleted<F extends Future<?>> implements Iterator<F>, Iterable<F> {
    private final LinkedBlockingQueue<F> done = new LinkedBlockingQueue<>();
    private final AtomicInteger left;
    private final int total;
    private final long deadline;
    private final Duration timeout;

    private AsCompleted(int total, Duration timeout) {
        this.total = total;
        this.left = new AtomicInteger(total);
        this.timeout = timeout;
        this.deadline = timeout == null ? Deadline.NONE : Deadline.after(Deadline.toNanos(timeout));
    }

    static <F extends Future<?>> AsCompleted<F> of(Collection<? extends F> futures, Duration timeout) {
        Objects.requireNonNull(futures, "futures");
        int i = 0;
        for (F f : futures) {
            Objects.requireNonNull(f, "future " + i + " is null");
            if (!(f instanceof CompletionStage) && !f.isDone()) {
                throw new IllegalArgumentException("asCompleted needs futures that are CompletionStages (those of"
                        + " ProcessPool.submit, applyAsync, supplyAsync, any CompletableFuture) or already done: future "
                        + i + " is a " + f.getClass().getName() + " not done");
            }
            i++;
        }
        AsCompleted<F> it = new AsCompleted<>(i, timeout);
        for (F f : futures) {
            if (f instanceof CompletionStage) {
                ((CompletionStage<?>) f).whenComplete((value, failure) -> it.done.add(f));
            } else {
                it.done.add(f);
            }
        }
        return it;
    }

    /**
     * Whether some futures have not been handed out yet; does not block. Any thread may call this.
     *
     * @return true if {@link #next()} will return a future or throw on the timeout
     */
    @Override
    public boolean hasNext() {
        return left.get() > 0;
    }

    /**
     * The next future to complete, waiting for it until the overall timeout. Any thread may call this.
     *
     * @return a done future
     * @throws NoSuchElementException if every future has been handed out
     * @throws CompletionException with a {@link TimeoutException} cause once the overall timeout has
     *     passed and the next future is not done, or with an {@link InterruptedException} cause if
     *     interrupted while waiting (the interrupt status is set again)
     */
    @Override
    public F next() {
        try {
            return take(Deadline.remainingOrZero(deadline), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        } catch (TimeoutException e) {
            throw new CompletionException(e);
        }
    }

    /**
     * The next future to complete, waiting at most {@code timeout} (and not past the overall
     * timeout). Any thread may call this. On a timeout nothing is consumed.
     *
     * @param timeout how long to wait; {@code <= 0} checks once
     * @param unit its unit
     * @return a done future
     * @throws NoSuchElementException if every future has been handed out
     * @throws TimeoutException if none was done in time
     * @throws InterruptedException if interrupted while waiting (the interrupt status is cleared)
     */
    public F next(long timeout, TimeUnit unit) throws InterruptedException, TimeoutException {
        long mine = Deadline.deadline(timeout, unit);
        return take(Math.min(Deadline.remainingOrZero(mine), Deadline.remainingOrZero(deadline)),
                timeout + " " + unit);
    }

    /**
     * As {@link #next(long, TimeUnit)}, with a {@link Duration}.
     *
     * @param timeout how long to wait; zero or negative checks once
     * @return a done future
     * @throws NoSuchElementException if every future has been handed out
     * @throws TimeoutException if none was done in time
     * @throws InterruptedException if interrupted while waiting
     */
    public F next(Duration timeout) throws InterruptedException, TimeoutException {
        return next(Deadline.toNanos(timeout), TimeUnit.NANOSECONDS);
    }

    private F take(long nanos, String ownTimeout) throws InterruptedException, TimeoutException {
        if (left.get() <= 0) {
            throw new NoSuchElementException("asCompleted: all " + total + " futures handed out");
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        F f = nanos == Long.MAX_VALUE ? done.take() : done.poll(nanos, TimeUnit.NANOSECONDS);
        if (f == null) {
            throw new TimeoutException(left.get() + " of " + total + " futures not done within "
                    + (ownTimeout != null && Deadline.remaining(deadline) > 0 ? ownTimeout : String.valueOf(timeout)));
        }
        left.decrementAndGet();
        return f;
    }

    /**
     * Returns this iterator, so that a for-each loop can walk the futures; it can be walked once.
     * Any thread may call this.
     *
     * @return this
     */
    @Override
    public Iterator<F> iterator() {
        return this;
    }
}
