package io.interproc.ipc.ring;

import io.interproc.core.memory.Layout;

import java.nio.ByteOrder;

/**
 * Layout of a byte ring, the message channel inside a queue (one ring) and a pipe (one ring per
 * direction). Offsets are relative to the ring's start, which is {@link Layout#LINE_PAIR}-aligned;
 * each is derived from the one before it and its size, and the diagram is pinned by
 * {@code IpcDescriptorTest}.
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
 *     148     4  reserved
 *     152     8  pending tail: the tail the producer is about to    producer (release,
 *                publish with one or more complete messages            before the count)
 *     160     8  pending put count: messages put before that         producer (before
 *                publication, plus one                                 the pending tail)
 *     168    88  reserved
 *     256     8  head: bytes ever consumed (monotonic); its low      consumer
 *                32 bits are the "not full" futex word
 *     264     8  messages taken (complete messages removed)          consumer
 *     272     8  messages lost: a consumer died, timed out or was    consumer that skips
 *                interrupted in the middle of a streamed message       the orphaned rest
 *                (counted when the rest's last fragment is skipped)
 *     280     8  partial messages discarded: a producer died or      consumer
 *                gave up in the middle of a streamed message
 *     288     4  skipping: 1 while consumers skip an orphaned rest   consumer
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
 *
 * <p><b>Put count and tail.</b> A producer completing {@code n >= 1} messages at once (one, or
 * a run of whole records written by a batch put) writes, in this order: the pending put count
 * ({@code count + 1}, the count before the publication plus one), the pending tail (release),
 * the put count ({@code count + n}, release), the tail (volatile). A producer killed after
 * counting but before publishing would leave the count too high for ever (and
 * {@code JoinableQueue.join()} waiting for messages nobody can take), so whoever next holds the
 * producer exclusion (lock or pipe end) and finds the pending tail ahead of the tail sets the
 * count back to {@code pending put count - 1}: right whether or not the dead producer got as far
 * as counting, and whatever its {@code n} (for {@code n = 1} the pending count is the new count,
 * as before batch puts existed).
 *
 * <p><b>What a reader checks</b> before using a header: {@code 0 <= length <= capacity - 8} and
 * the record lies within what is published; a whole message has {@code total == length}; a first
 * fragment has {@code length == capacity / 2 - 8} and {@code total > capacity - 8}; a
 * continuation has {@code 1 <= length <= capacity / 2 - 8}, exactly {@code capacity / 2 - 8} if it
 * is not the last, and {@code length + (-1 - total)} equal to what the message still lacks. Any
 * other header is a {@code CorruptSegmentException} naming the values. A streamed message is
 * received into memory that grows with the fragments that actually arrived, so a corrupt
 * {@code total} cannot make a reader allocate more than twice what was published (or 1 MiB).
 */
public final class RingDescriptor {

    /** Offset of the capacity. */
    public static final int CAPACITY_OFFSET = 0;

    // The producer's line: the tail and what a producer writes with it.
    /** Offset of the tail position. */
    public static final int TAIL_OFFSET = CAPACITY_OFFSET + Layout.LINE_PAIR;
    /** Offset of the count of messages put. */
    public static final int PUT_COUNT_OFFSET = TAIL_OFFSET + Long.BYTES;
    /** Offset of the stream owner id. */
    public static final int STREAM_OWNER_OFFSET = PUT_COUNT_OFFSET + Long.BYTES;
    /** Offset of the tail a producer is about to publish with a complete message (after 4 bytes reserved). */
    public static final int PENDING_TAIL_OFFSET = STREAM_OWNER_OFFSET + Integer.BYTES + Integer.BYTES;
    /** Offset of the put count that goes with the pending tail. */
    public static final int PENDING_PUT_OFFSET = PENDING_TAIL_OFFSET + Long.BYTES;

    // The consumer's line: the head and what a consumer writes with it.
    /** Offset of the head position. */
    public static final int HEAD_OFFSET = TAIL_OFFSET + Layout.LINE_PAIR;
    /** Offset of the count of messages taken. */
    public static final int TAKEN_COUNT_OFFSET = HEAD_OFFSET + Long.BYTES;
    /** Offset of the count of messages lost to a consumer's death mid-stream. */
    public static final int LOST_OFFSET = TAKEN_COUNT_OFFSET + Long.BYTES;
    /** Offset of the count of partial messages discarded. */
    public static final int DISCARDED_OFFSET = LOST_OFFSET + Long.BYTES;
    /** Offset of the flag set while consumers skip the orphaned rest of a stream. */
    public static final int SKIPPING_OFFSET = DISCARDED_OFFSET + Long.BYTES;

    // The sleepers' line: written by both sides, but only by those about to sleep.
    /** Offset of the count of consumers sleeping on the tail word. */
    public static final int NOT_EMPTY_WAITERS_OFFSET = HEAD_OFFSET + Layout.LINE_PAIR;
    /** Offset of the count of producers sleeping on the head word. */
    public static final int NOT_FULL_WAITERS_OFFSET = NOT_EMPTY_WAITERS_OFFSET + Integer.BYTES;

    /** Offset of the data area. */
    public static final int DATA_OFFSET = NOT_EMPTY_WAITERS_OFFSET + Layout.LINE_PAIR;

    /** Offset, within a record, of its {@code length}. */
    public static final int RECORD_LENGTH_OFFSET = 0;
    /** Offset, within a record, of its {@code total}. */
    public static final int RECORD_TOTAL_OFFSET = RECORD_LENGTH_OFFSET + Integer.BYTES;
    /** Bytes of a record header. */
    public static final int RECORD_HEADER = RECORD_TOTAL_OFFSET + Integer.BYTES;
    /** Records start on multiples of this (so that a header never wraps round the data area). */
    public static final int RECORD_ALIGNMENT = Long.BYTES;
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
        return RECORD_HEADER + Layout.align(length, RECORD_ALIGNMENT);
    }

    /**
     * @param capacity data bytes
     * @return the largest payload sent as a single record; larger messages are streamed
     */
    public static int maxWhole(int capacity) {
        return capacity - RECORD_HEADER;
    }

    /**
     * @param capacity data bytes
     * @return payload bytes of every fragment of a streamed message but the last: half the ring,
     *     less a record header
     */
    public static int fragment(int capacity) {
        return capacity / 2 - RECORD_HEADER;
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
