package io.interproc.ipc;

import io.interproc.core.ObjectInfo;
import io.interproc.core.Segment;
import io.interproc.core.SharedBuffer;

/**
 * Reads a ring's shared words through the public {@link RingDescriptor} offsets, so tests can wait
 * for a state (a sleeper registered, a stream half consumed) instead of sleeping and hoping.
 */
final class RingProbe {
    private final SharedBuffer b;
    private final int base;

    private RingProbe(Segment segment, String object, int ringOffset) {
        ObjectInfo info = segment.objects().stream().filter(o -> o.name().equals(object)).findFirst()
                .orElseThrow(() -> new AssertionError("no object " + object + " in " + segment));
        this.b = segment.buffer();
        this.base = info.offset() + ringOffset;
    }

    /** @return a probe of the ring of the queue {@code name} */
    static RingProbe queue(Segment segment, String name) {
        return new RingProbe(segment, name, QueueDescriptor.RING_OFFSET);
    }

    /** @return a probe of the ring of pipe {@code name} that end {@code reader} reads */
    static RingProbe pipe(Segment segment, String name, Pipe.End reader) {
        int capacity = segment.buffer().getIntVolatile(segment.objects().stream()
                .filter(o -> o.name().equals(name)).findFirst().orElseThrow().offset() + PipeDescriptor.CAPACITY_OFFSET);
        return new RingProbe(segment, name, reader == Pipe.End.A ? PipeDescriptor.FIRST_RING_OFFSET
                : PipeDescriptor.secondRingOffset(capacity));
    }

    long tail() {
        return b.getLongVolatile(base + RingDescriptor.TAIL_OFFSET);
    }

    long head() {
        return b.getLongVolatile(base + RingDescriptor.HEAD_OFFSET);
    }

    long messagesPut() {
        return b.getLongVolatile(base + RingDescriptor.PUT_COUNT_OFFSET);
    }

    long messagesTaken() {
        return b.getLongVolatile(base + RingDescriptor.TAKEN_COUNT_OFFSET);
    }

    long messagesLost() {
        return b.getLongVolatile(base + RingDescriptor.LOST_OFFSET);
    }

    long partialsDiscarded() {
        return b.getLongVolatile(base + RingDescriptor.DISCARDED_OFFSET);
    }

    /** Absolute offset of the ring's start in the segment (for tests that damage it). */
    int base() {
        return base;
    }

    int streamOwner() {
        return b.getIntVolatile(base + RingDescriptor.STREAM_OWNER_OFFSET);
    }

    /** @return consumers registered to sleep until the ring is not empty */
    int notEmptyWaiters() {
        return b.getIntVolatile(base + RingDescriptor.NOT_EMPTY_WAITERS_OFFSET);
    }

    /** @return producers registered to sleep until the ring has room */
    int notFullWaiters() {
        return b.getIntVolatile(base + RingDescriptor.NOT_FULL_WAITERS_OFFSET);
    }
}
