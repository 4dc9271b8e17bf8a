package io.interproc.ipc;

/**
 * Layout of a {@link SharedQueue}, {@link JoinableQueue} or {@link SimpleQueue}: a header, two
 * embedded locks (laid out by {@code io.interproc.sync.LockDescriptor}), the join state, counters,
 * then one {@link RingDescriptor ring}. Every part starts on its own 128-byte line.
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
    public static final int FLAGS_OFFSET = 4;
    /** Flag: the queue is joinable. */
    public static final int FLAG_JOINABLE = 1;
    /** Offset of the producer lock. */
    public static final int PRODUCER_LOCK_OFFSET = 128;
    /** Offset of the consumer lock. */
    public static final int CONSUMER_LOCK_OFFSET = 256;
    /** Bytes reserved for each embedded lock. */
    public static final int LOCK_SIZE = 128;
    /** Offset of the count of tasks done. */
    public static final int TASKS_DONE_OFFSET = 384;
    /** Offset of the count of join() waiters. */
    public static final int JOIN_WAITERS_OFFSET = 392;
    /** Offset of the count of undecodable messages. */
    public static final int UNDECODABLE_OFFSET = 512;
    /** Offset of the ring. */
    public static final int RING_OFFSET = 640;

    private QueueDescriptor() {
    }

    /**
     * @param ringCapacity ring data bytes
     * @return bytes a queue with that ring occupies
     */
    public static long size(int ringCapacity) {
        return RING_OFFSET + RingDescriptor.size(ringCapacity);
    }
}
