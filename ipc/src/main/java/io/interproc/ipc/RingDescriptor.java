package io.interproc.ipc;

import java.nio.ByteOrder;

/**
 * Layout of a byte ring, the message channel inside a {@link SharedQueue} (one ring) and a
 * {@link Pipe} (one ring per direction). Offsets are relative to the ring's start, which is
 * 128-byte aligned.
 *
 * <pre>
 *  offset  size  field                       written by
 *  ------  ----  --------------------------  ------------------------------------------
 *       0     4  capacity: data bytes, a power of two, 256 .. 2^30     creator
 *       4   124  reserved
 *     128     8  tail: bytes ever published (monotonic); its low    producer (release,
 *                32 bits are the "not empty" futex word                 then volatile)
 *     136     8  messages put (complete messages published)         producer
 *     144     4  stream owner: owner id of the producer streaming    producer
 *                a fragmented message, 0 otherwise
 *     148   108  reserved
 *     256     8  head: bytes ever consumed (monotonic); its low      consumer
 *                32 bits are the "not full" futex word
 *     264     8  messages taken (complete messages removed)          consumer
 *     272     8  messages lost: a consumer died in the middle of     consumer that finds
 *                a streamed message                                      the orphaned rest
 *     280     8  partial messages discarded: a producer died or      consumer
 *                gave up in the middle of a streamed message
 *     288     4  skipping: 1 while consumers skip an orphaned rest   consumer
 *                (so a message lost is counted once)
 *     292    92  reserved
 *     384     4  consumers sleeping on the tail word                 consumers
 *     388     4  producers sleeping on the head word                 producers
 *     392   120  reserved
 *     512     n  data, n = capacity
 * </pre>
 *
 * <p>Records in the data area are 8-byte aligned: an 8-byte header {@code [int length][int total]}
 * then {@code length} payload bytes, padded to 8; the payload may wrap around the end of the area
 * (a header never does). {@code total} says what the record is:
 * <ul>
 *   <li>{@code total == length}: a whole message;</li>
 *   <li>{@code total > length}: the first fragment of a streamed message of {@code total} bytes;</li>
 *   <li>{@code total < 0}: a continuation fragment, {@code -1 - total} bytes of the message still
 *       to come after it ({@code -1}: the last fragment);</li>
 *   <li>{@code length == 0, total == Integer.MIN_VALUE}: abort marker — the producer gave up on
 *       its streamed message (timeout or interrupt), the consumer discards what it has.</li>
 * </ul>
 * The tail is published after the record is copied, so a producer killed mid-copy publishes
 * nothing; the head is published after the copy out, so a consumer killed mid-copy leaves the
 * record for the next one.
 */
public final class RingDescriptor {
    /** Offset of the capacity. */
    public static final int CAPACITY_OFFSET = 0;
    /** Offset of the tail position. */
    public static final int TAIL_OFFSET = 128;
    /** Offset of the count of messages put. */
    public static final int PUT_COUNT_OFFSET = 136;
    /** Offset of the stream owner id. */
    public static final int STREAM_OWNER_OFFSET = 144;
    /** Offset of the head position. */
    public static final int HEAD_OFFSET = 256;
    /** Offset of the count of messages taken. */
    public static final int TAKEN_COUNT_OFFSET = 264;
    /** Offset of the count of messages lost to a consumer's death mid-stream. */
    public static final int LOST_OFFSET = 272;
    /** Offset of the count of partial messages discarded. */
    public static final int DISCARDED_OFFSET = 280;
    /** Offset of the flag set while consumers skip the orphaned rest of a stream. */
    public static final int SKIPPING_OFFSET = 288;
    /** Offset of the count of consumers sleeping on the tail word. */
    public static final int NOT_EMPTY_WAITERS_OFFSET = 384;
    /** Offset of the count of producers sleeping on the head word. */
    public static final int NOT_FULL_WAITERS_OFFSET = 388;
    /** Offset of the data area. */
    public static final int DATA_OFFSET = 512;

    /** Bytes of a record header. */
    public static final int RECORD_HEADER = 8;
    /** {@code total} of an abort marker. */
    public static final int ABORT = Integer.MIN_VALUE;
    /** Smallest capacity. */
    public static final int MIN_CAPACITY = 256;
    /** Largest capacity. */
    public static final int MAX_CAPACITY = 1 << 30;

    /** Offset, within a 64-bit position, of its low 32 bits: the futex word. */
    public static final int LOW_HALF = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0 : 4;

    private RingDescriptor() {
    }

    /**
     * @param capacity data bytes
     * @return bytes a ring of that capacity occupies
     */
    public static long size(int capacity) {
        return DATA_OFFSET + (long) capacity;
    }

    /**
     * @param length payload bytes
     * @return bytes the record occupies in the data area
     */
    public static int recordSize(int length) {
        return RECORD_HEADER + ((length + 7) & ~7);
    }

    /**
     * @param requested bytes asked for
     * @return the ring capacity used: the next power of two, at least {@link #MIN_CAPACITY}
     * @throws IllegalArgumentException if out of range
     */
    public static int capacityFor(long requested) {
        if (requested < 1 || requested > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be 1 to " + MAX_CAPACITY + " bytes: capacity=" + requested);
        }
        int c = Math.max(MIN_CAPACITY, Integer.highestOneBit((int) requested));
        return c < requested ? c << 1 : c;
    }
}
