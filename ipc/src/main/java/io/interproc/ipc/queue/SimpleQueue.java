package io.interproc.ipc.queue;

import io.interproc.core.Codec;
import io.interproc.core.CodecException;
import io.interproc.core.Segment;
import io.interproc.core.wait.WaitLoop;
import io.interproc.ipc.CodecCalls;
import io.interproc.ipc.IpcKinds;

import java.util.Objects;

/**
 * A simplified queue (Python: {@code multiprocessing.SimpleQueue}): {@link #put}, {@link #get} and
 * {@link #isEmpty} only, no timeouts. Its default ring is large ({@value #DEFAULT_CAPACITY} bytes,
 * sparse: untouched pages cost nothing), so it feels unbounded; {@link #put} still waits if the ring
 * is ever full. Same ordering, crash safety and memory effects as {@link SharedQueue}.
 *
 * @param <E> the type of element
 */
public final class SimpleQueue<E> {
    /** Default ring size: 16 MiB. */
    public static final int DEFAULT_CAPACITY = 16 << 20;

    private final QueueCore core;
    private final Codec<E> codec;

    private SimpleQueue(QueueCore core, Codec<E> codec) {
        this.core = core;
        this.codec = Objects.requireNonNull(codec, "codec");
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

    /** @return the queue's name in its segment */
    public String name() {
        return core.name();
    }

    /**
     * Puts an element, waiting for room if the ring is full.
     *
     * @param e the element
     * @throws InterruptedException if interrupted while waiting
     * @throws CodecException if it cannot be encoded (nothing is put)
     */
    public void put(E e) throws InterruptedException {
        core.offer(CodecCalls.encode(codec, e), WaitLoop.FOREVER);
    }

    /**
     * Takes the next element, waiting for one.
     *
     * @return the element
     * @throws InterruptedException if interrupted while waiting
     * @throws CodecException if it cannot be decoded (it is removed)
     */
    public E get() throws InterruptedException {
        byte[] bytes = core.poll(WaitLoop.FOREVER);
        try {
            return CodecCalls.decode(codec, bytes, core.description(), "removed from the queue");
        } catch (CodecException ce) {
            core.countUndecodable();
            throw ce;
        }
    }

    /** @return true if nothing is queued */
    public boolean isEmpty() {
        return core.isEmpty();
    }

    @Override
    public String toString() {
        return core.toString();
    }
}
