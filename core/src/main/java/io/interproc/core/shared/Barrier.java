package io.interproc.core.shared;

import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cyclic barrier for a fixed number of parties in any processes (Python:
 * {@code multiprocessing.Barrier}; Java: {@link java.util.concurrent.CyclicBarrier}). Implemented
 * by {@code io.interproc.sync.SharedBarrier} and by the redis module's barrier.
 *
 * <p>Any thread of any process holding a handle may call every method. Memory effects: actions of
 * every party before its {@code await} happen-before the return of every party's {@code await} in
 * the same generation.
 */
public interface Barrier {
    /** @return the barrier's name in its store */
    String name();

    /** @return how many parties must arrive to trip the barrier */
    int parties();

    /** @return whether the current generation is broken (a party timed out, was interrupted, or {@link #abort()}) */
    boolean isBroken();

    /** @return how many parties wait now (a snapshot) */
    int numberWaiting();

    /**
     * Waits until every party has arrived.
     *
     * @return the arrival index: {@code parties() - 1} for the first to arrive, 0 for the last
     * @throws InterruptedException if interrupted while waiting (the barrier is broken)
     * @throws BrokenBarrierException if the barrier is or becomes broken
     */
    int await() throws InterruptedException, BrokenBarrierException;

    /**
     * Waits until every party has arrived or the timeout elapses; a timeout breaks the barrier.
     *
     * @param timeout how long to wait at most
     * @param unit its unit
     * @return the arrival index
     * @throws InterruptedException if interrupted while waiting (the barrier is broken)
     * @throws BrokenBarrierException if the barrier is or becomes broken
     * @throws TimeoutException if the timeout elapsed (the barrier is broken)
     */
    int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException, TimeoutException;

    /**
     * As {@link #await(long, TimeUnit)}.
     *
     * @param timeout how long to wait at most
     * @return the arrival index
     * @throws InterruptedException if interrupted while waiting (the barrier is broken)
     * @throws BrokenBarrierException if the barrier is or becomes broken
     * @throws TimeoutException if the timeout elapsed (the barrier is broken)
     */
    int await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException;

    /** Breaks the current generation if parties wait in it, then starts a fresh, unbroken one. */
    void reset();

    /** Breaks the barrier: every waiting and later party gets a {@link BrokenBarrierException} until {@link #reset()}. */
    void abort();
}
