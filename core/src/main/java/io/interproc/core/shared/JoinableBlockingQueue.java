package io.interproc.core.shared;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A blocking queue that counts unfinished tasks (Python: {@code multiprocessing.JoinableQueue}):
 * every element put is a task, {@link #taskDone()} marks one finished, and {@link #join()} waits
 * until every task put has been marked. Implemented by {@code io.interproc.ipc.queue.JoinableQueue}
 * and by the redis module's joinable queue.
 *
 * <p>Any thread of any process holding a handle may call every method. Memory effects: actions
 * before a {@link #taskDone()} happen-before the return of a {@code join} that it released.
 *
 * @param <E> the type of element
 */
public interface JoinableBlockingQueue<E> extends BlockingQueue<E> {
    /**
     * Marks one task finished.
     *
     * @throws IllegalStateException if no task is unfinished (more calls than elements put)
     */
    void taskDone();

    /** @return how many tasks were put and not yet marked done (a snapshot) */
    long unfinishedTasks();

    /**
     * Waits until every task is done.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void join() throws InterruptedException;

    /**
     * Waits until every task is done or the timeout elapses.
     *
     * @param timeout how long to wait at most
     * @param unit its unit
     * @return true if every task was done, false on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    boolean join(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * As {@link #join(long, TimeUnit)}.
     *
     * @param timeout how long to wait at most
     * @return true if every task was done, false on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    boolean join(Duration timeout) throws InterruptedException;
}
