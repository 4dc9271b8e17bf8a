package io.interproc.ipc.pipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.interproc.ipc.children.PipeBigSendChild;
import io.interproc.process.JvmProcess;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code recv(timeout)} and interrupts in the middle of a streamed message, the sender (a child
 * JVM) frozen with SIGSTOP: the receiver returns while the sender is still frozen and gives that
 * message up (ipc/README.md); once the sender goes on, the rest is skipped and the next message
 * arrives whole.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails, never blocks the build
class PipeStreamTimeoutTest {
    private static final int SIZE = 1 << 20;

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    private void run(boolean interrupt) throws Exception {
        Signals.assumeLinux();
        Segment s = segments.create(1 << 20);
        Pipe pipe = Pipe.create(s, "p", 4096, false);
        RingProbe toA = RingProbe.pipe(s, "p", Pipe.End.A);
        try (Connection<byte[]> a = pipe.connect(Pipe.End.A, Codec.bytes())) {
            JvmProcess sender = children.start(PipeBigSendChild.class, s.name(), "p", String.valueOf(SIZE), "after");
            ChildJvms.awaitCondition("the sender mid-stream, waiting for room", 30,
                    () -> toA.tail() > 0 && toA.notFullWaiters() > 0);
            Signals.stop(sender.pid());
            boolean stopped = true;
            try {
                long published = toA.tail();
                Background<byte[]> receiver = Background.start("receiver",
                        () -> interrupt ? a.recv() : a.recv(500, TimeUnit.MILLISECONDS));
                if (interrupt) {
                    ChildJvms.awaitCondition("the receiver read what was published and waits for the rest", 30,
                            () -> toA.head() == published && toA.notEmptyWaiters() > 0);
                    receiver.thread().interrupt();
                    assertInstanceOf(InterruptedException.class, receiver.failure(30));
                } else {
                    assertNull(receiver.get(30), "timed out mid-stream while the sender is frozen");
                    assertEquals(published, toA.head());
                }
                assertTrue(sender.isAlive());
                Signals.resume(sender.pid());
                stopped = false;
                assertArrayEquals("after".getBytes(StandardCharsets.UTF_8), a.recv(30, TimeUnit.SECONDS),
                        "the next message, whole");
                ChildJvms.awaitSuccess(sender, 30);
                assertEquals(1, toA.messagesTaken(), "only the small message was taken");
                assertEquals(1, toA.messagesLost(), "the given-up message, counted");
                assertEquals(0, toA.partialsDiscarded());
            } finally {
                if (stopped) {
                    Signals.resume(sender.pid());
                }
            }
        }
    }

    @Test
    void shouldReturnNullWhenRecvTimesOutInTheMiddleOfAStreamedMessage() throws Exception {
        run(false);
    }

    @Test
    void shouldThrowInterruptedExceptionWhenRecvIsInterruptedInTheMiddleOfAStreamedMessage() throws Exception {
        run(true);
    }
}
