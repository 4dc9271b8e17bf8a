package io.interproc.ipc.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.BufferTooSmallException;
import io.interproc.core.Codec;
import io.interproc.core.CodecException;
import io.interproc.core.KindMismatchException;
import io.interproc.core.NoSuchObjectException;
import io.interproc.core.ObjectExistsException;
import io.interproc.core.Segment;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.Background;
import io.interproc.ipc.RingProbe;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The queue unit tests SharedQueueTest does not have: sizes, wrap-around, locks, threads, factories, codecs. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails, never blocks the build
class QueueSemanticsTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    private Segment segment() {
        return segments.create(64 << 20);
    }

    // ---------------------------------------------------------------- sizes and bounds

    @Test
    void shouldAccountForRecordSizesAndTheWholeMessageBound() throws Exception {
        Segment s = segment();
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", 200, Codec.bytes());
        assertEquals(256, q.capacity(), "rounded up to a power of two");
        assertEquals(248, q.maxWholeMessage());
        assertEquals(256, q.freeBytes());
        assertTrue(q.offer(new byte[1]));
        assertEquals(256 - 16, q.freeBytes(), "8 header + 1 byte padded to 8");
        assertTrue(q.offer(new byte[9]));
        assertEquals(256 - 16 - 24, q.freeBytes());
        assertEquals(2, q.size());
        assertEquals(1, q.take().length);
        assertEquals(9, q.take().length);
        assertEquals(256, q.freeBytes());

        assertTrue(q.offer(new byte[248]), "the largest whole message fills the ring exactly");
        assertEquals(0, q.freeBytes());
        IllegalStateException full = assertThrows(IllegalStateException.class, () -> q.add(new byte[0]));
        assertEquals("queue full: SharedQueue 'q'[segment=" + s.name() + ", capacity=256], free bytes=0",
                full.getMessage());
        assertEquals(248, q.take().length);

        // One byte more is streamed: it needs a consumer to make room as it goes.
        byte[] streamed = new byte[249];
        new Random(2).nextBytes(streamed);
        Background<byte[]> taker = Background.start("taker", q::take);
        q.put(streamed);
        assertArrayEquals(streamed, taker.get(10));
        assertEquals("SharedQueue 'q'[segment=" + s.name() + ", capacity=256]", q.toString());
        assertEquals("q", q.name());
        assertEquals(Codec.bytes(), q.codec());
    }

    @Test
    void shouldKeepMessagesIntactAcrossManyWrapArounds() throws Exception {
        Segment s = segment();
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", 256, Codec.bytes());
        Random sizes = new Random(11);
        List<byte[]> inFlight = new ArrayList<>();
        int put = 0;
        int taken = 0;
        while (taken < 10_000) {
            // Put until full, then take some: records of every size and alignment wrap the data area.
            while (put < 10_000) {
                byte[] m = new byte[sizes.nextInt(120)];
                for (int i = 0; i < m.length; i++) {
                    m[i] = (byte) (put + i);
                }
                if (!q.offer(m)) {
                    break;
                }
                inFlight.add(m);
                put++;
            }
            int n = 1 + sizes.nextInt(Math.max(1, inFlight.size()));
            for (int i = 0; i < n && !inFlight.isEmpty(); i++) {
                assertArrayEquals(inFlight.remove(0), q.poll(), "message " + taken);
                taken++;
            }
        }
        assertNull(q.poll());
        assertEquals(0, q.size());
    }

    @Test
    void shouldDrainWhatIsThere() throws Exception {
        Segment s = segment();
        SharedQueue<String> q = SharedQueue.create(s, "q", 4096, Codec.utf8());
        for (int i = 0; i < 5; i++) {
            q.put("m" + i);
        }
        List<String> target = new ArrayList<>();
        assertEquals(3, q.drainTo(target, 3));
        assertEquals(List.of("m0", "m1", "m2"), target);
        assertEquals(2, q.drainTo(target, 10));
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), target);
        assertEquals(0, q.drainTo(target, 10));
        assertEquals(0, q.drainTo(target, 0));
        assertThrows(NullPointerException.class, () -> q.drainTo(null, 1));
    }

    @Test
    void shouldLeaveAStreamedMessageWholeWhenTheBufferIsTooSmall() throws Exception {
        Segment s = segment();
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", 4096, Codec.bytes());
        byte[] big = new byte[50_000];
        new Random(5).nextBytes(big);
        Background<Void> putter = Background.start("putter", () -> {
            q.put(big);
            return null;
        });
        BufferTooSmallException e = assertThrows(BufferTooSmallException.class,
                () -> q.pollBytes(ByteBuffer.allocate(1000), 10, TimeUnit.SECONDS));
        assertEquals("buffer too small for the next message: needed=50000 bytes, remaining=1000 (the message was"
                + " left in place)", e.getMessage());
        ByteBuffer dst = ByteBuffer.allocateDirect(60_000);
        assertEquals(50_000, q.takeBytes(dst));
        assertEquals(50_000, dst.position());
        byte[] got = new byte[50_000];
        dst.flip().get(got);
        assertArrayEquals(big, got);
        putter.get(10);
    }

    // ---------------------------------------------------------------- locks and threads

    @Test
    void shouldNotTakeWhileAnotherConsumerHoldsTheConsumerLock() throws Exception {
        Segment s = segment();
        SharedQueue<String> q = SharedQueue.create(s, "q", 4096, Codec.utf8());
        RingProbe ring = RingProbe.queue(s, "q");
        Background<String> taker = Background.start("taker", q::take);
        ChildJvms.awaitCondition("the taker asleep, holding the consumer lock", 10, () -> ring.notEmptyWaiters() > 0);
        assertEquals(ProcessHandle.current().pid(), q.core.consumerLockHolderPid());
        assertNull(q.poll(), "try-once: the consumer lock is busy");
        assertNull(q.poll(50, TimeUnit.MILLISECONDS));
        Background<String> second = Background.start("second", () -> q.poll(30, TimeUnit.SECONDS));
        q.put("a");
        q.put("b");
        String first = taker.get(10);
        String other = second.get(10);
        assertEquals(List.of("a", "b"), first.equals("a") ? List.of(first, other) : List.of(other, first));
        assertEquals(-1, q.core.consumerLockHolderPid());
    }

    @Test
    void shouldMoveMessagesBetweenManyThreadsOfTwoAttachmentsExactlyOnce() throws Exception {
        Segment s = segment();
        Segment other = segments.track(Segment.open(s.name()));
        SharedQueue.create(s, "q", 1024, Codec.longs());
        int producers = 4;
        int perProducer = 20_000;
        List<Background<Void>> putters = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            SharedQueue<Long> q = SharedQueue.open(p % 2 == 0 ? s : other, "q", Codec.longs());
            long tag = (long) p << 32;
            putters.add(Background.start("producer-" + p, () -> {
                for (long i = 0; i < perProducer; i++) {
                    q.put(tag | i);
                }
                return null;
            }));
        }
        List<Background<long[]>> takers = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            SharedQueue<Long> q = SharedQueue.open(c == 0 ? s : other, "q", Codec.longs());
            takers.add(Background.start("consumer-" + c, () -> {
                long[] last = {-1, -1, -1, -1};
                long[] count = new long[producers];
                while (true) {
                    long v = q.take();
                    if (v < 0) {
                        return count;
                    }
                    int p = (int) (v >>> 32);
                    long seq = v & 0xFFFFFFFFL;
                    assertTrue(seq > last[p], "producer " + p + ": " + seq + " after " + last[p]);
                    last[p] = seq;
                    count[p]++;
                }
            }));
        }
        for (Background<Void> p : putters) {
            p.get(60);
        }
        SharedQueue<Long> q = SharedQueue.open(s, "q", Codec.longs());
        q.put(-1L);
        q.put(-1L);
        long[] total = new long[producers];
        for (Background<long[]> t : takers) {
            long[] count = t.get(60);
            for (int p = 0; p < producers; p++) {
                total[p] += count[p];
            }
        }
        for (int p = 0; p < producers; p++) {
            assertEquals(perProducer, total[p], "messages of producer " + p);
        }
        assertTrue(q.isEmpty());
    }

    @Test
    void shouldAbortAStreamedPutThatIsInterrupted() throws Exception {
        Segment s = segment();
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", 256, Codec.bytes());
        RingProbe ring = RingProbe.queue(s, "q");
        Background<Void> putter = Background.start("putter", () -> {
            q.put(new byte[10_000]);
            return null;
        });
        ChildJvms.awaitCondition("the putter mid-stream, asleep", 10, () -> ring.notFullWaiters() > 0);
        putter.thread().interrupt();
        assertInstanceOf(InterruptedException.class, putter.failure(10));
        q.put(new byte[] {4});
        assertArrayEquals(new byte[] {4}, q.poll(10, TimeUnit.SECONDS), "the aborted part is never returned");
        assertEquals(1, q.partialsDiscarded());
        assertEquals(0, q.size());
        assertEquals(-1, q.core.producerLockHolderPid(), "the interrupted putter released the producer lock");
    }

    @Test
    void shouldFailABlockedPutOnceTheSegmentIsClosed() throws Exception {
        Segment s = segment();
        Segment other = segments.track(Segment.open(s.name()));
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", 256, Codec.bytes());
        q.put(new byte[248]);
        RingProbe ring = RingProbe.queue(other, "q");
        Background<Void> putter = Background.start("putter", () -> {
            q.put(new byte[1]);
            return null;
        });
        ChildJvms.awaitCondition("the putter asleep", 10, () -> ring.notFullWaiters() > 0);
        s.close();
        Throwable thrown = putter.failure(10);
        assertInstanceOf(IllegalStateException.class, thrown);
        assertEquals("segment '" + s.name() + "' is closed", thrown.getMessage());
        SharedQueue<byte[]> survivor = SharedQueue.open(other, "q", Codec.bytes());
        assertEquals(248, survivor.poll(10, TimeUnit.SECONDS).length);
        assertNull(survivor.poll(), "the putter of the closed attachment put nothing");
        // close() returned once the putter had left the queue, releasing the producer lock itself.
        assertEquals(-1, survivor.core.producerLockHolderPid());
        survivor.put(new byte[] {2});
        assertEquals(0, survivor.producerRecoveries(), "nothing to take over");
        assertArrayEquals(new byte[] {2}, survivor.poll());
    }

    /**
     * A thread streaming a message when its segment is closed stops at a fragment boundary, ends
     * the stream with an abort marker and releases the producer lock before {@code close()}
     * returns: the attachment's process slot is kept until then, so no other producer can take
     * the lock over and write behind a fragment the closing attachment is still writing.
     */
    @Test
    void shouldAbortAStreamWhoseSegmentIsClosedBeforeAnotherProducerCanTakeOver() throws Exception {
        Segment s = segment();
        Segment other = segments.track(Segment.open(s.name()));
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", 256, Codec.bytes());
        SharedQueue<byte[]> survivor = SharedQueue.open(other, "q", Codec.bytes());
        RingProbe ring = RingProbe.queue(other, "q");
        Background<Void> streamer = Background.start("streamer", () -> {
            q.put(new byte[10_000]);
            return null;
        });
        ChildJvms.awaitCondition("the streamer mid-stream, asleep", 10, () -> ring.notFullWaiters() > 0);
        s.close();
        Throwable thrown = streamer.failure(10);
        assertInstanceOf(IllegalStateException.class, thrown);
        assertEquals("segment '" + s.name() + "' is closed", thrown.getMessage());
        assertEquals(0, ring.streamOwner(), "the stream was ended");
        assertEquals(-1, survivor.core.producerLockHolderPid(), "released by the streamer itself");
        assertTrue(survivor.offer(new byte[] {7}));
        assertEquals(0, survivor.producerRecoveries(), "nothing was taken over");
        assertArrayEquals(new byte[] {7}, survivor.poll(5, TimeUnit.SECONDS), "the survivor's message is intact");
        assertEquals(1, survivor.partialsDiscarded(), "the aborted stream");
        assertNull(survivor.poll());
        assertEquals(0, survivor.size());
    }

    @Test
    void shouldTreatHugeAndNegativeTimeoutsSanely() throws Exception {
        Segment s = segment();
        SharedQueue<String> q = SharedQueue.create(s, "q", 4096, Codec.utf8());
        assertTrue(q.offer("x", Duration.ofSeconds(Long.MAX_VALUE)), "a saturated timeout still puts at once");
        assertTrue(q.offer("y", Long.MAX_VALUE, TimeUnit.DAYS));
        assertEquals("x", q.poll(Duration.ofSeconds(Long.MAX_VALUE)));
        assertEquals("y", q.poll(Long.MAX_VALUE, TimeUnit.DAYS));
        assertNull(q.poll(Duration.ofSeconds(Long.MIN_VALUE)));
        assertNull(q.poll(Long.MIN_VALUE, TimeUnit.NANOSECONDS));
        assertEquals(-1, q.pollBytes(ByteBuffer.allocate(64), Long.MIN_VALUE, TimeUnit.NANOSECONDS));
        SharedQueue<byte[]> small = SharedQueue.create(s, "small", 256, Codec.bytes());
        assertFalse(small.offerBytes(ByteBuffer.wrap(new byte[10_000]), Long.MIN_VALUE, TimeUnit.NANOSECONDS),
                "a stream with the most negative timeout tries each fragment once");
        assertTrue(small.offer(new byte[] {1}, Duration.ofSeconds(Long.MIN_VALUE)));
        assertArrayEquals(new byte[] {1}, small.poll(5, TimeUnit.SECONDS));
        assertEquals(1, small.partialsDiscarded());
        assertThrows(NullPointerException.class, () -> q.poll(null));
        assertThrows(NullPointerException.class, () -> q.poll(1, null));
    }

    // ---------------------------------------------------------------- factories and codecs

    @Test
    void shouldCreateOpenAndRefuseByName() {
        Segment s = segment();
        SharedQueue<String> q = SharedQueue.create(s, "q", 4096, Codec.utf8());
        ObjectExistsException exists = assertThrows(ObjectExistsException.class,
                () -> SharedQueue.create(s, "q", 4096, Codec.utf8()));
        assertEquals("object 'q' already exists in segment '" + s.name() + "' (as SharedQueue)", exists.getMessage());
        assertEquals(4096, SharedQueue.openOrCreate(s, "q", 1 << 20, Codec.utf8()).capacity(),
                "existing: the capacity asked for is ignored");
        assertEquals(1 << 20, SharedQueue.openOrCreate(s, "big", 1 << 20, Codec.utf8()).capacity());
        NoSuchObjectException missing = assertThrows(NoSuchObjectException.class,
                () -> SharedQueue.open(s, "missing", Codec.utf8()));
        assertEquals("no object named 'missing' in segment '" + s.name() + "'", missing.getMessage());
        assertThrows(NullPointerException.class, () -> SharedQueue.open(s, "q", null));

        SimpleQueue.openOrCreate(s, "simple", 4096, Codec.utf8());
        JoinableQueue.create(s, "joinable", 4096, Codec.utf8());
        assertEquals("object 'simple' in segment '" + s.name() + "' is a SimpleQueue, not a SharedQueue",
                assertThrows(KindMismatchException.class, () -> SharedQueue.open(s, "simple", Codec.utf8())).getMessage());
        assertEquals("object 'joinable' in segment '" + s.name() + "' is a JoinableQueue, not a SimpleQueue",
                assertThrows(KindMismatchException.class, () -> SimpleQueue.open(s, "joinable", Codec.utf8())).getMessage());
        assertEquals("object 'q' in segment '" + s.name() + "' is a SharedQueue, not a JoinableQueue",
                assertThrows(KindMismatchException.class,
                        () -> JoinableQueue.openOrCreate(s, "q", 4096, Codec.utf8())).getMessage());
        assertEquals(q.capacity(), SharedQueue.open(s, "q", Codec.bytes()).capacity());
    }

    @Test
    void shouldCountAMessageDecodedToNullAsUndecodable() throws Exception {
        Segment s = segment();
        Codec<String> nulls = new Codec<>() {
            @Override
            public byte[] encode(String value) {
                return value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }

            @Override
            public String decode(byte[] bytes, int offset, int length) {
                return null;
            }

            @Override
            public String toString() {
                return "nulls";
            }
        };
        SharedQueue<String> q = SharedQueue.create(s, "q", 4096, nulls);
        q.put("abc");
        CodecException e = assertThrows(CodecException.class, q::take);
        assertEquals("SharedQueue 'q' in segment '" + s.name() + "': a message of 3 bytes could not be decoded and"
                + " was removed from the queue: codec nulls decoded 3 bytes to null", e.getMessage());
        assertEquals(1, q.undecodable());
        assertTrue(q.isEmpty());
    }

    @Test
    void shouldOfferSimpleQueueDefaultsAndCodecErrors() throws Exception {
        Segment s = segment();
        SimpleQueue<String> q = SimpleQueue.openOrCreate(s, "simple", Codec.utf8());
        assertEquals(16 << 20, SimpleQueue.DEFAULT_CAPACITY);
        assertEquals("simple", q.name());
        assertEquals("SimpleQueue 'simple'[segment=" + s.name() + ", capacity=" + (16 << 20) + "]", q.toString());
        SimpleQueue<byte[]> raw = SimpleQueue.open(s, "simple", Codec.bytes());
        raw.put(new byte[] {(byte) 0xC3, (byte) 0x28});
        q.put("after");
        CodecException e = assertThrows(CodecException.class, q::get);
        assertEquals("SimpleQueue 'simple' in segment '" + s.name() + "': a message of 2 bytes could not be decoded and"
                + " was removed from the queue: malformed UTF-8: length=2", e.getMessage());
        assertEquals("after", q.get());
        assertTrue(q.isEmpty());
        assertThrows(NullPointerException.class, () -> q.put(null));
    }

    @Test
    void shouldJoinWithEveryTimeoutFormAndHonourInterrupts() throws Exception {
        Segment s = segment();
        JoinableQueue<String> q = JoinableQueue.create(s, "jobs", 4096, Codec.utf8());
        JoinableQueue<String> other = JoinableQueue.openOrCreate(segments.track(Segment.open(s.name())), "jobs", 1,
                Codec.utf8());
        assertTrue(q.join(Duration.ZERO));
        q.put("a");
        assertFalse(q.join(Duration.ofMillis(20)));
        assertFalse(q.join(-1, TimeUnit.SECONDS));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> q.join());
        assertFalse(Thread.interrupted(), "status cleared");
        assertEquals("a", other.take());
        assertEquals(1, q.unfinishedTasks(), "taken is not done");
        other.taskDone(); // any handle of any attachment may mark it done
        assertTrue(q.join(Duration.ofSeconds(5)));
        assertEquals(0, other.unfinishedTasks());
    }
}
