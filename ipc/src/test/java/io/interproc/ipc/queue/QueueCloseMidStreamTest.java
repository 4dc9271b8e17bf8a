package io.interproc.ipc.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.Background;
import io.interproc.ipc.RingProbe;
import io.interproc.ipc.children.QueueTrafficChild;
import io.interproc.process.JvmProcess;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code Segment.close()} while a thread of the same process streams a message many times the
 * ring's size, with a second JVM producing and consuming on the same queue all along. Before, the
 * close freed the process slot at once: the other JVM took the producer lock over while the
 * closed attachment's thread kept writing fragments, and the queue was corrupted. Now the
 * streaming thread stops at a fragment boundary with an abort marker, releases the producer lock
 * and only then lets the slot go: every small message arrives exactly once, the big one not at
 * all, and {@code put} says so by throwing.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails, never blocks the build
class QueueCloseMidStreamTest {
    private static final int RING = 4096;
    private static final int BIG = 16 << 20; // 4096 rings' worth
    private static final int SMALLS = 20_000;

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    @Test
    void shouldAbortAStreamWhoseSegmentIsClosedWhileAnotherJvmKeepsProducingAndConsuming() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", RING, Codec.bytes());
        RingProbe ring = RingProbe.queue(s, "q");
        Segment mine = segments.track(Segment.open(s.name()));
        SharedQueue<byte[]> closing = SharedQueue.open(mine, "q", Codec.bytes());
        JvmProcess child = children.start(QueueTrafficChild.class, s.name(), "q", String.valueOf(SMALLS),
                String.valueOf(BIG));
        ChildJvms.awaitCondition("the other JVM producing and consuming", 60, () -> ring.messagesTaken() > 100);

        byte[] big = new byte[BIG];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        Background<Void> streamer = Background.start("streamer", () -> {
            closing.putBytes(ByteBuffer.wrap(big));
            return null;
        });
        long before = ring.tail();
        ChildJvms.awaitCondition("the stream well under way, the other JVM consuming it", 60,
                () -> ring.streamOwner() == mine.ownerId() && ring.tail() - before > 16 * RING);
        mine.close();
        // close() returned: the streamer has stopped writing and released the producer lock.
        Throwable thrown = streamer.failure(10);
        assertInstanceOf(IllegalStateException.class, thrown);
        assertEquals("segment '" + s.name() + "' is closed", thrown.getMessage(), "put says: not delivered");
        assertTrue(ring.streamOwner() != mine.ownerId(), "the stream was ended");

        q.put("END".getBytes(StandardCharsets.UTF_8));
        ChildJvms.awaitSuccess(child, 120);
        assertEquals("smalls=" + SMALLS + " duplicates=0 big=0 bad=0", child.output().strip(),
                "every small message exactly once, the aborted big one not at all");
        assertEquals(1, q.partialsDiscarded(), "the aborted stream, dropped by the consumer");
        assertEquals(0, q.messagesLost());
        assertEquals(0, q.producerRecoveries(), "nothing was taken over from the closed attachment");
        assertEquals(0, q.consumerRecoveries());
        assertEquals(0, q.size());
        assertTrue(q.isEmpty());
    }
}
