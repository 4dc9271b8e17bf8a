package io.interproc.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.queue.SharedQueue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The publisher every handler shares: stamping, sequence, and the full-queue policies. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LogPublisherTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    private SharedQueue<LogEvent> smallQueue() {
        Segment s = segments.create(1 << 20);
        return SharedQueue.create(s, "logs", 256, LogEvent.codec());
    }

    private static boolean publish(LogPublisher p, String message) {
        return p.publish(Instant.now(), LogLevel.INFO, "l", Thread.currentThread().getName(), message, null, Map.of());
    }

    /** Publishes until a record is refused; returns how many went in. */
    private static int fill(LogPublisher p) {
        int n = 0;
        while (publish(p, "fill " + n)) {
            n++;
        }
        return n;
    }

    @Test
    void shouldStampProcessPidThreadAndSequence() throws Exception {
        SharedQueue<LogEvent> q = smallQueue();
        LogPublisher p = LogPublisher.on(q, FullQueuePolicy.dropAndCount(), "me");
        Map<String, String> ctx = new java.util.HashMap<>();
        ctx.put("k", "v");
        ctx.put("nullValue", null);
        assertTrue(p.publish(Instant.EPOCH, LogLevel.ERROR, null, "t1", null, "trace", ctx));
        LogEvent e = q.poll(5, TimeUnit.SECONDS);
        assertNotNull(e);
        assertEquals("me", e.process());
        assertEquals(ProcessHandle.current().pid(), e.pid());
        assertEquals("t1", e.thread());
        assertEquals("", e.logger());
        assertEquals("null", e.message());
        assertEquals("trace", e.throwable());
        assertEquals(Map.of("k", "v"), e.context(), "null values are left out");
        assertEquals(0, e.sequence());
        assertTrue(publish(p, "second"));
        assertEquals(1, q.poll(5, TimeUnit.SECONDS).sequence());
        assertEquals(2, p.published());
        assertEquals(LogPublisher.defaultProcessName(), LogPublisher.on(q, FullQueuePolicy.defaults(), " ").processName());
    }

    @Test
    void shouldDropAndCountAtOnceWhenFullAndShowTheGapInTheSequence() throws Exception {
        SharedQueue<LogEvent> q = smallQueue();
        LogPublisher p = LogPublisher.on(q, FullQueuePolicy.dropAndCount(), "me");
        int in = fill(p);
        assertTrue(in > 0);
        assertEquals(1, p.dropped());
        assertFalse(publish(p, "dropped too"));
        assertEquals(2, p.dropped());
        for (int i = 0; i < in; i++) {
            assertEquals(i, q.poll(5, TimeUnit.SECONDS).sequence());
        }
        assertTrue(publish(p, "after"));
        LogEvent after = q.poll(5, TimeUnit.SECONDS);
        assertEquals("after", after.message());
        assertEquals(in + 2, after.sequence(), "the two dropped records are a gap the listener can see");
        assertEquals(in + 1, p.published());
    }

    @Test
    void shouldBlockUpToTheBoundThenDropAndCount() {
        SharedQueue<LogEvent> q = smallQueue();
        LogPublisher p = LogPublisher.on(q, FullQueuePolicy.block(Duration.ofMillis(200)), "me");
        int in = fill(p);
        assertTrue(in > 0);
        assertEquals(1, p.dropped());
        assertEquals(in, q.size(), "nothing partial was left by the refused record");
    }

    @Test
    void shouldPublishABlockedRecordOnceThereIsRoom() throws Exception {
        SharedQueue<LogEvent> q = smallQueue();
        LogPublisher filler = LogPublisher.on(q, FullQueuePolicy.dropAndCount(), "filler");
        int in = fill(filler);
        LogPublisher p = LogPublisher.on(q, FullQueuePolicy.block(Duration.ofSeconds(60)), "blocked");
        CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(() -> publish(p, "waited"));
        for (int i = 0; i < in; i++) {
            assertEquals("filler", q.poll(5, TimeUnit.SECONDS).process());
        }
        assertTrue(blocked.get(60, TimeUnit.SECONDS));
        LogEvent e = q.poll(5, TimeUnit.SECONDS);
        assertEquals("waited", e.message());
        assertEquals(0, p.dropped());
    }

    @Test
    void shouldDropAndKeepTheInterruptWhenInterruptedWhileBlocked() {
        SharedQueue<LogEvent> q = smallQueue();
        LogPublisher p = LogPublisher.on(q, FullQueuePolicy.block(Duration.ofSeconds(60)), "me");
        LogPublisher filler = LogPublisher.on(q, FullQueuePolicy.dropAndCount(), "filler");
        int in = fill(filler);
        Thread.currentThread().interrupt();
        assertFalse(publish(p, "interrupted"));
        assertTrue(Thread.interrupted(), "the interrupt status is kept for the caller");
        assertEquals(1, p.dropped());
        assertEquals(in, q.size());
    }

    @Test
    void shouldOpenByNameAndDropAfterClose() throws Exception {
        String name = segments.newName();
        LogPublisher p = LogPublisher.open(name, "app", 1 << 16, FullQueuePolicy.defaults(), "named");
        assertTrue(publish(p, "one"));
        p.close();
        p.close();
        assertFalse(publish(p, "after close"));
        assertEquals(1, p.dropped());
        try (Segment s = segments.track(Segment.open(name))) {
            SharedQueue<LogEvent> q = SharedQueue.open(s, "app", LogEvent.codec());
            assertEquals("one", q.poll(5, TimeUnit.SECONDS).message(), "published records outlive the publisher");
            assertNull(q.poll());
        }
    }

    @Test
    void shouldParsePolicies() {
        assertEquals(FullQueuePolicy.dropAndCount(), FullQueuePolicy.parse("drop_and_count"));
        assertEquals(FullQueuePolicy.dropAndCount(), FullQueuePolicy.parse("DROP"));
        assertEquals(FullQueuePolicy.defaults(), FullQueuePolicy.parse("block"));
        assertEquals(FullQueuePolicy.block(Duration.ofMillis(250)), FullQueuePolicy.parse("BLOCK:250ms"));
        assertEquals(FullQueuePolicy.block(Duration.ofSeconds(3)), FullQueuePolicy.parse("block:3s"));
        assertEquals(FullQueuePolicy.block(Duration.ofMinutes(2)), FullQueuePolicy.parse("BLOCK:2m"));
        assertEquals(FullQueuePolicy.block(Duration.ofSeconds(7)), FullQueuePolicy.parse("BLOCK:PT7S"));
        assertFalse(FullQueuePolicy.dropAndCount().blocks());
        for (String bad : new String[] {"", "wait", "BLOCK:", "BLOCK:xs", "BLOCK:0s", "BLOCK:-1s", "BLOCK:5h"}) {
            assertThrows(IllegalArgumentException.class, () -> FullQueuePolicy.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> FullQueuePolicy.block(Duration.ZERO));
    }

    @Test
    void shouldPublishARecordLoggedDuringAPublishRightAfterItAndBoundTheChain() throws Exception {
        Segment s = segments.create(1 << 20);
        java.util.concurrent.atomic.AtomicReference<LogPublisher> self = new java.util.concurrent.atomic.AtomicReference<>();
        // A codec that logs through the same publisher each time it encodes, as interproc's own
        // recovery warning comes back through a handler on the root logger.
        io.interproc.core.Codec<LogEvent> logging = new io.interproc.core.Codec<>() {
            @Override
            public byte[] encode(LogEvent e) {
                publish(self.get(), "nested " + e.message());
                return LogEvent.codec().encode(e);
            }

            @Override
            public LogEvent decode(byte[] bytes, int offset, int length) {
                return LogEvent.codec().decode(bytes, offset, length);
            }
        };
        SharedQueue<LogEvent> q = SharedQueue.create(s, "logs", 1 << 16, logging);
        LogPublisher p = LogPublisher.on(q, FullQueuePolicy.defaults(), "me");
        self.set(p);
        assertTrue(publish(p, "outer"));
        String expected = "outer";
        for (int i = 0; i <= LogPublisher.MAX_NESTED; i++) {
            LogEvent e = q.poll(5, TimeUnit.SECONDS);
            assertEquals(expected, e.message(), "record " + i);
            assertEquals(i, e.sequence());
            expected = "nested " + expected;
        }
        assertNull(q.poll());
        assertEquals(LogPublisher.MAX_NESTED + 1, p.published());
        assertEquals(1, p.dropped(), "the chain is cut after " + LogPublisher.MAX_NESTED + " nested records, counted");
    }
}
