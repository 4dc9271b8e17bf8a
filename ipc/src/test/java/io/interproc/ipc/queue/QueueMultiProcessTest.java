package io.interproc.ipc.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.SharedIntArray;
import io.interproc.core.SharedLong;
import io.interproc.core.SharedLongArray;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.children.QueueConsumerChild;
import io.interproc.ipc.children.QueueProducerChild;
import io.interproc.ipc.children.Traffic;
import io.interproc.process.JvmProcess;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three producer JVMs and two consumer JVMs move a million messages through one SharedQueue:
 * every message arrives exactly once, intact, and in order per producer.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails, never blocks the build
class QueueMultiProcessTest {
    private static final int PRODUCERS = 3;
    private static final int CONSUMERS = 2;
    private static final int TOTAL = 1_000_000;

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    @Test
    void shouldDeliverAMillionMessagesFromThreeProducerJvmsToTwoConsumerJvmsExactlyOnceIntactAndInOrder()
            throws Exception {
        Segment s = segments.create(32 << 20);
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", 1 << 20, Codec.bytes());
        SharedIntArray seen = SharedIntArray.create(s, "seen", TOTAL);
        SharedLong orderViolations = SharedLong.create(s, "order-violations");
        SharedLong corrupt = SharedLong.create(s, "corrupt");
        SharedLongArray consumed = SharedLongArray.create(s, "consumed", CONSUMERS);

        List<JvmProcess> consumers = new ArrayList<>();
        for (int c = 0; c < CONSUMERS; c++) {
            consumers.add(children.start(QueueConsumerChild.class, s.name(), "q", String.valueOf(c),
                    String.valueOf(PRODUCERS), String.valueOf(TOTAL)));
        }
        List<JvmProcess> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            producers.add(children.start(QueueProducerChild.class, s.name(), "q", String.valueOf(p),
                    String.valueOf(PRODUCERS), String.valueOf(TOTAL)));
        }
        for (JvmProcess p : producers) {
            ChildJvms.awaitSuccess(p, 120);
        }
        for (int c = 0; c < CONSUMERS; c++) {
            q.putBytes(Traffic.stop());
        }
        for (JvmProcess c : consumers) {
            ChildJvms.awaitSuccess(c, 120);
        }

        assertEquals(0, corrupt.get(), "messages that arrived damaged");
        assertEquals(0, orderViolations.get(), "messages that arrived out of their producer's order");
        int[] marks = seen.toArray();
        int missing = 0;
        int duplicated = 0;
        for (int i = 0; i < TOTAL; i++) {
            if (marks[i] == 0) {
                missing++;
            } else if (marks[i] != 1) {
                duplicated++;
            }
        }
        assertEquals(0, missing, "messages never seen");
        assertEquals(0, duplicated, "messages seen more than once");
        assertEquals(TOTAL, consumed.get(0) + consumed.get(1));
        System.out.println("consumers took " + consumed.get(0) + " and " + consumed.get(1) + " messages");
        assertTrue(q.isEmpty());
        assertEquals(0, q.size());
        assertEquals(0, q.messagesLost());
        assertEquals(0, q.partialsDiscarded());
        assertEquals(0, q.producerRecoveries());
        assertEquals(0, q.consumerRecoveries());
    }
}
