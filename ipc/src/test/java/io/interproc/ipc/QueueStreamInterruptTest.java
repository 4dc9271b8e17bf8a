package io.interproc.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.JvmProcess;
import io.interproc.core.Segment;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.children.BigPutChild;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A consumer interrupted in the middle of a streamed message finishes the message and returns it
 * whole, with its interrupt status set (an interrupt is deferred to the end of the message, so
 * that a stream is never half consumed by a live consumer). The producer, a child JVM, is frozen
 * with SIGSTOP so the consumer is held mid-message while it is interrupted.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails, never blocks the build
class QueueStreamInterruptTest {
    private static final int SIZE = 1 << 20;

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    @Test
    void shouldDeferAnInterruptToTheEndOfAStreamedMessage() throws Exception {
        Signals.assumeLinux();
        Segment s = segments.create(1 << 20);
        SharedQueue<byte[]> q = SharedQueue.create(s, "q", 4096, Codec.bytes());
        RingProbe ring = RingProbe.queue(s, "q");
        JvmProcess producer = children.start(BigPutChild.class, s.name(), "q", String.valueOf(SIZE));
        ChildJvms.awaitCondition("the producer mid-stream, waiting for room", 30,
                () -> !q.isEmpty() && ring.notFullWaiters() > 0);
        Signals.stop(producer.pid());
        long published = ring.tail();

        Background<Boolean> consumer = Background.start("consumer", () -> {
            byte[] m = q.take();
            assertEquals(SIZE, m.length);
            for (int i = 0; i < m.length; i++) {
                if (m[i] != (byte) i) {
                    throw new AssertionError("byte " + i + " is " + m[i]);
                }
            }
            return Thread.currentThread().isInterrupted();
        });
        ChildJvms.awaitCondition("the consumer read what was published and waits for the rest", 30,
                () -> ring.head() == published && ring.notEmptyWaiters() > 0);
        consumer.thread().interrupt();
        // The wait loop consumes the interrupt (clears the status) and the reader waits again.
        ChildJvms.awaitCondition("the consumer took the interrupt and went back to waiting", 30,
                () -> !consumer.thread().isInterrupted() && ring.notEmptyWaiters() > 0);
        assertFalse(consumer.isDone(), "still in the middle of the message");
        assertEquals(0, ring.messagesTaken());

        Signals.resume(producer.pid());
        assertTrue(consumer.get(30), "the whole message, and the interrupt status set again");
        ChildJvms.awaitSuccess(producer, 30);
        assertEquals(0, q.partialsDiscarded());
        assertEquals(0, q.messagesLost());
        assertTrue(q.isEmpty());
    }
}
