package io.interproc.ipc.ring;

import static io.interproc.ipc.ring.RingDescriptor.ABORT;
import static io.interproc.ipc.ring.RingDescriptor.RECORD_HEADER;
import static io.interproc.ipc.ring.RingDescriptor.recordSize;

/**
 * A record header {@code [int length][int total]} as the consumer side of a {@link ByteRing}
 * carries it: packed in one {@code long}, and checked against the rules listed on
 * {@link RingDescriptor} ("What a reader checks") before anything is read by it. Stateless.
 */
final class RecordHeader {
    private RecordHeader() {
    }

    /** @return {@code length} and {@code total} in one value, {@code (length << 32) | total} */
    static long pack(int length, int total) {
        return ((long) length << 32) | (total & 0xFFFFFFFFL);
    }

    /** @return the length in a packed header */
    static int length(long header) {
        return (int) (header >>> 32);
    }

    /** @return the total in a packed header */
    static int total(long header) {
        return (int) header;
    }

    /**
     * @param length the record's length
     * @param total the record's total
     * @param used bytes published from the record's start on
     * @param capacity the ring's capacity
     * @return {@code null} if the header may be used; otherwise what is wrong with it, for a
     *     {@link io.interproc.core.CorruptSegmentException}
     */
    static String violation(int length, int total, long used, int capacity) {
        int maxWhole = RingDescriptor.maxWhole(capacity);
        int fragment = RingDescriptor.fragment(capacity);
        if (used < RECORD_HEADER || used > capacity || length < 0 || length > maxWhole || recordSize(length) > used) {
            return "";
        }
        if (total == length) {
            return null; // a whole message
        }
        if (total > length) {
            return length == fragment && total > maxWhole ? null
                    : " (a first fragment has length=" + fragment + " and total > " + maxWhole + ")";
        }
        if (total == ABORT) {
            return length == 0 ? null : " (an abort marker has length=0)";
        }
        if (total < 0) {
            return length >= 1 && length <= fragment && (total == -1 || length == fragment) ? null
                    : " (a continuation has length 1.." + fragment + ", exactly " + fragment + " unless last)";
        }
        return " (total must not be below length)"; // 0 <= total < length
    }
}
