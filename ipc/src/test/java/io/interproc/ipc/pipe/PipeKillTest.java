package io.interproc.ipc.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.PeerDiedException;
import io.interproc.core.Segment;
import io.interproc.core.SharedInt;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.Background;
import io.interproc.ipc.RingProbe;
import io.interproc.ipc.children.PipeHoldChild;
import io.interproc.process.JvmProcess;

import java.io.EOFException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The JVM holding one end of a pipe is killed with SIGKILL: the other end reads what was sent,
 * then gets EOFException; its sends get PeerDiedException; the dead end can be claimed again.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails, never blocks the build
class PipeKillTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    private static void killAndReap(JvmProcess p) throws InterruptedException {
        p.kill();
        assertTrue(p.join(30, TimeUnit.SECONDS), "killed child exited");
    }

    @Test
    void shouldDrainThenEndWithEofWhenThePeerProcessIsKilled() throws Exception {
        Segment s = segments.create(1 << 20);
        Pipe pipe = Pipe.create(s, "p", 4096, true);
        SharedInt ready = SharedInt.create(s, "ready");
        Connection<String> a = pipe.connect(Pipe.End.A, Codec.utf8());
        JvmProcess child = children.start(PipeHoldChild.class, s.name(), "p", "3");
        ChildJvms.awaitCondition("the child sent its messages", 30, () -> ready.get() == 1);
        long pid = child.pid();
        killAndReap(child);

        assertEquals("m0", a.recv(5, TimeUnit.SECONDS), "what the dead peer sent is still delivered");
        assertEquals("m1", a.recv());
        assertEquals("m2", a.recv());
        EOFException eof = assertThrows(EOFException.class, () -> a.recv(5, TimeUnit.SECONDS));
        assertEquals("end A of pipe 'p': nothing left to read and the peer end B died (pid=" + pid + ")",
                eof.getMessage());
        PeerDiedException died = assertThrows(PeerDiedException.class, () -> a.send("hello?"));
        assertEquals("end A of pipe 'p': the process holding the peer end B (pid=" + pid + ") died", died.getMessage());

        // The dead process's end is free to be claimed again, by a restarted worker or here.
        Segment again = segments.track(Segment.open(s.name()));
        try (Connection<String> b = Pipe.open(again, "p").connect(Pipe.End.B, Codec.utf8())) {
            b.send("new holder");
            assertEquals("new holder", a.recv(5, TimeUnit.SECONDS));
            a.send("welcome");
            assertEquals("welcome", b.recv(5, TimeUnit.SECONDS));
        }
        a.close();
    }

    @Test
    void shouldNeverDeliverThePartOfAMessageWhoseSenderWasKilledMidStream() throws Exception {
        Segment s = segments.create(1 << 20);
        Pipe pipe = Pipe.create(s, "p", 4096, true);
        SharedInt ready = SharedInt.create(s, "ready");
        RingProbe toA = RingProbe.pipe(s, "p", Pipe.End.A);
        Connection<String> a = pipe.connect(Pipe.End.A, Codec.utf8());
        JvmProcess child = children.start(PipeHoldChild.class, s.name(), "p", "1", String.valueOf(1 << 20));
        ChildJvms.awaitCondition("the child streaming a 1 MiB message, waiting for room", 30,
                () -> ready.get() == 1 && toA.notFullWaiters() > 0);
        assertEquals(1, toA.messagesPut(), "only the small message is complete");
        long pid = child.pid();
        killAndReap(child);

        assertEquals("m0", a.recv(5, TimeUnit.SECONDS));
        // The started stream is dropped: the next thing recv sees is the end of the pipe.
        EOFException eof = assertThrows(EOFException.class, () -> a.recv(5, TimeUnit.SECONDS));
        assertEquals("end A of pipe 'p': nothing left to read and the peer end B died (pid=" + pid + ")",
                eof.getMessage());
        a.close();
    }

    @Test
    void shouldWakeABlockedReceiverAndABlockedSenderWhenThePeerProcessIsKilled() throws Exception {
        Segment s = segments.create(1 << 20);
        Pipe pipe = Pipe.create(s, "p", 256, true);
        SharedInt ready = SharedInt.create(s, "ready");
        RingProbe toA = RingProbe.pipe(s, "p", Pipe.End.A);
        RingProbe toB = RingProbe.pipe(s, "p", Pipe.End.B);
        Connection<byte[]> a = pipe.connect(Pipe.End.A, Codec.bytes());
        JvmProcess child = children.start(PipeHoldChild.class, s.name(), "p", "0");
        ChildJvms.awaitCondition("the child holds end B", 30, () -> ready.get() == 1);
        long pid = child.pid();

        Background<byte[]> receiver = Background.start("receiver", a::recv);
        a.send(new byte[248]); // the child reads nothing: this fills the ring toward it
        Background<Void> sender = Background.start("sender", () -> {
            a.send(new byte[] {1});
            return null;
        });
        ChildJvms.awaitCondition("receiver and sender asleep", 10,
                () -> toA.notEmptyWaiters() > 0 && toB.notFullWaiters() > 0);
        killAndReap(child);

        // Nothing wakes them: each notices the death after at most one wait slice.
        Throwable eof = receiver.failure(5);
        assertInstanceOf(EOFException.class, eof);
        assertEquals("end A of pipe 'p': nothing left to read and the peer end B died (pid=" + pid + ")",
                eof.getMessage());
        Throwable died = sender.failure(5);
        assertInstanceOf(PeerDiedException.class, died);
        assertEquals("end A of pipe 'p': the process holding the peer end B (pid=" + pid + ") died", died.getMessage());
        a.close();
    }
}
