package io.interproc.ipc.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.RingProbe;
import io.interproc.ipc.children.BatchPutChild;
import io.interproc.process.JvmProcess;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The batch put: {@code offerAllBytes} and {@code putAllBytes}. */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class QueueBatchPutTest {
    private static final String STOPPED = "stopped between count and publish";

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    private static ByteBuffer[] utf8(String... messages) {
        ByteBuffer[] out = new ByteBuffer[messages.length];
        for (int i = 0; i < messages.length; i++) {
            out[i] = ByteBuffer.wrap(messages[i].getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<String> takeAll(SharedQueue<String> q) {
        List<String> out = new ArrayList<>();
        for (String m = q.poll(); m != null; m = q.poll()) {
            out.add(m);
        }
        return out;
    }

    @Test
    void shouldPutTheRangeInOrderAndMovePositions() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedQueue<String> q = SharedQueue.create(s, "q", 4096, Codec.utf8());
        ByteBuffer[] batch = utf8("skipped", "a", "bb", "ccc", "after");
        assertEquals(3, q.offerAllBytes(batch, 1, 3));
        assertEquals(0, batch[0].position(), "outside the range: untouched");
        for (int i = 1; i <= 3; i++) {
            assertFalse(batch[i].hasRemaining(), "put: position at the limit");
        }
        assertEquals(0, batch[4].position());
        assertEquals(3, q.size());
        assertEquals(List.of("a", "bb", "ccc"), takeAll(q));
        assertEquals(0, q.offerAllBytes(batch, 0, 0), "an empty range puts nothing");
        q.putAllBytes(utf8("x", "y"), 0, 2);
        assertEquals(List.of("x", "y"), takeAll(q));
    }

    @Test
    void shouldPutWhatFitsNowAndLeaveTheRestUntouched() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", 256, Codec.bytes());
        ByteBuffer[] batch = new ByteBuffer[100];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = ByteBuffer.wrap(new byte[] {(byte) i, 1, 2, 3, 4, 5, 6, 7});
        }
        int put = q.offerAllBytes(batch, 0, batch.length);
        assertTrue(put > 0 && put < batch.length, "a 256-byte ring holds some 16-byte records, not 100: " + put);
        for (int i = 0; i < batch.length; i++) {
            assertEquals(i < put ? 8 : 0, batch[i].position(), "message " + i);
        }
        assertEquals(0, q.offerAllBytes(batch, put, batch.length - put), "full: nothing more now");
        assertEquals(0, q.offerAllBytes(batch, put, batch.length - put, Duration.ofMillis(20)),
                "full until the timeout");
        for (int i = 0; i < put; i++) {
            assertEquals(i, q.poll()[0]);
        }
        assertNull(q.poll());
    }

    @Test
    void shouldReturnTheCountWhenInterruptedAfterSomeWerePut() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", 256, Codec.bytes());
        ByteBuffer[] batch = new ByteBuffer[100];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = ByteBuffer.wrap(new byte[8]);
        }
        Thread.currentThread().interrupt();
        int put = q.offerAllBytes(batch, 0, batch.length, 1, TimeUnit.SECONDS);
        assertTrue(Thread.interrupted(), "the interrupt status is set again");
        assertTrue(put > 0 && put < batch.length, "the ones that fitted were put: " + put);
        assertEquals(put, q.size());
        assertEquals(8, batch[put - 1].position());
        assertEquals(0, batch[put].position());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> q.offerAllBytes(batch, put, 1, 1, TimeUnit.SECONDS),
                "nothing put: the interrupt is thrown");
        assertFalse(Thread.interrupted());
        Thread.currentThread().interrupt();
        assertEquals(0, q.offerAllBytes(batch, put, 1), "try-once, full: 0 with the status kept");
        assertTrue(Thread.interrupted());

        // The blocking form, interrupted while it waits for room after putting what fitted.
        while (q.poll() != null) {
            // make room
        }
        for (ByteBuffer b : batch) {
            b.clear();
        }
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                int n = q.putAllBytes(batch, 0, batch.length);
                outcome.set(n + (Thread.currentThread().isInterrupted() ? " interrupted" : " not interrupted"));
            } catch (InterruptedException e) {
                outcome.set(e);
            }
        });
        producer.start();
        RingProbe ring = RingProbe.queue(s, "q");
        ChildJvms.awaitCondition("the batch put waits for room", 60, () -> ring.notFullWaiters() > 0);
        producer.interrupt();
        producer.join(TimeUnit.SECONDS.toMillis(60));
        assertEquals(put + " interrupted", outcome.get(), "the same that fitted before, with the status set");
    }

    @Test
    void shouldStreamAMessageLargerThanTheRingInsideABatch() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", 256, Codec.bytes());
        byte[] big = new byte[5000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7);
        }
        ByteBuffer[] batch = {ByteBuffer.wrap(new byte[] {1}), ByteBuffer.wrap(big), ByteBuffer.wrap(new byte[] {2})};
        AtomicReference<List<byte[]>> got = new AtomicReference<>();
        Thread consumer = new Thread(() -> {
            List<byte[]> out = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    out.add(q.poll(60, TimeUnit.SECONDS));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            got.set(out);
        });
        consumer.start();
        q.putAllBytes(batch, 0, 3);
        consumer.join(TimeUnit.SECONDS.toMillis(60));
        assertFalse(consumer.isAlive());
        assertArrayEquals(new byte[] {1}, got.get().get(0));
        assertArrayEquals(big, got.get().get(1));
        assertArrayEquals(new byte[] {2}, got.get().get(2));
        assertEquals(3, RingProbe.queue(s, "q").messagesTaken());
        assertTrue(q.isEmpty());
    }

    @Test
    void shouldRejectABadBatchBeforePuttingAnything() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedQueue<String> q = SharedQueue.create(s, "q", 4096, Codec.utf8());
        ByteBuffer[] withNull = {ByteBuffer.wrap(new byte[] {1}), null};
        NullPointerException npe = assertThrows(NullPointerException.class, () -> q.putAllBytes(withNull, 0, 2));
        assertTrue(npe.getMessage().contains("messages[1]"), npe.getMessage());
        assertThrows(NullPointerException.class, () -> q.offerAllBytes(null, 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> q.offerAllBytes(utf8("a"), 1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> q.offerAllBytes(utf8("a"), -1, 1));
        assertEquals(0, withNull[0].position());
        assertTrue(q.isEmpty());
        s.close();
        assertThrows(IllegalStateException.class, () -> q.offerAllBytes(utf8("a"), 0, 1));
    }

    @Test
    void shouldWakeAConsumerAsleepOnTheEmptyQueue() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedQueue<String> q = SharedQueue.create(s, "q", 4096, Codec.utf8());
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<String> got = new AtomicReference<>();
        Thread consumer = new Thread(() -> {
            started.countDown();
            try {
                got.set(q.poll(60, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        consumer.start();
        started.await();
        RingProbe ring = RingProbe.queue(s, "q");
        ChildJvms.awaitCondition("the consumer is asleep", 60, () -> ring.notEmptyWaiters() > 0);
        q.putAllBytes(utf8("wake", "up"), 0, 2);
        consumer.join(TimeUnit.SECONDS.toMillis(60));
        assertEquals("wake", got.get());
        assertEquals("up", q.poll());
    }

    @Test
    void shouldCarryEveryMessageOfABatchProducerJvmOnceInOrder() throws Exception {
        Segment s = segments.create(16 << 20);
        JoinableQueue<byte[]> q = JoinableQueue.create(s, "q", 4096, Codec.bytes());
        int n = 20_000;
        int big = 10_000;
        JvmProcess producer = children.start(BatchPutChild.class, s.name(), "q", "count", String.valueOf(n), "50",
                String.valueOf(big));
        for (int i = 0; i < n; i++) {
            byte[] m = q.poll(60, TimeUnit.SECONDS);
            assertArrayEquals(BatchPutChild.message(i, big), m, "message " + i);
            q.taskDone();
        }
        assertTrue(producer.join(60, TimeUnit.SECONDS));
        assertEquals(0, producer.exitCode());
        assertNull(q.poll());
        assertTrue(q.join(5, TimeUnit.SECONDS));
        assertEquals(0, q.unfinishedTasks());
        assertEquals(n, RingProbe.queue(s, "q").messagesPut());
    }

    @Test
    void shouldUndoTheCountOfARunWhoseProducerWasKilledBeforePublishingIt() throws Exception {
        Segment s = segments.create(1 << 20);
        JoinableQueue<String> q = JoinableQueue.create(s, "jobs", 4096, Codec.utf8());
        q.put("before");
        JvmProcess producer = children.start(JvmProcess.builder(BatchPutChild.class)
                .args(s.name(), "jobs", "list", "b", "c", "d")
                .systemProperty("interproc.test.stopBetweenCountAndPublish", "true")
                .captureOutput());
        ChildJvms.awaitCondition("the producer stopped between count and publish", 60,
                () -> producer.output().contains(STOPPED) || !producer.isAlive());
        assertTrue(producer.isAlive(), "child exited early: " + producer.output() + producer.errorOutput());
        assertEquals(4, q.unfinishedTasks(), "the run of three counted, not published");
        producer.kill();
        assertTrue(producer.join(30, TimeUnit.SECONDS), "killed child exited");

        assertEquals("before", q.take());
        q.taskDone();
        // A count set back by one per dead run (as before batches) would leave 2 here for ever.
        assertTrue(q.join(30, TimeUnit.SECONDS), "join ends: the dead producer's whole run is uncounted");
        assertEquals(0, q.unfinishedTasks());
        assertNull(q.poll(), "nothing of the run was published");
        q.putAllBytes(utf8("next", "one"), 0, 2);
        assertEquals(2, q.unfinishedTasks());
        assertEquals("next", q.take());
        assertEquals("one", q.take());
    }
}
