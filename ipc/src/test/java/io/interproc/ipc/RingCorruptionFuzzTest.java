package io.interproc.ipc;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.interproc.core.BufferTooSmallException;
import io.interproc.core.Codec;
import io.interproc.core.CorruptSegmentException;
import io.interproc.core.Segment;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.pipe.Connection;
import io.interproc.ipc.pipe.Pipe;
import io.interproc.ipc.pipe.PipeDescriptor;
import io.interproc.ipc.queue.QueueDescriptor;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.ipc.ring.RingDescriptor;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Corruption fuzzing of queue and pipe rings: fill a ring with whole and streamed messages, damage
 * record lengths, record totals (including the 2 GiB total and the continuation that claims more
 * or less than its message lacks), payload bytes and the ring's positions and counters, then read
 * and write through every path. Whatever the damage, a call returns, or throws
 * {@link CorruptSegmentException} (or {@link BufferTooSmallException} for a length that only a
 * bigger buffer could take) — never an {@link Error}, never another unchecked exception, never a
 * hang (each test has a deadline). Seeded: a failure names the seed that reproduces it.
 */
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RingCorruptionFuzzTest {
    private static final int RING = 4096;
    private static final int PER_SEGMENT = 200;
    private static final int[] INTERESTING = {0, 1, 7, 8, -1, -2, -101, 960, 2039, 2040, 2041, 4087, 4088, 4089, 8192,
        0x7FFFFFF0, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE + 1};

    @RegisterExtension
    final TempSegments segments = new TempSegments();

    /**
     * Writes a few whole messages through {@code put}, then perhaps the first two fragments of a
     * streamed message directly (a real stream never has them in the ring together); returns the
     * positions of the records' headers.
     */
    private static List<Integer> fill(Random r, ByteBufferSink put, SharedBuffer b, int ring) throws Exception {
        List<Integer> records = new ArrayList<>();
        int pos = 0;
        int messages = r.nextInt(4);
        for (int i = 0; i < messages; i++) {
            int len = r.nextInt(600);
            if (!put.offer(randomBytes(r, len))) {
                break;
            }
            records.add(pos);
            pos += RingDescriptor.recordSize(len);
        }
        int fragment = RING / 2 - RingDescriptor.RECORD_HEADER;
        int last = 1 + r.nextInt(fragment - 1);
        if (r.nextBoolean() && pos + fragment + 8 + RingDescriptor.recordSize(last) <= RING) {
            int data = ring + RingDescriptor.DATA_OFFSET;
            int total = fragment + last + (r.nextBoolean() ? 0 : fragment);
            b.setInt(data + pos, fragment);
            b.setInt(data + pos + 4, total);
            records.add(pos);
            pos += fragment + 8;
            b.setInt(data + pos, last);
            b.setInt(data + pos + 4, -1 - (total - fragment - last));
            records.add(pos);
            pos += RingDescriptor.recordSize(last);
            b.setLongVolatile(ring + RingDescriptor.TAIL_OFFSET, pos);
        }
        return records;
    }

    private static ByteBuffer randomBytes(Random r, int len) {
        byte[] b = new byte[len];
        r.nextBytes(b);
        return ByteBuffer.wrap(b);
    }

    private static int interesting(Random r) {
        return r.nextInt(3) == 0 ? r.nextInt() : INTERESTING[r.nextInt(INTERESTING.length)];
    }

    /** Damages the ring at {@code ring} (its start) in one to three places. */
    private static void damage(Random r, SharedBuffer b, int ring, List<Integer> records) {
        int data = ring + RingDescriptor.DATA_OFFSET;
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            int what = r.nextInt(10);
            if (what <= 4 && !records.isEmpty()) {
                int rec = records.get(r.nextInt(records.size()));
                b.setInt(data + rec + (r.nextBoolean() ? 0 : 4), interesting(r)); // length or total
            } else if (what <= 6) {
                b.putBytes(data + r.nextInt(RING), ByteBuffer.wrap(new byte[] {(byte) r.nextInt()}));
            } else {
                int[] longs = {RingDescriptor.TAIL_OFFSET, RingDescriptor.HEAD_OFFSET, RingDescriptor.PUT_COUNT_OFFSET,
                    RingDescriptor.TAKEN_COUNT_OFFSET, RingDescriptor.PENDING_TAIL_OFFSET,
                    RingDescriptor.PENDING_PUT_OFFSET};
                int field = longs[r.nextInt(longs.length)];
                long old = b.getLong(ring + field);
                long value = switch (r.nextInt(4)) {
                    case 0 -> old + r.nextInt(64) - 32;
                    case 1 -> old + (long) interesting(r);
                    case 2 -> r.nextLong();
                    default -> Long.MIN_VALUE;
                };
                if (r.nextInt(4) == 0) {
                    b.setInt(ring + RingDescriptor.STREAM_OWNER_OFFSET, interesting(r));
                } else {
                    b.setLong(ring + field, value);
                }
            }
        }
    }

    @FunctionalInterface
    private interface ByteBufferSink {
        boolean offer(ByteBuffer src) throws Exception;
    }

    @FunctionalInterface
    private interface Call {
        Object run() throws Exception;
    }

    /** @return false once the call threw (the object is then known damaged: stop using it) */
    private static boolean expectReturnOrCorrupt(long seed, String what, Call call) {
        try {
            call.run();
            return true;
        } catch (CorruptSegmentException | BufferTooSmallException expected) {
            return false;
        } catch (Throwable t) { // an Error above all, or IllegalArgumentException, IndexOutOfBounds...
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            fail("seed " + seed + ", " + what + ": " + t + "\n" + trace);
            return false;
        }
    }

    @Test
    void shouldOnlyEverReturnOrThrowCorruptSegmentExceptionFromADamagedQueue() throws Exception {
        Segment s = null;
        int corrupt = 0;
        for (int i = 0; i < 4 * PER_SEGMENT; i++) {
            if (i % PER_SEGMENT == 0) {
                s = segments.create(4 << 20);
            }
            long seed = 1000 + i;
            Random r = new Random(seed);
            String name = "q" + i;
            SharedQueue<byte[]> writer = SharedQueue.create(s, name, RING, Codec.bytes());
            int ring = RingCorruptionTest.offsetOf(s, name) + QueueDescriptor.RING_OFFSET;
            List<Integer> records = fill(r, src -> writer.offerBytes(src), s.buffer(), ring);
            damage(r, s.buffer(), ring, records);
            Segment seg = s;
            SharedQueue<byte[]> q = SharedQueue.open(seg, name, Codec.bytes()); // fresh caches
            boolean ok = true;
            for (int k = 0; k < 6 && ok; k++) {
                int path = r.nextInt(5);
                ok = switch (path) {
                    case 0 -> expectReturnOrCorrupt(seed, "poll()", q::poll);
                    case 1 -> expectReturnOrCorrupt(seed, "poll(10 ms)", () -> q.poll(10, TimeUnit.MILLISECONDS));
                    case 2 -> expectReturnOrCorrupt(seed, "pollBytes",
                            () -> q.pollBytes(ByteBuffer.allocate(8192), 10, TimeUnit.MILLISECONDS));
                    case 3 -> expectReturnOrCorrupt(seed, "offerBytes", () -> q.offerBytes(randomBytes(r, r.nextInt(5000))));
                    default -> expectReturnOrCorrupt(seed, "state", () -> q.size() + q.remainingCapacity()
                            + q.messagesLost() + q.partialsDiscarded() + (q.isEmpty() ? 1 : 0));
                };
            }
            corrupt += ok ? 0 : 1;
            if (i % 10 == 0) {
                expectReturnOrCorrupt(seed, "inspect", () -> segments.describe(seg, name));
            }
        }
        assertTrue(corrupt > 100, "the damage was detected often enough to mean something: " + corrupt);
    }

    @Test
    void shouldOnlyEverReturnOrThrowCorruptSegmentExceptionFromADamagedPipe() throws Exception {
        Segment s = null;
        int corrupt = 0;
        for (int i = 0; i < 2 * PER_SEGMENT; i++) {
            if (i % PER_SEGMENT == 0) {
                s = segments.create(4 << 20);
            }
            long seed = 5000 + i;
            Random r = new Random(seed);
            String name = "p" + i;
            Pipe pipe = Pipe.create(s, name, RING, false);
            try (Connection<byte[]> a = pipe.connect(Pipe.End.A, Codec.bytes());
                    Connection<byte[]> b = pipe.connect(Pipe.End.B, Codec.bytes())) {
                int ring = RingCorruptionTest.offsetOf(s, name) + PipeDescriptor.FIRST_RING_OFFSET;
                List<Integer> records = fill(r, src -> b.sendBytes(src, 0, TimeUnit.NANOSECONDS), s.buffer(), ring);
                damage(r, s.buffer(), ring, records);
                boolean ok = true;
                for (int k = 0; k < 6 && ok; k++) {
                    int path = r.nextInt(4);
                    ok = switch (path) {
                        case 0 -> expectReturnOrCorrupt(seed, "recv(0)", () -> a.recv(0, TimeUnit.NANOSECONDS));
                        case 1 -> expectReturnOrCorrupt(seed, "recvBytesInto",
                                () -> a.recvBytesInto(ByteBuffer.allocate(8192), 10, TimeUnit.MILLISECONDS));
                        case 2 -> expectReturnOrCorrupt(seed, "poll", () -> a.poll(0, TimeUnit.NANOSECONDS));
                        default -> expectReturnOrCorrupt(seed, "sendBytes",
                                () -> b.sendBytes(randomBytes(r, r.nextInt(5000)), 0, TimeUnit.NANOSECONDS));
                    };
                }
                corrupt += ok ? 0 : 1;
            }
        }
        assertTrue(corrupt > 50, "the damage was detected often enough to mean something: " + corrupt);
    }
}
