package io.interproc.ipc.queue;

import io.interproc.core.Segment;
import io.interproc.core.spi.ObjectKind;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.ipc.ring.RingDescriptor;

/**
 * Where a queue's consumers sleep, for its asynchronous takes: the ring's "not empty" futex word
 * (the low half of the tail) and the count of consumers sleeping on it, which every put reads
 * before it wakes them all. Absolute offsets in the segment's buffer; from {@link QueueDescriptor}
 * and {@link RingDescriptor}. Immutable.
 *
 * @param notEmptyWord offset of the futex word that changes with every message published
 * @param notEmptyWaiters offset of the int count of consumers sleeping on it
 */
record QueueWaitWords(int notEmptyWord, int notEmptyWaiters) {
    /**
     * @param segment the queue's segment
     * @param name the queue's name
     * @param kind its kind
     * @return the queue's words
     */
    static QueueWaitWords of(Segment segment, String name, ObjectKind kind) {
        ObjectRegion region = segment.openObject(name, kind);
        int ring = region.offset() + QueueDescriptor.RING_OFFSET;
        return new QueueWaitWords(ring + RingDescriptor.TAIL_OFFSET + RingDescriptor.LOW_HALF,
                ring + RingDescriptor.NOT_EMPTY_WAITERS_OFFSET);
    }
}
