package io.interproc.core.memory;

/**
 * Sizes every shared layout is built from, so that each {@code *Descriptor} derives its offsets
 * from named sizes instead of writing numbers. A field that many processes write often sits alone
 * on a {@link #LINE_PAIR}: x86 prefetches cache lines in adjacent pairs, so 64 bytes of padding is
 * not enough to keep two hot words from sharing traffic.
 */
public final class Layout {
    /** Bytes of an {@code int}. */
    public static final int INT = Integer.BYTES;
    /** Bytes of a {@code long}. */
    public static final int LONG = Long.BYTES;
    /** Bytes of a cache line on x86_64 and aarch64. */
    public static final int CACHE_LINE = 64;
    /** Two adjacent cache lines: the unit a contended field is padded to. */
    public static final int LINE_PAIR = 2 * CACHE_LINE;
    /** Bytes of a memory page (the unit regions of a segment are aligned to). */
    public static final int PAGE = 4096;

    private Layout() {
    }

    /**
     * @param value a non-negative size or offset
     * @param alignment a power of two
     * @return {@code value} rounded up to a multiple of {@code alignment}
     */
    public static long align(long value, int alignment) {
        return (value + alignment - 1) & -alignment;
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
     * @return the start of the first line pair at or after {@code offset}: where a field that
     *     must not share its lines with the fields before it goes
     */
    public static int nextLinePair(int offset) {
        return align(offset, LINE_PAIR);
    }
}
