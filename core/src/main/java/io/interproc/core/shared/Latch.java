package io.interproc.core.shared;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A count-down latch shared by processes (Java: {@link java.util.concurrent.CountDownLatch}):
 * its count is set when it is created, {@link #countDown()} lowers it, and waiters are released
 * when it reaches zero, for good (it is not reset).
 *
 * <p>Any thread of any process holding a handle may call every method. Memory effects: actions
 * before a {@link #countDown()} happen-before the return of an {@code await} that sees zero.
 */
public interface Latch {
    /** @return the latch's name in its store */
    String name();

    /** Lowers the count by one if it is above zero; at zero every waiter is released. */
    void countDown();

    /** @return the count now (a snapshot) */
    long getCount();

    /**
     * Waits until the count is zero.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void await() throws InterruptedException;

    /**
     * Waits until the count is zero or the timeout elapses.
     *
     * @param timeout how long to wait at most; zero or less checks once
     * @param unit its unit
     * @return true if the count was seen zero, false on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * As {@link #await(long, TimeUnit)}.
     *
     * @param timeout how long to wait at most
     * @return true if the count was seen zero, false on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    default boolean await(Duration timeout) throws InterruptedException {
        return await(Timeouts.nanos(timeout), TimeUnit.NANOSECONDS);
    }
}
