package io.interproc.ipc.queue;

import io.interproc.core.memory.Layout;
import io.interproc.ipc.ring.RingDescriptor;
import io.interproc.sync.internal.LockDescriptor;

/**
 * Layout of a {@link SharedQueue}, {@link JoinableQueue} or {@link SimpleQueue}: a header, two
 * embedded locks (laid out by {@link LockDescriptor}), the join state, counters,
 * then one {@link RingDescriptor ring}. Every part starts on its own
 * {@link Layout#LINE_PAIR}; offsets are derived from the ones before them and their
 * sizes, and the diagram is pinned by {@code IpcDescriptorTest}.
 *
 * <pre>
 *  offset  size  field                                      written by
 *  ------  ----  -----------------------------------------  ------------------------------
 *       0     4  ring capacity (bytes, power of two)         creator
 *       4     4  flags: bit 0 joinable                       creator
 *       8   120  reserved
 *     128   128  producer lock: one producer at a time       producers
 *     256   128  consumer lock: one consumer at a time       consumers
 *     384     8  tasks done (JoinableQueue); its low 32      taskDone() callers (CAS)
 *                bits are the futex word join() sleeps on
 *     392     4  join() waiters                              joiners
 *     396   116  reserved
 *     512     8  messages taken that could not be decoded    consumers
 *     520   120  reserved
 *     640     …  ring: {@link RingDescriptor}, 512 + capacity bytes
 * </pre>
 */
public final class QueueDescriptor {
    /** Offset of the ring capacity. */
    public static final int CAPACITY_OFFSET = 0;
    /** Offset of the flags. */
    public static final int FLAGS_OFFSET = CAPACITY_OFFSET + Integer.BYTES;
    /** Flag: the queue is joinable. */
    public static final int FLAG_JOINABLE = 1;
    /** Bytes reserved for each embedded lock: a lock's layout, rounded up to whole lines. */
    public static final int LOCK_SIZE = Layout.align(LockDescriptor.SIZE, Layout.LINE_PAIR);
    /** Offset of the producer lock. */
    public static final int PRODUCER_LOCK_OFFSET = CAPACITY_OFFSET + Layout.LINE_PAIR;
    /** Offset of the consumer lock. */
    public static final int CONSUMER_LOCK_OFFSET = PRODUCER_LOCK_OFFSET + LOCK_SIZE;
    /** Offset of the count of tasks done. */
    public static final int TASKS_DONE_OFFSET = CONSUMER_LOCK_OFFSET + LOCK_SIZE;
    /** Offset of the count of join() waiters. */
    public static final int JOIN_WAITERS_OFFSET = TASKS_DONE_OFFSET + Long.BYTES;
    /** Offset of the count of undecodable messages. */
    public static final int UNDECODABLE_OFFSET = TASKS_DONE_OFFSET + Layout.LINE_PAIR;
    /** Offset of the ring. */
    public static final int RING_OFFSET = UNDECODABLE_OFFSET + Layout.LINE_PAIR;

    private QueueDescriptor() {
    }

    /**
     * @param ringCapacity ring data bytes, from {@link RingDescriptor#capacityFor(long)}
     * @return bytes a queue with that ring occupies (what its segment must have room for, besides
     *     the segment's own rounding of each object)
     */
    public static long size(int ringCapacity) {
        return RING_OFFSET + RingDescriptor.size(ringCapacity);
    }
}
