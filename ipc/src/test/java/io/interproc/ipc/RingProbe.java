package io.interproc.ipc;

import io.interproc.core.ObjectInfo;
import io.interproc.core.Segment;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.ipc.pipe.Pipe;
import io.interproc.ipc.pipe.PipeDescriptor;
import io.interproc.ipc.queue.QueueDescriptor;
import io.interproc.ipc.ring.RingDescriptor;

/**
 * Reads a ring's shared words through the public {@link RingDescriptor} offsets, so tests can wait
 * for a state (a sleeper registered, a stream half consumed) instead of sleeping and hoping.
 */
public final class RingProbe {
    private final SharedBuffer b;
    private final int base;

    private RingProbe(Segment segment, String object, int ringOffset) {
        ObjectInfo info = segment.objects().stream().filter(o -> o.name().equals(object)).findFirst()
                .orElseThrow(() -> new AssertionError("no object " + object + " in " + segment));
        this.b = segment.buffer();
        this.base = info.offset() + ringOffset;
    }

    /** @return a probe of the ring of the queue {@code name} */
    public static RingProbe queue(Segment segment, String name) {
        return new RingProbe(segment, name, QueueDescriptor.RING_OFFSET);
    }

    /** @return a probe of the ring of pipe {@code name} that end {@code reader} reads */
    public static RingProbe pipe(Segment segment, String name, Pipe.End reader) {
        int capacity = segment.buffer().getIntVolatile(segment.objects().stream()
                .filter(o -> o.name().equals(name)).findFirst().orElseThrow().offset() + PipeDescriptor.CAPACITY_OFFSET);
        return new RingProbe(segment, name, reader == Pipe.End.A ? PipeDescriptor.FIRST_RING_OFFSET
                : PipeDescriptor.secondRingOffset(capacity));
    }

    public long tail() {
        return b.getLongVolatile(base + RingDescriptor.TAIL_OFFSET);
    }

    public long head() {
        return b.getLongVolatile(base + RingDescriptor.HEAD_OFFSET);
    }

    public long messagesPut() {
        return b.getLongVolatile(base + RingDescriptor.PUT_COUNT_OFFSET);
    }

    public long messagesTaken() {
        return b.getLongVolatile(base + RingDescriptor.TAKEN_COUNT_OFFSET);
    }

    public long messagesLost() {
        return b.getLongVolatile(base + RingDescriptor.LOST_OFFSET);
    }

    public long partialsDiscarded() {
        return b.getLongVolatile(base + RingDescriptor.DISCARDED_OFFSET);
    }

    /** Absolute offset of the ring's start in the segment (for tests that damage it). */
    public int base() {
        return base;
    }

    public int streamOwner() {
        return b.getIntVolatile(base + RingDescriptor.STREAM_OWNER_OFFSET);
    }

    /** @return consumers registered to sleep until the ring is not empty */
    public int notEmptyWaiters() {
        return b.getIntVolatile(base + RingDescriptor.NOT_EMPTY_WAITERS_OFFSET);
    }

    /** @return producers registered to sleep until the ring has room */
    public int notFullWaiters() {
        return b.getIntVolatile(base + RingDescriptor.NOT_FULL_WAITERS_OFFSET);
    }
}
