package io.interproc.ipc.pipe;

import io.interproc.core.memory.Layout;
import io.interproc.ipc.ring.RingDescriptor;

/**
 * Layout of a {@link Pipe}: a header, the claim word of each end, and one
 * {@link RingDescriptor ring} per direction (one only if the pipe is one-way). Each part starts
 * on its own {@link Layout#LINE_PAIR}; offsets are derived from the ones before them,
 * and the diagram is pinned by {@code IpcDescriptorTest}.
 *
 * <pre>
 *  offset  size  field                                           written by
 *  ------  ----  ----------------------------------------------  -------------------------
 *       0     4  ring capacity (bytes, power of two)              creator
 *       4     4  flags: bit 0 duplex                              creator
 *       8   120  reserved
 *     128     4  end A state: 0 free, an owner id (claimed by      claimers (CAS), the
 *                that attachment), -1 closed for good               holder on close
 *     132   124  reserved
 *     256     4  end B state, as end A                             claimers, holder
 *     260   124  reserved
 *     384     …  ring written by B, read by A (always present)    B / A
 *   384+r     …  ring written by A, read by B (duplex only),       A / B
 *                r = 512 + capacity
 * </pre>
 */
public final class PipeDescriptor {
    /** Offset of the ring capacity. */
    public static final int CAPACITY_OFFSET = 0;
    /** Offset of the flags. */
    public static final int FLAGS_OFFSET = CAPACITY_OFFSET + Integer.BYTES;
    /** Flag: both directions. */
    public static final int FLAG_DUPLEX = 1;
    /** Offset of end A's state word: on its own line, as each end is claimed by another process. */
    public static final int END_A_OFFSET = CAPACITY_OFFSET + Layout.LINE_PAIR;
    /** Offset of end B's state word. */
    public static final int END_B_OFFSET = END_A_OFFSET + Layout.LINE_PAIR;
    /** State of an end closed for good. */
    public static final int CLOSED = -1;
    /** Offset of the first ring (B to A). */
    public static final int FIRST_RING_OFFSET = END_B_OFFSET + Layout.LINE_PAIR;

    private PipeDescriptor() {
    }

    /**
     * @param end an end
     * @return offset of its state word
     */
    public static int endOffset(Pipe.End end) {
        return end == Pipe.End.A ? END_A_OFFSET : END_B_OFFSET;
    }

    /**
     * @param reader the end that reads the ring
     * @param capacity ring data bytes
     * @return offset of the ring that end reads: the first for A, the second (duplex only) for B
     */
    public static int ringOffset(Pipe.End reader, int capacity) {
        return reader == Pipe.End.A ? FIRST_RING_OFFSET : secondRingOffset(capacity);
    }

    /**
     * @param capacity ring data bytes
     * @return offset of the second ring (A to B)
     */
    public static int secondRingOffset(int capacity) {
        return (int) (FIRST_RING_OFFSET + RingDescriptor.size(capacity));
    }

    /**
     * @param capacity ring data bytes
     * @param duplex whether there are two rings
     * @return bytes the pipe occupies
     */
    public static long size(int capacity, boolean duplex) {
        return FIRST_RING_OFFSET + RingDescriptor.size(capacity) * (duplex ? 2 : 1);
    }
}
