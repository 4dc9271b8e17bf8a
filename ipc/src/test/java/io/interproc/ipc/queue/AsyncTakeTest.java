package io.interproc.ipc.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.CodecException;
import io.interproc.core.Segment;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.core.wait.AsyncWaits;
import io.interproc.ipc.children.AsyncOfferChild;
import io.interproc.ipc.children.TakeChild;
import io.interproc.process.JvmProcess;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link AbstractSharedQueue#takeAsync()} and {@link AbstractSharedQueue#pollAsync}: futures
 * completed by messages put in another JVM, with no thread per pending take; a take cancelled
 * while a message arrives never loses it.
 */
class AsyncTakeTest {
    private static final long LONG_SECONDS = 60;

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    private Segment segment() {
        return segments.create(4 << 20);
    }

    private static void awaitNothingPending() throws InterruptedException {
        ChildJvms.awaitCondition("no asynchronous wait left", LONG_SECONDS, () -> AsyncWaits.pending() == 0);
    }

    @Test
    void aThousandPendingTakesReceiveEveryMessageOfAnotherJvmOnceWithoutAThreadEach() throws Exception {
        Segment s = segment();
        SharedQueue<String> q = SharedQueue.create(s, "q", 1 << 16, Codec.utf8());
        int n = 1000;
        int threadsBefore = Thread.activeCount();
        List<CompletableFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(i % 2 == 0 ? q.takeAsync() : q.pollAsync(Duration.ofSeconds(LONG_SECONDS)));
        }
        ChildJvms.awaitCondition("all registered", LONG_SECONDS, () -> AsyncWaits.pending() == n);
        assertTrue(Thread.activeCount() - threadsBefore <= 10,
                "a few threads (one helper, the async-waits thread), not one per wait: before=" + threadsBefore
                        + ", now=" + Thread.activeCount());
        ChildJvms.awaitSuccess(children.start(AsyncOfferChild.class, s.name(), "q", "shared", String.valueOf(n)),
                LONG_SECONDS);
        Set<String> got = new HashSet<>();
        for (CompletableFuture<String> f : futures) {
            got.add(f.get(LONG_SECONDS, TimeUnit.SECONDS));
        }
        assertEquals(n, got.size(), "every message went to exactly one future");
        for (int i = 0; i < n; i++) {
            assertTrue(got.contains("m" + i), "m" + i);
        }
        assertTrue(q.isEmpty());
        awaitNothingPending();
    }

    @Test
    void aMessageThereNowCompletesAtOnceAndTimedPollsEndWithNull() throws Exception {
        Segment s = segment();
        SharedQueue<String> q = SharedQueue.create(s, "q", 4096, Codec.utf8());
        q.put("now");
        CompletableFuture<String> f = q.takeAsync();
        assertTrue(f.isDone());
        assertEquals("now", f.get());
        assertNull(q.pollAsync(50, TimeUnit.MILLISECONDS).get(LONG_SECONDS, TimeUnit.SECONDS));
        assertNull(q.pollAsync(Duration.ZERO).get());
        assertThrows(NullPointerException.class, () -> q.pollAsync(1, null));
        awaitNothingPending();
    }

    @Test
    void aTakeCancelledWhileAMessageArrivesNeverLosesIt() throws Exception {
        Segment s = segment();
        SharedQueue<String> q = SharedQueue.create(s, "q", 4096, Codec.utf8());
        int taken = 0;
        int cancelled = 0;
        for (int i = 0; i < 2000; i++) {
            CompletableFuture<String> f = q.takeAsync();
            q.put("m" + i);
            if (f.cancel(false)) {
                cancelled++;
                assertEquals("m" + i, q.poll(), "round " + i + ": the cancelled take left the message queued");
            } else {
                taken++;
                assertEquals("m" + i, f.get(LONG_SECONDS, TimeUnit.SECONDS), "round " + i);
            }
            assertTrue(q.isEmpty(), "round " + i);
        }
        assertEquals(2000, taken + cancelled);
        awaitNothingPending();
    }

    @Test
    void joinableAndSimpleQueuesTakeAsynchronouslyFromAnotherJvm() throws Exception {
        Segment s = segment();
        JoinableQueue<String> jq = JoinableQueue.create(s, "jq", 4096, Codec.utf8());
        SimpleQueue<String> sq = SimpleQueue.openOrCreate(s, "sq", 4096, Codec.utf8());
        CompletableFuture<String> fromJoinable = jq.takeAsync();
        CompletableFuture<String> fromSimple = sq.takeAsync();
        ChildJvms.awaitCondition("both registered", LONG_SECONDS, () -> AsyncWaits.pending() == 2);
        ChildJvms.awaitSuccess(children.start(AsyncOfferChild.class, s.name(), "jq", "joinable", "1"), LONG_SECONDS);
        ChildJvms.awaitSuccess(children.start(AsyncOfferChild.class, s.name(), "sq", "simple", "1"), LONG_SECONDS);
        assertEquals("m0", fromJoinable.get(LONG_SECONDS, TimeUnit.SECONDS));
        assertEquals("m0", fromSimple.get(LONG_SECONDS, TimeUnit.SECONDS));
        assertEquals(1, jq.unfinishedTasks(), "an asynchronous take is a take: the task awaits taskDone");
        jq.taskDone();
        assertTrue(jq.join(LONG_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void anUndecodableMessageFailsTheFutureAndIsCounted() throws Exception {
        Segment s = segment();
        SharedQueue<String> q = SharedQueue.create(s, "q", 4096, Codec.utf8());
        SharedQueue<byte[]> raw = SharedQueue.open(s, "q", Codec.bytes());
        CompletableFuture<String> f = q.takeAsync();
        ChildJvms.awaitCondition("registered", LONG_SECONDS, () -> AsyncWaits.pending() == 1);
        assertTrue(raw.offerBytes(ByteBuffer.wrap(new byte[] {(byte) 0xC3, 0x28}))); // invalid UTF-8
        ExecutionException x = assertThrows(ExecutionException.class, () -> f.get(LONG_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(CodecException.class, x.getCause());
        assertEquals(1, q.undecodable());
        assertTrue(q.isEmpty(), "removed, so it cannot block the queue");
    }

    @Test
    void aPendingTakeTakesTheConsumerLockOverFromAConsumerKilledWhileBlockedInTake() throws Exception {
        Segment s = segment();
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", 4096, Codec.bytes());
        JvmProcess consumer = children.start(TakeChild.class, s.name(), "q");
        ChildJvms.awaitCondition("the child blocked in take(), holding the consumer lock", LONG_SECONDS,
                () -> q.core.consumerLockHolderPid() == consumer.pid());
        CompletableFuture<byte[]> f = q.takeAsync();
        ChildJvms.awaitCondition("registered", LONG_SECONDS, () -> AsyncWaits.pending() == 1);
        consumer.kill();
        assertTrue(consumer.join(LONG_SECONDS, TimeUnit.SECONDS), "killed child exited");
        q.put(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, f.get(LONG_SECONDS, TimeUnit.SECONDS), "taken over");
        assertEquals(1, q.consumerRecoveries());
        assertTrue(q.isEmpty());
        awaitNothingPending();
    }

    @Test
    void closingTheSegmentFailsPendingTakes() throws Exception {
        Segment s = segment();
        SharedQueue<String> q = SharedQueue.create(s, "q", 4096, Codec.utf8());
        CompletableFuture<String> f = q.takeAsync();
        ChildJvms.awaitCondition("registered", LONG_SECONDS, () -> AsyncWaits.pending() == 1);
        s.close();
        ExecutionException x = assertThrows(ExecutionException.class, () -> f.get(LONG_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, x.getCause());
        assertTrue(q.takeAsync().isCompletedExceptionally(), "a take on a closed segment fails at once");
        Segment other = segments.track(Segment.open(s.name()));
        SharedQueue<String> fresh = SharedQueue.open(other, "q", Codec.utf8());
        other.close();
        assertTrue(fresh.pollAsync(Duration.ofSeconds(1)).isCompletedExceptionally(), "also on a handle's first wait");
        assertEquals(0, AsyncWaits.pending());
    }
}
