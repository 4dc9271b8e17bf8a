package io.interproc.ipc.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.Background;
import io.interproc.ipc.RingProbe;
import io.interproc.ipc.Signals;
import io.interproc.ipc.children.BigPutChild;
import io.interproc.ipc.ring.ByteRing;
import io.interproc.process.JvmProcess;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A consumer in the middle of a streamed message honours its timeout and interrupts: the
 * producer, a child JVM, is frozen with SIGSTOP in the middle of a multi-fragment message, and the
 * consumer returns (null, or {@link InterruptedException}) while it is still frozen, with the
 * consumer lock released. As ipc/README.md says, the consumer gives that message up: once the
 * producer goes on, the rest is skipped and counted in {@code messagesLost()}, and the next
 * message is delivered whole. Nothing else is lost.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails, never blocks the build
class QueueStreamInterruptTest {
    private static final int SIZE = 1 << 20;

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    /** A producer streaming SIZE bytes then "after", frozen while the consumer is mid-message. */
    private final class Frozen implements AutoCloseable {
        final SharedQueue<byte[]> q;
        final RingProbe ring;
        final JvmProcess producer;
        final long published;
        private boolean stopped;

        Frozen() throws InterruptedException {
            Segment s = segments.create(1 << 20);
            q = SharedQueue.create(s, "q", 4096, Codec.bytes());
            ring = RingProbe.queue(s, "q");
            producer = children.start(BigPutChild.class, s.name(), "q", String.valueOf(SIZE), "after");
            ChildJvms.awaitCondition("the producer mid-stream, waiting for room", 30,
                    () -> !q.isEmpty() && ring.notFullWaiters() > 0);
            Signals.stop(producer.pid());
            stopped = true;
            published = ring.tail();
        }

        void awaitConsumerMidMessage() throws InterruptedException {
            ChildJvms.awaitCondition("the consumer read what was published and waits for the rest", 30,
                    () -> ring.head() == published && ring.notEmptyWaiters() > 0);
            assertEquals(0, ring.messagesTaken());
        }

        /** Lets the producer go on and checks that exactly the next message comes, the big one lost. */
        void resumeAndCheckTheRest() throws Exception {
            assertTrue(producer.isAlive(), "still frozen when the consumer returned");
            assertEquals(-1, q.core.consumerLockHolderPid(), "the consumer lock was released");
            Signals.resume(producer.pid());
            stopped = false;
            assertArrayEquals("after".getBytes(StandardCharsets.UTF_8), q.poll(30, TimeUnit.SECONDS),
                    "the next message, whole; the rest of the given-up one skipped");
            ChildJvms.awaitSuccess(producer, 30);
            assertEquals(1, q.messagesLost(), "the given-up message, counted");
            assertEquals(0, q.partialsDiscarded());
            assertNull(q.poll());
            assertEquals(0, q.size());
        }

        @Override
        public void close() throws InterruptedException {
            if (stopped) {
                Signals.resume(producer.pid());
            }
        }
    }

    @Test
    void shouldThrowInterruptedExceptionWhenInterruptedInTheMiddleOfAStreamedMessage() throws Exception {
        Signals.assumeLinux();
        try (Frozen f = new Frozen()) {
            Background<byte[]> consumer = Background.start("consumer", f.q::take);
            f.awaitConsumerMidMessage();
            consumer.thread().interrupt();
            Throwable thrown = consumer.failure(30);
            assertInstanceOf(InterruptedException.class, thrown);
            assertFalse(consumer.thread().isInterrupted(), "the status is cleared, as by any InterruptedException");
            f.resumeAndCheckTheRest();
        }
    }

    @Test
    void shouldReturnNullWhenAPollTimesOutInTheMiddleOfAStreamedMessage() throws Exception {
        Signals.assumeLinux();
        try (Frozen f = new Frozen()) {
            Background<Object[]> consumer = Background.start("consumer", () -> {
                byte[] m = f.q.poll(500, TimeUnit.MILLISECONDS);
                return new Object[] {m, Thread.currentThread().isInterrupted()};
            });
            Object[] result = consumer.get(30); // before the fix: never, while the producer is frozen
            assertNull(result[0], "timed out, nothing partial returned");
            assertEquals(false, result[1], "no interrupt status made up");
            assertEquals(f.published, f.ring.head(), "it had read what was published");
            f.resumeAndCheckTheRest();
        }
    }

    @Test
    void shouldReturnMinusOneWhenAPollBytesTimesOutInTheMiddleOfAStreamedMessage() throws Exception {
        Signals.assumeLinux();
        try (Frozen f = new Frozen()) {
            ByteBuffer dst = ByteBuffer.allocate(SIZE + 3);
            dst.position(3);
            Background<Integer> consumer = Background.start("consumer",
                    () -> f.q.pollBytes(dst, 500, TimeUnit.MILLISECONDS));
            assertEquals(-1, consumer.get(30), "timed out mid-stream while the producer is frozen");
            assertEquals(3, dst.position(), "the destination's position is left where it was");
            f.resumeAndCheckTheRest();
        }
    }

    @Test
    void shouldReadAStartedMessageWholeWithPollWholeBytesHoweverLongItsProducerStalls() throws Exception {
        Signals.assumeLinux();
        try (Frozen f = new Frozen()) {
            ByteBuffer dst = ByteBuffer.allocate(SIZE);
            Background<Integer> consumer = Background.start("collector",
                    () -> f.q.pollWholeBytes(dst, 100, TimeUnit.MILLISECONDS));
            f.awaitConsumerMidMessage();
            // Stalled for well over the time after which a timed poll gives a message up.
            long until = System.nanoTime() + ByteRing.STREAM_GRACE_NANOS + TimeUnit.MILLISECONDS.toNanos(900);
            while (System.nanoTime() < until) {
                assertFalse(consumer.thread().getState() == Thread.State.TERMINATED,
                        "gave the message up while its producer was only stalled");
                Thread.sleep(50);
            }
            Signals.resume(f.producer.pid());
            f.stopped = false;
            assertEquals(SIZE, consumer.get(30), "the whole message once the producer went on");
            assertArrayEquals("after".getBytes(StandardCharsets.UTF_8), f.q.poll(30, TimeUnit.SECONDS));
            assertEquals(0, f.q.messagesLost());
        }
    }
}
