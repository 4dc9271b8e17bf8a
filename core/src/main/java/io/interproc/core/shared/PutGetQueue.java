package io.interproc.core.shared;

/**
 * The simplest queue (Python: {@code multiprocessing.SimpleQueue}): {@link #put}, {@link #get}
 * and {@link #isEmpty}, in first-in first-out order. Implemented by
 * {@code io.interproc.ipc.queue.SimpleQueue} and by the redis module's simple queue. Use a
 * {@link java.util.concurrent.BlockingQueue} where a timeout is needed.
 *
 * <p>Any thread of any process holding a handle may call every method. Memory effects: actions
 * before a {@link #put} happen-before the return of the {@link #get} that takes the element.
 *
 * @param <E> the type of element
 */
public interface PutGetQueue<E> {
    /**
     * Appends an element, waiting for room where the queue is bounded.
     *
     * @param e the element, not null
     * @throws InterruptedException if interrupted while waiting
     */
    void put(E e) throws InterruptedException;

    /**
     * Takes the oldest element, waiting for one.
     *
     * @return the element
     * @throws InterruptedException if interrupted while waiting
     */
    E get() throws InterruptedException;

    /** @return true if nothing is queued now (a snapshot) */
    boolean isEmpty();
}
