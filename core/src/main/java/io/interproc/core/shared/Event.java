package io.interproc.core.shared;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A flag that threads of any process can set, clear and wait for (Python:
 * {@code multiprocessing.Event}). Implemented by {@code io.interproc.sync.SharedEvent} and by the
 * redis module's event.
 *
 * <p>Any thread of any process holding a handle may call every method. Memory effects: actions
 * before {@link #set()} happen-before the return of an {@code await} or {@link #isSet()} that
 * observes that set.
 */
public interface Event {
    /** @return the event's name in its store */
    String name();

    /** Sets the flag and wakes every waiter. Setting a set event changes nothing. */
    void set();

    /** Clears the flag; later waiters wait until the next {@link #set()}. */
    void clear();

    /** @return whether the flag is set now */
    boolean isSet();

    /**
     * Waits until the flag is set (returns at once if it is).
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    void await() throws InterruptedException;

    /**
     * Waits until the flag is set or the timeout elapses.
     *
     * @param timeout how long to wait at most; zero or less checks once
     * @param unit its unit
     * @return true if the flag was seen set, false on timeout
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * As {@link #await(long, TimeUnit)}.
     *
     * @param timeout how long to wait at most
     * @return true if the flag was seen set, false on timeout
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    boolean await(Duration timeout) throws InterruptedException;
}
