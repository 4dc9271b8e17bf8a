package io.interproc.ipc.pipe;

import io.interproc.core.Codec;
import io.interproc.core.CorruptSegmentException;
import io.interproc.core.Segment;
import io.interproc.core.segment.Inspection;
import io.interproc.core.spi.ObjectInitializer;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.ipc.IpcKinds;
import io.interproc.ipc.ring.ByteRing;
import io.interproc.ipc.ring.RingDescriptor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A two-ended message channel shared by name (Python: {@code multiprocessing.Pipe}). Each end is a
 * {@link Connection}, claimed by one attachment at a time with {@link #connect}. A duplex pipe
 * (the default in Python) has a ring per direction; a one-way pipe has one ring, written by end
 * {@link End#B} and read by end {@link End#A} (Python's {@code r, w = Pipe(duplex=False)}).
 * Each direction holds {@link #capacity()} bytes; larger messages are streamed through it.
 * Layout: {@link PipeDescriptor}.
 *
 * <pre>{@code
 * Pipe pipe = Pipe.openOrCreate(segment, "ping", 64 << 10, true);
 * try (Connection<String> a = pipe.connect(Pipe.End.A, Codec.utf8())) {   // in one JVM
 *     a.send("ping");
 *     String reply = a.recv();
 * }
 * }</pre>
 *
 * <p>Thread-safe handle; any thread of any attached process may call it. What one end sends and
 * the other receives is covered by the memory effects stated on {@link Connection}.
 */
public final class Pipe {
    /*
     * Each ring is single-producer single-consumer: the end claims (a CAS on each end's state word)
     * are the only exclusion, so a message costs one copy and one volatile publish, no lock. An
     * end whose holder died is free to claim again; the new holder first repairs what the dead
     * one may have left half-done (ByteRing.reconcilePutCount).
     */
    /** The two ends. */
    public enum End {
        /** The first end; the reader of a one-way pipe. */
        A,
        /** The second end; the writer of a one-way pipe. */
        B;

        /** @return the other end */
        End peer() {
            return this == A ? B : A;
        }
    }

    private final ObjectRegion region;
    private final boolean duplex;
    private final int capacity;

    private Pipe(ObjectRegion region) {
        this.region = region;
        // Every stored value is checked before it is used: damage is a CorruptSegmentException.
        region.checkStored("pipe size", region.length(), PipeDescriptor.size(RingDescriptor.MIN_CAPACITY, false),
                Integer.MAX_VALUE);
        int flags = region.buffer().getInt(region.offset() + PipeDescriptor.FLAGS_OFFSET);
        region.checkStored("flags", flags, 0, PipeDescriptor.FLAG_DUPLEX);
        this.duplex = (flags & PipeDescriptor.FLAG_DUPLEX) != 0;
        this.capacity = region.buffer().getInt(region.offset() + PipeDescriptor.CAPACITY_OFFSET);
        region.checkStored("capacity", capacity, RingDescriptor.MIN_CAPACITY, RingDescriptor.MAX_CAPACITY);
        if (Integer.bitCount(capacity) != 1) {
            throw new CorruptSegmentException(region.kind() + " '" + region.name() + "' in segment '" + region.segment().name()
                    + "' is corrupt: capacity=" + capacity + " is not a power of two");
        }
        region.checkStored("pipe size", region.length(), PipeDescriptor.size(capacity, duplex), Integer.MAX_VALUE);
        checkEnd(region, End.A);
        checkEnd(region, End.B);
    }

    /** An end's state is 0, an owner id (positive) or {@link PipeDescriptor#CLOSED}. */
    private static void checkEnd(ObjectRegion region, End end) {
        region.checkStored("end " + end + " state", region.buffer().getIntVolatile(region.offset()
                + PipeDescriptor.endOffset(end)), PipeDescriptor.CLOSED, Integer.MAX_VALUE);
    }

    private static ObjectInitializer init(int capacity, boolean duplex) {
        return (b, at, length) -> {
            b.setInt(at + PipeDescriptor.CAPACITY_OFFSET, capacity);
            b.setInt(at + PipeDescriptor.FLAGS_OFFSET, duplex ? PipeDescriptor.FLAG_DUPLEX : 0);
            ByteRing.initialise(b, at + PipeDescriptor.ringOffset(End.A, capacity), capacity);
            if (duplex) {
                ByteRing.initialise(b, at + PipeDescriptor.ringOffset(End.B, capacity), capacity);
            }
        };
    }

    /**
     * Creates a new pipe.
     *
     * @param segment where it lives
     * @param name its name in the segment
     * @param capacity bytes per direction, rounded up to a power of two (at least 256); larger
     *     messages are streamed through
     * @param duplex true for both directions, false for B-to-A only
     * @return the pipe
     * @throws io.interproc.core.ObjectExistsException if the name exists
     */
    public static Pipe create(Segment segment, String name, long capacity, boolean duplex) {
        int c = RingDescriptor.capacityFor(capacity);
        return new Pipe(segment.createObject(name, IpcKinds.PIPE, PipeDescriptor.size(c, duplex), init(c, duplex)));
    }

    /**
     * Opens an existing pipe.
     *
     * @param segment where it lives
     * @param name its name
     * @return the pipe
     * @throws io.interproc.core.NoSuchObjectException if there is none
     * @throws io.interproc.core.KindMismatchException if the name is another kind of object
     */
    public static Pipe open(Segment segment, String name) {
        return new Pipe(segment.openObject(name, IpcKinds.PIPE));
    }

    /**
     * Opens the pipe, creating it if it does not exist; the parameters are ignored if it exists.
     *
     * @param segment where it lives
     * @param name its name
     * @param capacity bytes per direction if created
     * @param duplex both directions if created
     * @return the pipe
     */
    public static Pipe openOrCreate(Segment segment, String name, long capacity, boolean duplex) {
        int c = RingDescriptor.capacityFor(capacity);
        return new Pipe(segment.openOrCreateObject(name, IpcKinds.PIPE, PipeDescriptor.size(c, duplex),
                init(c, duplex)));
    }

    /** @return the pipe's name in its segment */
    public String name() {
        return region.name();
    }

    /** @return true if both ends can send and receive */
    public boolean isDuplex() {
        return duplex;
    }

    /** @return bytes per direction */
    public int capacity() {
        return capacity;
    }

    /**
     * Claims an end for this attachment. An end is free until claimed; an end whose holder died or
     * closed its segment is free again (a restarted worker can take it); an end closed with
     * {@link Connection#close()} is closed for good.
     *
     * @param end which end
     * @param codec how objects become bytes
     * @param <T> the type of object sent and received
     * @return the connection, until closed
     * @throws IllegalStateException if the end is held by a live attachment or was closed
     */
    public <T> Connection<T> connect(End end, Codec<T> codec) {
        region.segment().ensureOpen();
        return new Connection<>(this, region, end, codec);
    }

    /** @return the ring {@code reader} reads, or {@code null} for end B of a one-way pipe */
    ByteRing ringTo(End reader) {
        if (reader == End.B && !duplex) {
            return null;
        }
        ByteRing ring = new ByteRing(region, PipeDescriptor.ringOffset(reader, capacity),
                "Pipe '" + name() + "' " + reader.peer() + "->" + reader + " ring");
        if (ring.capacity() != capacity) {
            throw new CorruptSegmentException(region.kind() + " '" + region.name() + "' in segment '" + region.segment().name()
                    + "' is corrupt: ring capacity=" + ring.capacity() + " differs from the pipe's capacity=" + capacity);
        }
        return ring;
    }

    /**
     * Describes a pipe for {@link PipeInspector}. Only reads, so it works on a segment opened with
     * {@link Segment#inspect}; never blocks.
     *
     * @param region a pipe
     * @return its state, in the order documented on {@link PipeInspector}
     * @throws io.interproc.core.CorruptSegmentException if the pipe is damaged
     */
    static Map<String, Object> describe(ObjectRegion region) {
        Pipe pipe = new Pipe(region);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("duplex", pipe.duplex);
        out.put("capacity", pipe.capacity);
        out.put("endA", describeEnd(region, End.A));
        out.put("endB", describeEnd(region, End.B));
        ByteRing toA = pipe.ringTo(End.A);
        out.put("bToA.bytesUsed", toA.usedBytes());
        out.put("bToA.messages", toA.messages());
        ByteRing toB = pipe.ringTo(End.B);
        if (toB != null) {
            out.put("aToB.bytesUsed", toB.usedBytes());
            out.put("aToB.messages", toB.messages());
        }
        return out;
    }

    private static String describeEnd(ObjectRegion region, End end) {
        int state = region.buffer().getIntVolatile(region.offset() + PipeDescriptor.endOffset(end));
        if (state == PipeDescriptor.CLOSED) {
            return "closed";
        }
        return state == 0 ? "free" : Inspection.owner(region.segment(), state);
    }

    @Override
    public String toString() {
        return "Pipe[" + region.segment().name() + "/" + name() + ", capacity=" + capacity + ", duplex=" + duplex + "]";
    }
}
