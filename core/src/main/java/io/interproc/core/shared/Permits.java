package io.interproc.core.shared;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A counting semaphore shared by processes (Python: {@code multiprocessing.Semaphore} and
 * {@code BoundedSemaphore}; Java: {@link java.util.concurrent.Semaphore}). Permits are not owned:
 * any thread of any process may release permits it never acquired. A bounded one refuses a release
 * that would raise the count above its {@link #maxPermits()}. Implemented by
 * {@code io.interproc.sync.SharedSemaphore} and by the redis module's semaphore.
 *
 * <p>Any thread of any process holding a handle may call every method. Memory effects: actions
 * before a release happen-before the return of an acquisition that takes the released permits.
 */
public interface Permits {
    /** @return the semaphore's name in its store */
    String name();

    /** @return whether releases beyond {@link #maxPermits()} are refused */
    boolean isBounded();

    /**
     * @return the most permits a bounded semaphore can hold
     * @throws IllegalStateException if the semaphore is not bounded
     */
    int maxPermits();

    /** @return the permits available now (a snapshot) */
    int availablePermits();

    /**
     * Takes one permit, waiting for it.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void acquire() throws InterruptedException;

    /**
     * Takes {@code permits} permits at once, waiting for them.
     *
     * @param permits how many, {@code >= 0}
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    void acquire(int permits) throws InterruptedException;

    /** Takes one permit, waiting for it; an interrupt does not stop the wait (the status is kept). */
    void acquireUninterruptibly();

    /** @return true if a permit was taken, without waiting */
    boolean tryAcquire();

    /**
     * @param permits how many, {@code >= 0}
     * @return true if the permits were taken, without waiting
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    boolean tryAcquire(int permits);

    /**
     * Takes one permit, waiting at most the timeout.
     *
     * @param timeout how long to wait at most
     * @param unit its unit
     * @return true if taken, false on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Takes {@code permits} permits at once, waiting at most the timeout.
     *
     * @param permits how many, {@code >= 0}
     * @param timeout how long to wait at most
     * @param unit its unit
     * @return true if taken, false on timeout (none taken)
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * As {@link #tryAcquire(long, TimeUnit)}.
     *
     * @param timeout how long to wait at most
     * @return true if taken, false on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    boolean tryAcquire(Duration timeout) throws InterruptedException;

    /**
     * As {@link #tryAcquire(int, long, TimeUnit)}.
     *
     * @param permits how many, {@code >= 0}
     * @param timeout how long to wait at most
     * @return true if taken, false on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    boolean tryAcquire(int permits, Duration timeout) throws InterruptedException;

    /** @return how many permits were available and are now taken (all of them) */
    int drainPermits();

    /**
     * Returns one permit.
     *
     * @throws IllegalStateException if bounded and the count would exceed {@link #maxPermits()}
     */
    void release();

    /**
     * Returns {@code permits} permits.
     *
     * @param permits how many, {@code >= 0}
     * @throws IllegalArgumentException if {@code permits} is negative
     * @throws IllegalStateException if bounded and the count would exceed {@link #maxPermits()}
     *     (nothing is released)
     */
    void release(int permits);
}
