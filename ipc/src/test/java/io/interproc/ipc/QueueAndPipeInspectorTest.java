package io.interproc.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.interproc.core.Codec;
import io.interproc.core.CodecException;
import io.interproc.core.Segment;
import io.interproc.core.segment.Inspection;
import io.interproc.core.spi.ObjectKind;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.pipe.Connection;
import io.interproc.ipc.pipe.Pipe;
import io.interproc.ipc.pipe.PipeInspector;
import io.interproc.ipc.queue.JoinableQueue;
import io.interproc.ipc.queue.QueueInspector;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.ipc.queue.SimpleQueue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QueueAndPipeInspectorTest {
    private static final long PID = ProcessHandle.current().pid();
    private static final String ME = "pid " + PID + " (alive)";

    @RegisterExtension
    final TempSegments segments = new TempSegments();

    private Segment segment() {
        return segments.create(4 << 20);
    }

    private static Map<String, Object> queue(int capacity, long messages, long bytesUsed, long put, long taken,
            String producerLock, String consumerLock, int producersWaiting, int consumersWaiting) {
        return TempSegments.map("capacity", capacity, "messages", messages, "bytesUsed", bytesUsed, "messagesPut", put,
                "messagesTaken", taken, "messagesLost", 0L, "partialsDiscarded", 0L, "undecodable", 0L,
                "producerLock", producerLock, "consumerLock", consumerLock, "producersWaiting", producersWaiting,
                "consumersWaiting", consumersWaiting, "producerRecoveries", 0L, "consumerRecoveries", 0L);
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("timed out waiting for: " + what);
            }
            Thread.sleep(2);
        }
    }

    /** The kinds of ipc's inspectors together (one per package: queues, pipes). */
    private static Set<ObjectKind> ipcKinds() {
        Set<ObjectKind> kinds = new java.util.HashSet<>();
        kinds.addAll(new QueueInspector().kinds());
        kinds.addAll(new PipeInspector().kinds());
        return kinds;
    }

    @Test
    void shouldBeFoundByTheServiceLoader() {
        for (ObjectKind kind : ipcKinds()) {
            assertTrue(Inspection.canDescribe(kind), kind.typeName());
        }
        assertEquals(Set.of(IpcKinds.QUEUE, IpcKinds.JOINABLE_QUEUE, IpcKinds.SIMPLE_QUEUE, IpcKinds.PIPE),
                ipcKinds());
    }

    @Test
    void shouldDescribeAQueueAsMessagesComeAndGo() {
        Segment s = segment();
        SharedQueue<String> q = SharedQueue.create(s, "jobs", 4096, Codec.utf8());
        assertEquals(queue(4096, 0, 0, 0, 0, "none", "none", 0, 0), segments.describe(s, "jobs"));
        assertTrue(q.offer("hello"));    // 8-byte header + 5 bytes padded to 8
        assertTrue(q.offer("world!!!")); // 8 + 8
        assertEquals(queue(4096, 2, 32, 2, 0, "none", "none", 0, 0), segments.describe(s, "jobs"));
        assertEquals("hello", q.poll());
        assertEquals(queue(4096, 1, 16, 2, 1, "none", "none", 0, 0), segments.describe(s, "jobs"));
    }

    @Test
    void shouldShowLockOwnersAndWaitersOfABlockedQueue() throws Exception {
        Segment s = segment();
        ExecutorService threads = Executors.newCachedThreadPool(); // not the common pool: 1 thread on 2 cores
        try {
            blockedQueue(s, threads);
        } finally {
            threads.shutdownNow();
        }
    }

    private void blockedQueue(Segment s, ExecutorService threads) throws Exception {
        SharedQueue<byte[]> full = SharedQueue.create(s, "full", 256, Codec.bytes());
        assertTrue(full.offer(new byte[200]));
        CompletableFuture<Void> p1 = CompletableFuture.runAsync(() -> put(full, new byte[200]), threads);
        eventually("a producer sleeping in the ring",
                () -> Integer.valueOf(1).equals(segments.describe(s, "full").get("producersWaiting")));
        CompletableFuture<Void> p2 = CompletableFuture.runAsync(() -> put(full, new byte[8]), threads);
        eventually("a second producer sleeping on the producer lock",
                () -> Integer.valueOf(2).equals(segments.describe(s, "full").get("producersWaiting")));
        Map<String, Object> blocked = segments.describe(s, "full");
        assertEquals(ME, blocked.get("producerLock"));
        assertEquals("none", blocked.get("consumerLock"));
        assertEquals(1L, blocked.get("messages"));
        assertEquals(0, blocked.get("consumersWaiting"));

        SharedQueue<byte[]> empty = SharedQueue.create(s, "empty", 256, Codec.bytes());
        CompletableFuture<byte[]> c1 = CompletableFuture.supplyAsync(() -> take(empty), threads);
        eventually("a consumer sleeping in the ring",
                () -> Integer.valueOf(1).equals(segments.describe(s, "empty").get("consumersWaiting")));
        assertEquals(queue(256, 0, 0, 0, 0, "none", ME, 0, 1), segments.describe(s, "empty"));

        assertTrue(empty.offer(new byte[1]));
        assertEquals(1, c1.get(10, TimeUnit.SECONDS).length);
        for (int i = 0; i < 3; i++) {
            assertTrue(full.poll(10, TimeUnit.SECONDS) != null);
        }
        p1.get(10, TimeUnit.SECONDS);
        p2.get(10, TimeUnit.SECONDS);
        assertEquals(queue(256, 0, 0, 3, 3, "none", "none", 0, 0), segments.describe(s, "full"));
        assertEquals(queue(256, 0, 0, 1, 1, "none", "none", 0, 0), segments.describe(s, "empty"));
    }

    private static void put(SharedQueue<byte[]> q, byte[] message) {
        try {
            q.put(message);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] take(SharedQueue<byte[]> q) {
        try {
            return q.take();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldCountUndecodableMessages() {
        Segment s = segment();
        SharedQueue<Long> q = SharedQueue.create(s, "longs", 256, Codec.longs());
        assertTrue(q.offerBytes(ByteBuffer.wrap(new byte[3])));
        assertThrows(CodecException.class, q::poll);
        assertEquals(1L, segments.describe(s, "longs").get("undecodable"));
    }

    @Test
    void shouldDescribeTheTasksOfAJoinableQueue() {
        Segment s = segment();
        JoinableQueue<String> q = JoinableQueue.create(s, "tasks", 1024, Codec.utf8());
        for (int i = 0; i < 3; i++) {
            assertTrue(q.offer("t" + i));
        }
        q.poll();
        q.poll();
        q.taskDone();
        Map<String, Object> expected = queue(1024, 1, 16, 3, 2, "none", "none", 0, 0);
        expected.put("tasksDone", 1L);
        expected.put("unfinishedTasks", 2L);
        assertEquals(expected, segments.describe(s, "tasks"));
    }

    @Test
    void shouldDescribeASimpleQueue() throws Exception {
        Segment s = segment();
        SimpleQueue<String> q = SimpleQueue.openOrCreate(s, "simple", 1024, Codec.utf8());
        q.put("x");
        assertEquals(queue(1024, 1, 16, 1, 0, "none", "none", 0, 0), segments.describe(s, "simple"));
    }

    @Test
    void shouldDescribeADuplexPipeItsEndsAndBothDirections() throws Exception {
        Segment s = segment();
        Pipe pipe = Pipe.create(s, "p", 1024, true);
        assertEquals(TempSegments.map("duplex", true, "capacity", 1024, "endA", "free", "endB", "free",
                "bToA.bytesUsed", 0L, "bToA.messages", 0L, "aToB.bytesUsed", 0L, "aToB.messages", 0L),
                segments.describe(s, "p"));
        Connection<String> a = pipe.connect(Pipe.End.A, Codec.utf8());
        Segment other = segments.track(Segment.open(s.name(), segments.options()));
        int otherId = other.ownerId();
        Connection<String> b = Pipe.open(other, "p").connect(Pipe.End.B, Codec.utf8());
        a.send("ping");
        a.send("again");
        b.send("pong");
        assertEquals(TempSegments.map("duplex", true, "capacity", 1024, "endA", ME, "endB", ME,
                "bToA.bytesUsed", 16L, "bToA.messages", 1L, "aToB.bytesUsed", 32L, "aToB.messages", 2L),
                segments.describe(s, "p"));
        assertEquals("ping", b.recv());
        a.close();
        other.close(); // end B's holder is gone without closing its connection
        Map<String, Object> after = segments.describe(s, "p");
        assertEquals("closed", after.get("endA"));
        assertEquals("owner id " + otherId + " (dead: its slot was freed or reused)", after.get("endB"));
        assertEquals(16L, after.get("aToB.bytesUsed"));
        assertEquals(1L, after.get("aToB.messages"));
    }

    @Test
    void shouldDescribeAOneWayPipeWithOneRing() {
        Segment s = segment();
        Pipe.create(s, "oneway", 300, false);
        assertEquals(TempSegments.map("duplex", false, "capacity", 512, "endA", "free", "endB", "free",
                "bToA.bytesUsed", 0L, "bToA.messages", 0L), segments.describe(s, "oneway"));
        assertEquals(List.of("duplex", "capacity", "endA", "endB", "bToA.bytesUsed", "bToA.messages"),
                List.copyOf(segments.describe(s, "oneway").keySet()));
    }
}
