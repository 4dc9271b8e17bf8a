package io.interproc.sync.internal;

/**
 * The sizes every sync layout is built from: the cache line, the padded line a hot word gets to
 * itself, and alignment. The {@code *Descriptor} classes accumulate their offsets from these and
 * from field sizes ({@code Integer.BYTES}, {@code Long.BYTES}), never from written-out numbers.
 *
 * <p>A "line" in the layouts is {@link #PADDED_LINE}: two cache lines, because the adjacent-line
 * prefetcher of x86 fetches lines in pairs, so a word that must not share a line with another
 * hot word is given a pair (Agrona pads its ring buffer's counters the same way). Objects are
 * allocated on that boundary by core ({@code SegmentHeaderDescriptor.OBJECT_ALIGNMENT}, pinned
 * equal by {@code LayoutTest}). Stateless.
 */
public final class Layout {
    /** Bytes of a cache line on the machines interproc runs on (x86-64, AArch64). */
    public static final int CACHE_LINE = 64;
    /** Bytes a hot word is given to itself: a pair of cache lines. Also every object's alignment. */
    public static final int PADDED_LINE = 2 * CACHE_LINE;

    private Layout() {
    }

    /**
     * @param offset an offset, {@code >= 0}
     * @param alignment a power of two
     * @return the smallest multiple of {@code alignment} that is {@code >= offset}
     */
    public static int align(int offset, int alignment) {
        return (offset + alignment - 1) & -alignment;
    }

    /**
     * @param offset an offset, {@code >= 0}
     * @return the start of the first padded line at or after {@code offset}
     */
    public static int nextLine(int offset) {
        return align(offset, PADDED_LINE);
    }
}
