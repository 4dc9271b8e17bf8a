package io.interproc.ipc.queue;

import io.interproc.core.Codec;
import io.interproc.core.CodecException;
import io.interproc.core.Segment;
import io.interproc.core.shared.PutGetQueue;
import io.interproc.ipc.IpcKinds;

/**
 * A simplified queue (Python: {@code multiprocessing.SimpleQueue}): Python's three methods are
 * {@link #put}, {@link #get} and {@link #isEmpty}. Its default ring is large
 * ({@value #DEFAULT_CAPACITY} bytes, sparse: untouched pages cost nothing), so it feels
 * unbounded; {@link #put} still waits if the ring is ever full. Same ordering, crash safety and
 * memory effects as {@link SharedQueue}; and, so that it can be handed to any API that takes a
 * {@link java.util.concurrent.BlockingQueue}, the same {@code BlockingQueue} methods (with the
 * differences documented on {@link AbstractSharedQueue}).
 *
 * @param <E> the type of element
 */
public final class SimpleQueue<E> extends AbstractSharedQueue<E> implements PutGetQueue<E> {
    /** Default ring size: 16 MiB. */
    public static final int DEFAULT_CAPACITY = 16 << 20;

    private SimpleQueue(QueueCore core, Codec<E> codec) {
        super(core, codec);
    }

    /**
     * Opens the queue, creating it with a {@value #DEFAULT_CAPACITY}-byte ring if it does not exist.
     *
     * @param segment where it lives (it must have room for the ring)
     * @param name its name
     * @param codec how elements become bytes
     * @param <E> the type of element
     * @return the queue
     */
    public static <E> SimpleQueue<E> openOrCreate(Segment segment, String name, Codec<E> codec) {
        return openOrCreate(segment, name, DEFAULT_CAPACITY, codec);
    }

    /**
     * Opens the queue, creating it if it does not exist; {@code capacity} is ignored if it exists.
     *
     * @param segment where it lives
     * @param name its name
     * @param capacity ring size in bytes if created
     * @param codec how elements become bytes
     * @param <E> the type of element
     * @return the queue
     */
    public static <E> SimpleQueue<E> openOrCreate(Segment segment, String name, long capacity, Codec<E> codec) {
        return new SimpleQueue<>(
                QueueCore.openOrCreate(segment, name, IpcKinds.SIMPLE_QUEUE, capacity), codec);
    }

    /**
     * Opens an existing queue.
     *
     * @param segment where it lives
     * @param name its name
     * @param codec how elements become bytes
     * @param <E> the type of element
     * @return the queue
     * @throws io.interproc.core.NoSuchObjectException if there is none
     */
    public static <E> SimpleQueue<E> open(Segment segment, String name, Codec<E> codec) {
        return new SimpleQueue<>(QueueCore.open(segment, name, IpcKinds.SIMPLE_QUEUE), codec);
    }

    /**
     * Takes the next element, waiting for one: {@link #take()} under Python's name. Any thread of
     * any attached process may call it.
     *
     * @return the element
     * @throws InterruptedException if interrupted before or while waiting
     * @throws CodecException if it cannot be decoded (it is removed)
     */
    public E get() throws InterruptedException {
        return take();
    }
}
