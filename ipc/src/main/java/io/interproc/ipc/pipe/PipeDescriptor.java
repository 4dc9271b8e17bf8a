package io.interproc.ipc;

/**
 * Layout of a {@link Pipe}: a header, the claim word of each end, and one
 * {@link RingDescriptor ring} per direction (one only if the pipe is one-way).
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
    public static final int FLAGS_OFFSET = 4;
    /** Flag: both directions. */
    public static final int FLAG_DUPLEX = 1;
    /** Offset of end A's state word. */
    public static final int END_A_OFFSET = 128;
    /** Offset of end B's state word. */
    public static final int END_B_OFFSET = 256;
    /** State of an end closed for good. */
    public static final int CLOSED = -1;
    /** Offset of the first ring (B to A). */
    public static final int FIRST_RING_OFFSET = 384;

    private PipeDescriptor() {
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
