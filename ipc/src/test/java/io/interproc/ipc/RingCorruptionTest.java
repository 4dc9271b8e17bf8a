package io.interproc.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.interproc.core.Codec;
import io.interproc.core.CorruptSegmentException;
import io.interproc.core.ObjectInfo;
import io.interproc.core.Segment;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.segment.DirectoryDescriptor;
import io.interproc.core.segment.SegmentHeaderDescriptor;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.pipe.Connection;
import io.interproc.ipc.pipe.Pipe;
import io.interproc.ipc.pipe.PipeDescriptor;
import io.interproc.ipc.queue.QueueDescriptor;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.ipc.ring.RingDescriptor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Damaged queue and pipe bytes, as a hostile or buggy writer could leave them: every length read
 * from shared memory is checked against what the structure allows before it is used, and a
 * violation is a {@link CorruptSegmentException} naming the object and the values — never an
 * {@code OutOfMemoryError}, {@code IllegalArgumentException} or {@code IllegalStateException}.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RingCorruptionTest {
    private static final int RING = 4096;
    /** Bytes of a first fragment in a ring of {@link #RING}. */
    private static final int FRAGMENT = RING / 2 - RingDescriptor.RECORD_HEADER;

    @RegisterExtension
    final TempSegments segments = new TempSegments();

    static int offsetOf(Segment s, String name) {
        return s.objects().stream().filter(o -> o.name().equals(name)).mapToInt(ObjectInfo::offset).findFirst()
                .orElseThrow();
    }

    /** Offset of the data area of a queue's ring. */
    static int queueData(Segment s, String name) {
        return offsetOf(s, name) + QueueDescriptor.RING_OFFSET + RingDescriptor.DATA_OFFSET;
    }

    private static String ringPrefix(Segment s) {
        return "SharedQueue 'q' ring in segment '" + s.name() + "' is corrupt: ";
    }

    /**
     * Writes records {@code {length, total}} (zero payload) from position 0 of the ring at
     * {@code ring} and publishes them, as a producer would: a stream's first fragments can never
     * all be in the ring at once, so a damaged stream is written directly.
     */
    static void publishRecords(SharedBuffer b, int ring, int[]... records) {
        int data = ring + RingDescriptor.DATA_OFFSET;
        int pos = 0;
        for (int[] r : records) {
            b.setInt(data + pos, r[0]);
            b.setInt(data + pos + 4, r[1]);
            pos += RingDescriptor.recordSize(r[0]);
        }
        b.setLongVolatile(ring + RingDescriptor.TAIL_OFFSET, pos);
    }

    private static SharedQueue<byte[]> queueWith(Segment s, int[]... records) {
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", RING, Codec.bytes());
        publishRecords(s.buffer(), offsetOf(s, "q") + QueueDescriptor.RING_OFFSET, records);
        return q;
    }

    @Test
    void shouldRejectAStreamWhoseTotalClaimsTwoGigabytesWithoutAllocatingIt() {
        Segment s = segments.create(1 << 20);
        SharedQueue<byte[]> q = queueWith(s, new int[] {FRAGMENT, 0x7FFFFFF0}, new int[] {960, -1});
        // Before: new byte[0x7FFFFFF0] threw OutOfMemoryError.
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> q.poll(1, TimeUnit.SECONDS));
        assertEquals(ringPrefix(s) + "continuation at position 2048 has length=960, total=-1 (0 bytes after it)"
                + " but the message lacks " + (0x7FFFFFF0 - FRAGMENT) + " bytes", e.getMessage());
    }

    @Test
    void shouldRejectAFirstFragmentWhoseTotalIsTooSmallForAStream() {
        Segment s = segments.create(1 << 20);
        SharedQueue<byte[]> q = queueWith(s, new int[] {FRAGMENT, 2500}, new int[] {960, -1});
        // Before: IllegalArgumentException: newLimit > capacity, when the continuation was copied.
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                () -> q.pollBytes(ByteBuffer.allocate(2500), 1, TimeUnit.SECONDS));
        assertEquals(ringPrefix(s) + "record at position 0 has length=2040, total=2500 with 3016 bytes published"
                + " (a first fragment has length=" + FRAGMENT + " and total > " + (RING - 8) + ")", e.getMessage());
    }

    @Test
    void shouldRejectAContinuationLongerThanWhatItsMessageLacks() {
        Segment s = segments.create(1 << 20);
        // The message lacks 4100 - 2040 = 2060 bytes; the continuation claims 2040 and 100 more.
        SharedQueue<byte[]> q = queueWith(s, new int[] {FRAGMENT, 4100}, new int[] {FRAGMENT, -1 - 100});
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                () -> q.pollBytes(ByteBuffer.allocate(4100), 1, TimeUnit.SECONDS));
        assertEquals(ringPrefix(s) + "continuation at position 2048 has length=2040, total=-101 (100 bytes after it)"
                + " but the message lacks 2060 bytes", e.getMessage());
    }

    @Test
    void shouldRejectALastContinuationShorterThanWhatItsMessageLacks() {
        Segment s = segments.create(1 << 20);
        SharedQueue<byte[]> q = queueWith(s, new int[] {FRAGMENT, 5000}, new int[] {960, -1});
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> q.poll(1, TimeUnit.SECONDS));
        assertEquals(ringPrefix(s) + "continuation at position 2048 has length=960, total=-1 (0 bytes after it)"
                + " but the message lacks 2960 bytes", e.getMessage());
    }

    @Test
    void shouldRejectAShortContinuationThatIsNotTheLast() {
        Segment s = segments.create(1 << 20);
        SharedQueue<byte[]> q = queueWith(s, new int[] {FRAGMENT, 5000}, new int[] {1000, -1 - 1960});
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> q.poll(1, TimeUnit.SECONDS));
        assertEquals(ringPrefix(s) + "record at position 2048 has length=1000, total=-1961 with 1008 bytes published"
                + " (a continuation has length 1..2040, exactly 2040 unless last)", e.getMessage());
    }

    @Test
    void shouldRejectAPipeStreamWhoseTotalClaimsTwoGigabytes() throws Exception {
        Segment s = segments.create(1 << 20);
        Pipe pipe = Pipe.create(s, "p", RING, false);
        try (Connection<byte[]> a = pipe.connect(Pipe.End.A, Codec.bytes())) {
            publishRecords(s.buffer(), offsetOf(s, "p") + PipeDescriptor.FIRST_RING_OFFSET,
                    new int[] {FRAGMENT, 0x7FFFFFF0}, new int[] {960, -1});
            CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> a.recv(1, TimeUnit.SECONDS));
            assertEquals("Pipe 'p' B->A ring in segment '" + s.name() + "' is corrupt: continuation at position 2048"
                    + " has length=960, total=-1 (0 bytes after it) but the message lacks " + (0x7FFFFFF0 - FRAGMENT)
                    + " bytes", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- headers (issue item 10)

    /** Rewrites the directory entry's length of the only object, as a hostile writer could. */
    private static void setEntryLength(Segment s, String name, long length) {
        SharedBuffer b = s.buffer();
        int dir = b.getInt(SegmentHeaderDescriptor.DIRECTORY_OFFSET_OFFSET);
        int entries = b.getInt(SegmentHeaderDescriptor.DIRECTORY_CAPACITY_OFFSET);
        int entry = dir + (DirectoryDescriptor.hash(name.getBytes(StandardCharsets.UTF_8)) % entries)
                * DirectoryDescriptor.ENTRY_SIZE;
        assertEquals(offsetOf(s, name), b.getLong(entry + DirectoryDescriptor.OBJECT_OFFSET_OFFSET), "the entry");
        b.setLong(entry + DirectoryDescriptor.OBJECT_LENGTH_OFFSET, length);
    }

    @Test
    void shouldRejectAQueueRegionTooShortForItsHeader() {
        Segment s = segments.create(1 << 20);
        SharedQueue.create(s, "q", RING, Codec.bytes());
        setEntryLength(s, "q", 200);
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                () -> SharedQueue.open(s, "q", Codec.bytes()));
        assertEquals("SharedQueue 'q' in segment '" + s.name() + "' is corrupt: length=200 is outside [1408, "
                + Integer.MAX_VALUE + "]", e.getMessage());
    }

    @Test
    void shouldRejectAQueueRegionTooShortForItsCapacity() {
        Segment s = segments.create(1 << 20);
        SharedQueue.create(s, "q", RING, Codec.bytes());
        setEntryLength(s, "q", 2000);
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                () -> SharedQueue.open(s, "q", Codec.bytes()));
        assertEquals("SharedQueue 'q' in segment '" + s.name() + "' is corrupt: length=2000 is less than the "
                + QueueDescriptor.size(RING) + " bytes a queue of capacity=4096 needs", e.getMessage());
    }

    @Test
    void shouldRejectCorruptQueueHeaderFields() {
        Segment s = segments.create(1 << 20);
        SharedQueue.create(s, "q", RING, Codec.bytes());
        int at = offsetOf(s, "q");
        String prefix = "SharedQueue 'q' in segment '" + s.name() + "' is corrupt: ";
        s.buffer().setInt(at + QueueDescriptor.FLAGS_OFFSET, 6);
        assertEquals(prefix + "flags=6 where a SharedQueue has flags=0", assertThrows(CorruptSegmentException.class,
                () -> SharedQueue.open(s, "q", Codec.bytes())).getMessage());
        s.buffer().setInt(at + QueueDescriptor.FLAGS_OFFSET, 0);
        s.buffer().setInt(at + QueueDescriptor.CAPACITY_OFFSET, 3000);
        assertEquals(prefix + "capacity=3000 is not a power of two in [256, 1073741824]",
                assertThrows(CorruptSegmentException.class, () -> SharedQueue.open(s, "q", Codec.bytes())).getMessage());
        s.buffer().setInt(at + QueueDescriptor.CAPACITY_OFFSET, 2048);
        assertEquals(prefix + "ring capacity=4096 differs from the queue's capacity=2048",
                assertThrows(CorruptSegmentException.class, () -> SharedQueue.open(s, "q", Codec.bytes())).getMessage());
    }

    @Test
    void shouldRejectCorruptPipeHeaderFields() {
        Segment s = segments.create(1 << 20);
        Pipe.create(s, "p", RING, true);
        int at = offsetOf(s, "p");
        String prefix = "Pipe 'p' in segment '" + s.name() + "' is corrupt: ";
        SharedBuffer b = s.buffer();
        b.setInt(at + PipeDescriptor.FLAGS_OFFSET, 6);
        assertEquals(prefix + "flags=6 is outside [0, 1]",
                assertThrows(CorruptSegmentException.class, () -> Pipe.open(s, "p")).getMessage());
        b.setInt(at + PipeDescriptor.FLAGS_OFFSET, -1);
        assertEquals(prefix + "flags=-1 is outside [0, 1]",
                assertThrows(CorruptSegmentException.class, () -> Pipe.open(s, "p")).getMessage());
        b.setInt(at + PipeDescriptor.FLAGS_OFFSET, PipeDescriptor.FLAG_DUPLEX);
        b.setInt(at + PipeDescriptor.CAPACITY_OFFSET, 3000);
        assertEquals(prefix + "capacity=3000 is not a power of two",
                assertThrows(CorruptSegmentException.class, () -> Pipe.open(s, "p")).getMessage());
        b.setInt(at + PipeDescriptor.CAPACITY_OFFSET, Integer.MAX_VALUE);
        assertEquals(prefix + "capacity=2147483647 is outside [256, 1073741824]",
                assertThrows(CorruptSegmentException.class, () -> Pipe.open(s, "p")).getMessage());
        b.setInt(at + PipeDescriptor.CAPACITY_OFFSET, 2048);
        Pipe shrunk = Pipe.open(s, "p"); // fits the region; its rings say otherwise
        assertEquals(prefix + "ring capacity=4096 differs from the pipe's capacity=2048",
                assertThrows(CorruptSegmentException.class, () -> shrunk.connect(Pipe.End.A, Codec.utf8())).getMessage());
        b.setInt(at + PipeDescriptor.CAPACITY_OFFSET, RING);
        b.setInt(at + PipeDescriptor.END_A_OFFSET, -7);
        assertEquals(prefix + "end A state=-7 is outside [-1, 2147483647]",
                assertThrows(CorruptSegmentException.class, () -> Pipe.open(s, "p")).getMessage());
    }

    @Test
    void shouldRejectAPipeRegionTooShort() {
        Segment s = segments.create(1 << 20);
        Pipe.create(s, "p", RING, false);
        setEntryLength(s, "p", 100);
        assertEquals("Pipe 'p' in segment '" + s.name() + "' is corrupt: pipe size=100 is outside [1152, "
                + Integer.MAX_VALUE + "]",
                assertThrows(CorruptSegmentException.class, () -> Pipe.open(s, "p")).getMessage());
    }
}
