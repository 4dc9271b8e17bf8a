package io.interproc.ipc.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.BufferTooSmallException;
import io.interproc.core.Codec;
import io.interproc.core.CodecException;
import io.interproc.core.KindMismatchException;
import io.interproc.core.Segment;
import io.interproc.core.testing.TempSegments;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SharedQueueTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    private Segment segment() {
        return segments.create(64 << 20);
    }

    @Test
    void shouldOfferAndPollInFifoOrder() throws Exception {
        Segment s = segment();
        SharedQueue<String> q = SharedQueue.create(s, "q", 4096, Codec.utf8());
        assertTrue(q.isEmpty());
        for (int i = 0; i < 100; i++) {
            assertTrue(q.offer("m" + i));
        }
        assertEquals(100, q.size());
        SharedQueue<String> other = SharedQueue.open(segments.track(Segment.open(s.name())), "q", Codec.utf8());
        for (int i = 0; i < 100; i++) {
            assertEquals("m" + i, other.poll());
        }
        assertNull(q.poll());
        assertTrue(q.isEmpty());
        assertEquals(0, q.size());
    }

    @Test
    void shouldImplementTheFourFormTable() throws Exception {
        Segment s = segment();
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", 256, Codec.bytes());
        assertEquals(256, q.capacity());
        byte[] big = new byte[200];
        assertTrue(q.add(big));
        IllegalStateException full = assertThrows(IllegalStateException.class, () -> q.add(big));
        assertTrue(full.getMessage().startsWith("queue full: SharedQueue 'q'[segment=" + s.name()), full.getMessage());
        assertFalse(q.offer(big));
        assertFalse(q.offer(big, 50, TimeUnit.MILLISECONDS));
        assertFalse(q.offer(big, Duration.ZERO));
        assertEquals(200, q.remove().length);
        NoSuchElementException empty = assertThrows(NoSuchElementException.class, q::remove);
        assertTrue(empty.getMessage().startsWith("queue empty: SharedQueue 'q'"));
        assertNull(q.poll(50, TimeUnit.MILLISECONDS));
        assertNull(q.poll(Duration.ofMillis(-1)));
        q.put(new byte[] {7});
        assertArrayEquals(new byte[] {7}, q.take());
    }

    @Test
    void shouldBlockUntilAnotherThreadActs() throws Exception {
        Segment s = segment();
        SharedQueue<Long> q = SharedQueue.create(s, "q", 256, Codec.longs());
        CompletableFuture<Long> taker = CompletableFuture.supplyAsync(() -> {
            try {
                return q.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        q.put(42L);
        assertEquals(42L, taker.get(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldUseTheBytesPathAndRefuseASmallBuffer() throws Exception {
        Segment s = segment();
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", 4096, Codec.bytes());
        ByteBuffer src = ByteBuffer.allocateDirect(16).putLong(1).putLong(2).flip();
        assertTrue(q.offerBytes(src));
        assertEquals(16, src.position(), "consumed the source");
        ByteBuffer small = ByteBuffer.allocate(8);
        BufferTooSmallException e = assertThrows(BufferTooSmallException.class, () -> q.pollBytes(small));
        assertEquals("buffer too small for the next message: needed=16 bytes, remaining=8 (the message was left in place)",
                e.getMessage());
        assertEquals(16, e.needed());
        assertEquals(0, small.position());
        ByteBuffer dst = ByteBuffer.allocate(32);
        assertEquals(16, q.pollBytes(dst));
        dst.flip();
        assertEquals(1, dst.getLong());
        assertEquals(2, dst.getLong());
        assertEquals(-1, q.pollBytes(dst));
    }

    @Test
    void shouldStreamAMessageLargerThanTheRing() throws Exception {
        Segment s = segment();
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", 64 << 10, Codec.bytes());
        byte[] big = new byte[10 << 20];
        new Random(1).nextBytes(big);
        CompletableFuture<byte[]> taker = CompletableFuture.supplyAsync(() -> {
            try {
                return q.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        q.put(big);
        q.put(new byte[] {1, 2, 3});
        assertArrayEquals(big, taker.get(60, TimeUnit.SECONDS));
        assertArrayEquals(new byte[] {1, 2, 3}, q.take());
        assertEquals(0, q.partialsDiscarded());
        assertEquals(0, q.messagesLost());
    }

    @Test
    void shouldAbortAStreamThatTimesOut() throws Exception {
        Segment s = segment();
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", 256, Codec.bytes());
        assertFalse(q.offer(new byte[10_000], 100, TimeUnit.MILLISECONDS), "nobody consumes: times out midway");
        q.put(new byte[] {9});
        // The consumer drops the started fragments and the abort marker, and returns the next message.
        assertArrayEquals(new byte[] {9}, q.poll(5, TimeUnit.SECONDS));
        assertEquals(1, q.partialsDiscarded());
        assertNull(q.poll());
    }

    @Test
    void shouldReportCodecFailuresInTheCallerAndStayConsistent() throws Exception {
        Segment s = segment();
        SharedQueue<String> q = SharedQueue.create(s, "q", 4096, Codec.utf8());
        assertThrows(NullPointerException.class, () -> q.offer((String) null));
        SharedQueue<byte[]> raw = SharedQueue.open(s, "q", Codec.bytes());
        raw.put(new byte[] {(byte) 0xC3, (byte) 0x28});
        q.put("after");
        CodecException e = assertThrows(CodecException.class, q::take);
        assertEquals("SharedQueue 'q' in segment '" + s.name() + "': a message of 2 bytes could not be decoded and was"
                + " removed from the queue: malformed UTF-8: length=2", e.getMessage());
        assertEquals(1, q.undecodable());
        assertEquals("after", q.take());

        Codec<String> failing = new Codec<>() {
            @Override
            public byte[] encode(String value) {
                throw new IllegalArgumentException("no " + value);
            }

            @Override
            public String decode(byte[] bytes, int offset, int length) {
                return "";
            }

            @Override
            public String toString() {
                return "failing";
            }
        };
        SharedQueue<String> bad = SharedQueue.open(s, "q", failing);
        CodecException enc = assertThrows(CodecException.class, () -> bad.put("x"));
        assertEquals("codec failing cannot encode java.lang.String: java.lang.IllegalArgumentException: no x", enc.getMessage());
        assertTrue(q.isEmpty(), "nothing was put");
    }

    @Test
    void shouldHonourInterruptsAndClosedSegments() throws Exception {
        Segment s = segment();
        SharedQueue<Long> q = SharedQueue.create(s, "q", 256, Codec.longs());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, q::take);
        assertFalse(Thread.interrupted(), "status cleared");

        AtomicReference<Thread> t = new AtomicReference<>();
        CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
            t.set(Thread.currentThread());
            try {
                q.take();
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        while (t.get() == null) {
            Thread.onSpinWait();
        }
        s.close();
        Throwable thrown = blocked.get(10, TimeUnit.SECONDS);
        assertTrue(thrown instanceof IllegalStateException, String.valueOf(thrown));
        assertEquals("segment '" + s.name() + "' is closed", thrown.getMessage());
        assertThrows(IllegalStateException.class, () -> q.offer(1L));
    }

    @Test
    void shouldRejectTheWrongKind() {
        Segment s = segment();
        SharedQueue.create(s, "q", 4096, Codec.utf8());
        KindMismatchException e = assertThrows(KindMismatchException.class, () -> JoinableQueue.open(s, "q", Codec.utf8()));
        assertEquals("object 'q' in segment '" + s.name() + "' is a SharedQueue, not a JoinableQueue", e.getMessage());
        IllegalArgumentException cap = assertThrows(IllegalArgumentException.class,
                () -> SharedQueue.create(s, "z", 0, Codec.utf8()));
        assertEquals("capacity must be 1 to 1073741824 bytes: capacity=0", cap.getMessage());
    }

    @Test
    void shouldJoinWhenEveryTaskIsDone() throws Exception {
        Segment s = segment();
        JoinableQueue<String> q = JoinableQueue.create(s, "jobs", 4096, Codec.utf8());
        assertTrue(q.join(0, TimeUnit.SECONDS), "nothing put: done");
        q.put("a");
        q.put("b");
        assertEquals(2, q.unfinishedTasks());
        IllegalStateException tooSoon = assertThrows(IllegalStateException.class, q::taskDone);
        assertEquals("taskDone() called more times than items were taken from JoinableQueue 'jobs': taken=0, done=0",
                tooSoon.getMessage());
        assertEquals(2, q.unfinishedTasks(), "the refused call changed nothing");
        assertFalse(q.join(50, TimeUnit.MILLISECONDS));
        CompletableFuture<Boolean> joiner = CompletableFuture.supplyAsync(() -> {
            try {
                q.join();
                return true;
            } catch (InterruptedException e) {
                return false;
            }
        });
        List<String> got = new ArrayList<>();
        got.add(q.take());
        q.taskDone();
        assertFalse(joiner.isDone());
        got.add(q.take());
        q.taskDone();
        assertTrue(joiner.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("a", "b"), got);
        assertThrows(IllegalStateException.class, q::taskDone);
        assertEquals(0, q.unfinishedTasks());
    }

    @Test
    void shouldOfferASimpleQueue() throws Exception {
        Segment s = segment();
        SimpleQueue<String> q = SimpleQueue.openOrCreate(s, "simple", Codec.utf8());
        assertTrue(q.isEmpty());
        q.put("x");
        assertFalse(q.isEmpty());
        assertEquals("x", SimpleQueue.open(s, "simple", Codec.utf8()).get());
    }
}
