package io.interproc.ipc.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.Background;
import io.interproc.ipc.children.DrainHaltChild;
import io.interproc.process.JvmProcess;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The batch take: {@code drainTo} and {@code drainBytes}. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class QueueDrainTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    private static List<String> bytesOf(SharedQueue<byte[]> q, int max) {
        List<String> out = new ArrayList<>();
        q.drainBytes(m -> {
            byte[] a = new byte[m.remaining()];
            m.get(a);
            out.add(new String(a, StandardCharsets.UTF_8));
        }, max);
        return out;
    }

    @Test
    void shouldDrainInOrderUpToMaxAndLeaveTheRest() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedQueue<String> q = SharedQueue.create(s, "q", 4096, Codec.utf8());
        for (int i = 0; i < 10; i++) {
            q.put("m" + i);
        }
        List<String> got = new ArrayList<>();
        assertEquals(4, q.drainTo(got, 4));
        assertEquals(List.of("m0", "m1", "m2", "m3"), got);
        assertEquals(6, q.size());
        assertEquals(6, q.drainTo(got, 100));
        assertEquals(10, got.size());
        assertEquals("m9", got.get(9));
        assertEquals(0, q.drainTo(got, 100), "empty: returns at once with nothing");
        assertEquals(0, q.drainTo(got, 0));
        assertTrue(q.isEmpty());
        assertEquals(0, q.size());
        q.put("after");
        assertEquals("after", q.poll());
    }

    @Test
    void shouldDrainAcrossTheEndOfTheRingAndFreeRoomForAWaitingProducer() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", 256, Codec.bytes());
        int next = 0;
        int expected = 0;
        for (int round = 0; round < 50; round++) {
            while (q.offer(("x" + next).getBytes(StandardCharsets.UTF_8))) {
                next++;
            }
            for (String m : bytesOf(q, 3 + round % 5)) {
                assertEquals("x" + expected++, m, "in order, whole, across the wrap");
            }
        }
        Background<Void> producer = Background.start("producer", () -> {
            for (int i = 0; i < 200; i++) {
                q.put(new byte[40]); // waits for room the drains free
            }
            return null;
        });
        int[] taken = {0};
        int left = 200 + next - expected;
        while (taken[0] < left) {
            q.drainBytes(m -> taken[0]++, 64, 10, TimeUnit.SECONDS);
        }
        producer.get(30);
        assertTrue(q.isEmpty());
    }

    @Test
    void shouldHandAStreamedMessageOverWholeAsTheFirstOfACall() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", 256, Codec.bytes());
        byte[] big = new byte[5000];
        Arrays.fill(big, (byte) 7);
        q.put("a".getBytes(StandardCharsets.UTF_8));
        Background<Void> producer = Background.start("producer", () -> {
            q.put(big); // streamed: larger than the ring
            q.put("b".getBytes(StandardCharsets.UTF_8));
            return null;
        });
        List<byte[]> got = new ArrayList<>();
        while (got.size() < 3) {
            q.drainBytes(m -> {
                byte[] a = new byte[m.remaining()];
                m.get(a);
                got.add(a);
            }, 10, 10, TimeUnit.SECONDS);
        }
        producer.get(30);
        assertArrayEquals("a".getBytes(StandardCharsets.UTF_8), got.get(0));
        assertArrayEquals(big, got.get(1));
        assertArrayEquals("b".getBytes(StandardCharsets.UTF_8), got.get(2));
        assertEquals(0, q.messagesLost());
        assertEquals(0, q.partialsDiscarded());
    }

    @Test
    void shouldRemoveTheMessageAHandlerThrowsOnAndKeepTheRest() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedQueue<String> q = SharedQueue.create(s, "q", 4096, Codec.utf8());
        for (int i = 0; i < 5; i++) {
            q.put("m" + i);
        }
        int[] calls = {0};
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> q.drainBytes(m -> {
            if (++calls[0] == 2) {
                throw new IllegalStateException("handler failed");
            }
        }, 10));
        assertEquals("handler failed", e.getMessage());
        assertEquals(3, q.size(), "the two messages handed over are removed");
        assertEquals("m2", q.poll());
        List<String> rest = new ArrayList<>();
        assertEquals(2, q.drainTo(rest, 10));
        assertEquals(List.of("m3", "m4"), rest);
    }

    @Test
    void shouldTimeOutWaitingForTheFirstMessageAndRefuseAClosedSegment() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", 4096, Codec.bytes());
        assertEquals(0, q.drainBytes(m -> { }, 10, 50, TimeUnit.MILLISECONDS));
        assertThrows(NullPointerException.class, () -> q.drainBytes(null, 10));
        s.close();
        assertThrows(IllegalStateException.class, () -> q.drainBytes(m -> { }, 10));
        assertThrows(IllegalStateException.class, () -> q.drainTo(new ArrayList<>(), 10));
    }

    @Test
    void shouldLeaveTheWholeBatchToTheNextConsumerWhenItsConsumerDiesMidBatch() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", 4096, Codec.bytes());
        for (int i = 0; i < 5; i++) {
            q.put(new byte[] {(byte) i});
        }
        JvmProcess child = children.start(DrainHaltChild.class, s.name(), "q");
        assertTrue(child.join(60, TimeUnit.SECONDS), "the child halted in its handler");
        assertEquals(3, child.exitCode(), "it died at the second message, mid-batch");
        List<byte[]> got = new ArrayList<>();
        // Takes the dead consumer's lock over, then finds every message of its batch.
        while (got.size() < 5) {
            byte[] m = q.poll(10, TimeUnit.SECONDS);
            assertTrue(m != null, "message " + got.size() + " is still there");
            got.add(m);
        }
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(new byte[] {(byte) i}, got.get(i));
        }
        assertNull(q.poll());
        assertEquals(1, q.consumerRecoveries());
    }
}
