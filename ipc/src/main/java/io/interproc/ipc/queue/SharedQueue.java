package io.interproc.ipc.queue;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.ipc.IpcKinds;

/**
 * A bounded multi-producer, multi-consumer FIFO queue shared by every process that opens it by
 * name (Python: {@code multiprocessing.Queue}). See {@link AbstractSharedQueue} for the
 * operations, ordering, crash safety and memory effects. Layout: {@link QueueDescriptor}.
 *
 * <pre>{@code
 * SharedQueue<String> jobs = SharedQueue.openOrCreate(segment, "jobs", 1 << 20, Codec.utf8());
 * jobs.put("resize /tmp/a.png");          // any JVM
 * String job = jobs.take();               // any other JVM
 * }</pre>
 *
 * @param <E> the type of element
 */
public final class SharedQueue<E> extends AbstractSharedQueue<E> {
    private SharedQueue(QueueCore core, Codec<E> codec) {
        super(core, codec);
    }

    /**
     * Creates a new queue.
     *
     * @param segment where it lives
     * @param name its name in the segment
     * @param capacity ring size in bytes, rounded up to a power of two (at least 256)
     * @param codec how elements become bytes
     * @param <E> the type of element
     * @return the new queue
     * @throws io.interproc.core.ObjectExistsException if the name exists
     * @throws io.interproc.core.SegmentFullException if it does not fit
     */
    public static <E> SharedQueue<E> create(Segment segment, String name, long capacity, Codec<E> codec) {
        return new SharedQueue<>(QueueCore.create(segment, name, IpcKinds.QUEUE, capacity), codec);
    }

    /**
     * Opens an existing queue.
     *
     * @param segment where it lives
     * @param name its name
     * @param codec how elements become bytes (must match the other processes')
     * @param <E> the type of element
     * @return the queue
     * @throws io.interproc.core.NoSuchObjectException if there is none
     * @throws io.interproc.core.KindMismatchException if the name is another kind of object
     */
    public static <E> SharedQueue<E> open(Segment segment, String name, Codec<E> codec) {
        return new SharedQueue<>(QueueCore.open(segment, name, IpcKinds.QUEUE), codec);
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
    public static <E> SharedQueue<E> openOrCreate(Segment segment, String name, long capacity, Codec<E> codec) {
        return new SharedQueue<>(
                QueueCore.openOrCreate(segment, name, IpcKinds.QUEUE, capacity), codec);
    }
}
