package io.interproc.ipc.pipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.BufferTooSmallException;
import io.interproc.core.Codec;
import io.interproc.core.KindMismatchException;
import io.interproc.core.NoSuchObjectException;
import io.interproc.core.ObjectExistsException;
import io.interproc.core.PeerDiedException;
import io.interproc.core.Segment;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.Background;
import io.interproc.ipc.RingProbe;
import io.interproc.ipc.queue.SharedQueue;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pipe and Connection in one JVM: two {@code Segment.open} attachments of one segment stand for
 * the two processes, threads for concurrent callers.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails, never blocks the build
class PipeTest {
    private static final long PID = ProcessHandle.current().pid();

    @RegisterExtension
    final TempSegments segments = new TempSegments();

    private Segment first;
    private Segment second;

    /** Creates the segment and a second attachment of it. */
    private void attach() {
        first = segments.create(16 << 20);
        second = segments.track(Segment.open(first.name()));
    }

    private Segment attachAgain() {
        return segments.track(Segment.open(first.name()));
    }

    // ---------------------------------------------------------------- messages

    @Test
    void shouldSendAndReceiveBothWaysOnADuplexPipe() throws Exception {
        attach();
        Pipe pipe = Pipe.create(first, "p", 4096, true);
        assertTrue(pipe.isDuplex());
        assertEquals(4096, pipe.capacity());
        assertEquals("p", pipe.name());
        Pipe other = Pipe.open(second, "p");
        assertTrue(other.isDuplex());
        try (Connection<String> a = pipe.connect(Pipe.End.A, Codec.utf8());
                Connection<String> b = other.connect(Pipe.End.B, Codec.utf8())) {
            assertEquals(Pipe.End.A, a.end());
            assertEquals(Pipe.End.B, b.end());
            assertEquals(pipe, a.pipe());
            for (int i = 0; i < 10; i++) {
                a.send("a" + i);
                b.send("b" + i);
            }
            for (int i = 0; i < 10; i++) {
                assertEquals("a" + i, b.recv());
                assertEquals("b" + i, a.recv());
            }
            assertNull(a.recv(0, TimeUnit.SECONDS));
            assertNull(b.recv(0, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldStreamBothWaysBetweenThreadsConcurrentlyAndInOrder() throws Exception {
        attach();
        Pipe.create(first, "p", 256, true);
        int n = 20_000;
        try (Connection<Long> a = Pipe.open(first, "p").connect(Pipe.End.A, Codec.longs());
                Connection<Long> b = Pipe.open(second, "p").connect(Pipe.End.B, Codec.longs())) {
            Background<Void> aSends = Background.start("a-sends", () -> {
                for (long i = 0; i < n; i++) {
                    a.send(i);
                }
                return null;
            });
            Background<Void> bSends = Background.start("b-sends", () -> {
                for (long i = 0; i < n; i++) {
                    b.send(-i);
                }
                return null;
            });
            Background<Void> aReceives = Background.start("a-receives", () -> {
                for (long i = 0; i < n; i++) {
                    assertEquals(-i, a.recv());
                }
                return null;
            });
            for (long i = 0; i < n; i++) {
                assertEquals(i, b.recv());
            }
            aSends.get(60);
            bSends.get(60);
            aReceives.get(60);
        }
    }

    @Test
    void shouldSerialiseConcurrentSendersOnOneHandle() throws Exception {
        attach();
        Pipe.create(first, "p", 256, true);
        int perThread = 10_000;
        try (Connection<Long> a = Pipe.open(first, "p").connect(Pipe.End.A, Codec.longs());
                Connection<Long> b = Pipe.open(second, "p").connect(Pipe.End.B, Codec.longs())) {
            List<Background<Void>> senders = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                long tag = (long) t << 32;
                senders.add(Background.start("sender-" + t, () -> {
                    for (long i = 0; i < perThread; i++) {
                        a.send(tag | i);
                    }
                    return null;
                }));
            }
            long[] next = new long[2];
            for (int i = 0; i < 2 * perThread; i++) {
                long v = b.recv();
                int t = (int) (v >>> 32);
                assertEquals(next[t]++, v & 0xFFFFFFFFL, "order of sender " + t);
            }
            for (Background<Void> s : senders) {
                s.get(60);
            }
            assertEquals(perThread, next[0]);
            assertEquals(perThread, next[1]);
            assertNull(b.recv(0, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldOnlySendFromBToAOnAOneWayPipe() throws Exception {
        attach();
        Pipe pipe = Pipe.create(first, "w", 4096, false);
        assertFalse(pipe.isDuplex());
        try (Connection<String> reader = pipe.connect(Pipe.End.A, Codec.utf8());
                Connection<String> writer = Pipe.open(second, "w").connect(Pipe.End.B, Codec.utf8())) {
            writer.send("one way");
            assertEquals("one way", reader.recv());

            String cannotSend = "end A of pipe 'w' can only receive: the pipe is one-way (B sends to A)";
            assertEquals(cannotSend, assertThrows(IllegalStateException.class, () -> reader.send("x")).getMessage());
            assertEquals(cannotSend, assertThrows(IllegalStateException.class,
                    () -> reader.sendBytes(new byte[1])).getMessage());
            assertEquals(cannotSend, assertThrows(IllegalStateException.class,
                    () -> reader.sendBytes(ByteBuffer.allocate(1), 1, TimeUnit.SECONDS)).getMessage());

            String cannotReceive = "end B of pipe 'w' can only send: the pipe is one-way (B sends to A)";
            assertEquals(cannotReceive, assertThrows(IllegalStateException.class, writer::recv).getMessage());
            assertEquals(cannotReceive, assertThrows(IllegalStateException.class, writer::recvBytes).getMessage());
            assertEquals(cannotReceive, assertThrows(IllegalStateException.class,
                    () -> writer.recvBytesInto(ByteBuffer.allocate(8))).getMessage());
            assertEquals(cannotReceive, assertThrows(IllegalStateException.class, writer::poll).getMessage());
            assertEquals(cannotReceive, assertThrows(IllegalStateException.class,
                    () -> writer.recv(1, TimeUnit.SECONDS)).getMessage());

            writer.send("still works");
            assertEquals("still works", reader.recv());
        }
    }

    @Test
    void shouldMoveRawBytes() throws Exception {
        attach();
        Pipe.create(first, "p", 4096, true);
        try (Connection<byte[]> a = Pipe.open(first, "p").connect(Pipe.End.A, Codec.bytes());
                Connection<byte[]> b = Pipe.open(second, "p").connect(Pipe.End.B, Codec.bytes())) {
            a.sendBytes(new byte[] {1, 2, 3});
            a.sendBytes(new byte[] {0, 1, 2, 3, 4, 5, 6}, 2, 3);
            ByteBuffer direct = ByteBuffer.allocateDirect(16).putLong(7).putLong(8).flip();
            a.sendBytes(direct);
            assertEquals(16, direct.position(), "the buffer is consumed");
            ByteBuffer timed = ByteBuffer.wrap(new byte[] {9});
            assertTrue(a.sendBytes(timed, 1, TimeUnit.SECONDS));
            assertEquals(1, timed.position());
            a.sendBytes(new byte[0]);
            a.send(new byte[] {42});

            assertArrayEquals(new byte[] {1, 2, 3}, b.recvBytes());
            ByteBuffer dst = ByteBuffer.allocate(64);
            dst.position(4);
            assertEquals(3, b.recvBytesInto(dst));
            assertEquals(7, dst.position(), "position advanced by the size");
            assertEquals(2, dst.get(4));
            assertEquals(4, dst.get(6));
            ByteBuffer longs = ByteBuffer.allocateDirect(16);
            assertEquals(16, b.recvBytesInto(longs, 1, TimeUnit.SECONDS));
            longs.flip();
            assertEquals(7, longs.getLong());
            assertEquals(8, longs.getLong());
            assertArrayEquals(new byte[] {9}, b.recv());
            assertArrayEquals(new byte[0], b.recvBytes(), "an empty message is a message");
            assertArrayEquals(new byte[] {42}, b.recvBytes());
            assertEquals(-1, b.recvBytesInto(dst, 0, TimeUnit.SECONDS));

            assertThrows(IndexOutOfBoundsException.class, () -> a.sendBytes(new byte[4], 3, 2));
            assertThrows(NullPointerException.class, () -> a.send(null));
            assertFalse(b.poll(), "the refused sends sent nothing");
        }
    }

    @Test
    void shouldRefuseATooSmallBufferAndLeaveTheMessageToBeRead() throws Exception {
        attach();
        Pipe.create(first, "p", 4096, true);
        try (Connection<byte[]> a = Pipe.open(first, "p").connect(Pipe.End.A, Codec.bytes());
                Connection<byte[]> b = Pipe.open(second, "p").connect(Pipe.End.B, Codec.bytes())) {
            b.sendBytes(ByteBuffer.allocate(16).putLong(1).putLong(2).flip());
            ByteBuffer small = ByteBuffer.allocate(8);
            BufferTooSmallException e = assertThrows(BufferTooSmallException.class, () -> a.recvBytesInto(small));
            assertEquals("buffer too small for the next message: needed=16 bytes, remaining=8 (the message was left"
                    + " in place)", e.getMessage());
            assertEquals(16, e.needed());
            assertEquals(8, e.remaining());
            assertEquals(0, small.position(), "nothing written into the small buffer");
            assertThrows(BufferTooSmallException.class, () -> a.recvBytesInto(small, 1, TimeUnit.SECONDS));
            assertTrue(a.poll(), "still there");
            ByteBuffer dst = ByteBuffer.allocate(16);
            assertEquals(16, a.recvBytesInto(dst));
            assertEquals(2, dst.flip().getLong(8));

            // A streamed message states its whole size, and is left whole too.
            byte[] big = new byte[100_000];
            new Random(3).nextBytes(big);
            Background<Void> sender = Background.start("big-sender", () -> {
                b.sendBytes(big);
                return null;
            });
            BufferTooSmallException streamed = assertThrows(BufferTooSmallException.class,
                    () -> a.recvBytesInto(ByteBuffer.allocate(4096)));
            assertEquals(100_000, streamed.needed());
            ByteBuffer whole = ByteBuffer.allocate(100_000);
            assertEquals(100_000, a.recvBytesInto(whole));
            assertArrayEquals(big, whole.array());
            sender.get(30);
        }
    }

    @Test
    void shouldPollWithATimeout() throws Exception {
        attach();
        Pipe.create(first, "p", 4096, true);
        try (Connection<String> a = Pipe.open(first, "p").connect(Pipe.End.A, Codec.utf8());
                Connection<String> b = Pipe.open(second, "p").connect(Pipe.End.B, Codec.utf8())) {
            assertFalse(a.poll());
            assertFalse(a.poll(50, TimeUnit.MILLISECONDS));
            assertFalse(a.poll(Duration.ZERO));
            assertFalse(a.poll(Duration.ofMillis(-5)));
            Background<Boolean> poller = Background.start("poller", () -> a.poll(Duration.ofSeconds(30)));
            b.send("x");
            assertTrue(poller.get(30));
            assertTrue(a.poll(), "poll does not consume");
            assertTrue(a.poll(1, TimeUnit.SECONDS));
            assertEquals("x", a.recv());
            assertFalse(a.poll());

            b.close();
            assertTrue(a.poll(), "recv would not wait: it throws EOFException");
            assertThrows(EOFException.class, a::recv);
        }
    }

    @Test
    void shouldStreamAMessageLargerThanTheRingWhole() throws Exception {
        attach();
        Pipe.create(first, "p", 4096, true);
        byte[] big = new byte[1 << 20];
        new Random(7).nextBytes(big);
        try (Connection<byte[]> a = Pipe.open(first, "p").connect(Pipe.End.A, Codec.bytes());
                Connection<byte[]> b = Pipe.open(second, "p").connect(Pipe.End.B, Codec.bytes())) {
            Background<Void> sender = Background.start("sender", () -> {
                b.send(big);
                b.sendBytes(ByteBuffer.wrap(big));
                b.send(new byte[] {1, 2, 3});
                return null;
            });
            assertArrayEquals(big, a.recv());
            ByteBuffer into = ByteBuffer.allocateDirect(1 << 20);
            assertEquals(1 << 20, a.recvBytesInto(into));
            byte[] copy = new byte[1 << 20];
            into.flip().get(copy);
            assertArrayEquals(big, copy);
            assertArrayEquals(new byte[] {1, 2, 3}, a.recvBytes());
            sender.get(30);

            // The other direction too.
            Background<byte[]> receiver = Background.start("receiver", b::recvBytes);
            a.sendBytes(big);
            assertArrayEquals(big, receiver.get(30));
        }
    }

    // ---------------------------------------------------------------- claiming ends

    @Test
    void shouldRefuseAnEndHeldByALiveAttachment() throws Exception {
        attach();
        Pipe pipe = Pipe.create(first, "p", 4096, true);
        try (Connection<String> a = pipe.connect(Pipe.End.A, Codec.utf8())) {
            IllegalStateException again = assertThrows(IllegalStateException.class,
                    () -> pipe.connect(Pipe.End.A, Codec.utf8()));
            assertEquals("end A of pipe 'p' is already connected by this attachment", again.getMessage());
            IllegalStateException held = assertThrows(IllegalStateException.class,
                    () -> Pipe.open(second, "p").connect(Pipe.End.A, Codec.utf8()));
            assertEquals("end A of pipe 'p' is held by pid=" + PID, held.getMessage());
            try (Connection<String> b = Pipe.open(second, "p").connect(Pipe.End.B, Codec.utf8())) {
                a.send("the holder still works");
                assertEquals("the holder still works", b.recv());
            }
        }
    }

    @Test
    void shouldNeverReconnectAClosedEnd() throws Exception {
        attach();
        Pipe pipe = Pipe.create(first, "p", 4096, true);
        Connection<String> a = pipe.connect(Pipe.End.A, Codec.utf8());
        a.close();
        assertTrue(a.isClosed());
        String closed = "end A of pipe 'p' was closed and cannot be connected again";
        assertEquals(closed, assertThrows(IllegalStateException.class,
                () -> pipe.connect(Pipe.End.A, Codec.utf8())).getMessage());
        assertEquals(closed, assertThrows(IllegalStateException.class,
                () -> Pipe.open(second, "p").connect(Pipe.End.A, Codec.utf8())).getMessage());
        Segment third = attachAgain();
        assertEquals(closed, assertThrows(IllegalStateException.class,
                () -> Pipe.open(third, "p").connect(Pipe.End.A, Codec.utf8())).getMessage());
    }

    @Test
    void shouldLetTheEndOfAClosedSegmentBeClaimedAgain() throws Exception {
        attach();
        Pipe pipe = Pipe.create(first, "p", 4096, true);
        Connection<String> a = pipe.connect(Pipe.End.A, Codec.utf8());
        Connection<String> b = Pipe.open(second, "p").connect(Pipe.End.B, Codec.utf8());
        b.send("before");
        second.close(); // b's owner id is now dead
        assertEquals("before", a.recv());
        assertThrows(EOFException.class, a::recv);

        Segment third = attachAgain();
        try (Connection<String> b2 = Pipe.open(third, "p").connect(Pipe.End.B, Codec.utf8())) {
            a.send("to the new holder");
            assertEquals("to the new holder", b2.recv());
            b2.send("from the new holder");
            assertEquals("from the new holder", a.recv(), "no longer at its end: the peer is alive again");
            assertNull(a.recv(0, TimeUnit.SECONDS));
        }
        a.close();
    }

    // ---------------------------------------------------------------- end of the line

    @Test
    void shouldEndThePeerWithEofAfterDrainingWhenAnEndCloses() throws Exception {
        attach();
        Pipe.create(first, "p", 4096, true);
        Connection<String> a = Pipe.open(first, "p").connect(Pipe.End.A, Codec.utf8());
        Connection<String> b = Pipe.open(second, "p").connect(Pipe.End.B, Codec.utf8());
        b.send("1");
        b.send("2");
        b.close();
        b.close(); // idempotent
        assertTrue(b.isClosed());
        assertFalse(a.isClosed());

        assertEquals("1", a.recv());
        assertEquals("2", a.recv(1, TimeUnit.SECONDS));
        String eof = "end A of pipe 'p': nothing left to read and the peer end B was closed";
        assertEquals(eof, assertThrows(EOFException.class, a::recv).getMessage());
        assertEquals(eof, assertThrows(EOFException.class, () -> a.recv(1, TimeUnit.SECONDS)).getMessage());
        assertEquals(eof, assertThrows(EOFException.class, a::recvBytes).getMessage());
        assertEquals(eof, assertThrows(EOFException.class, () -> a.recvBytesInto(ByteBuffer.allocate(8))).getMessage());
        String broken = "end A of pipe 'p': the peer end B was closed";
        assertEquals(broken, assertThrows(BrokenPipeException.class, () -> a.send("x")).getMessage());
        assertEquals(broken, assertThrows(BrokenPipeException.class, () -> a.sendBytes(new byte[1])).getMessage());

        String closedHandle = "end B of pipe 'p' is closed";
        assertEquals(closedHandle, assertThrows(IllegalStateException.class, () -> b.send("x")).getMessage());
        assertEquals(closedHandle, assertThrows(IllegalStateException.class, b::recv).getMessage());
        assertEquals(closedHandle, assertThrows(IllegalStateException.class, b::poll).getMessage());
        a.close();
    }

    @Test
    void shouldWakeABlockedReceiverAndABlockedSenderWhenThePeerCloses() throws Exception {
        attach();
        Pipe.create(first, "p", 256, true);
        RingProbe toA = RingProbe.pipe(first, "p", Pipe.End.A);
        RingProbe toB = RingProbe.pipe(first, "p", Pipe.End.B);
        Connection<byte[]> a = Pipe.open(first, "p").connect(Pipe.End.A, Codec.bytes());
        Connection<byte[]> b = Pipe.open(second, "p").connect(Pipe.End.B, Codec.bytes());
        Background<byte[]> receiver = Background.start("receiver", a::recv);
        a.send(new byte[248]); // fills the ring toward B
        Background<Void> sender = Background.start("sender", () -> {
            a.send(new byte[8]);
            return null;
        });
        ChildJvms.awaitCondition("A's receiver asleep", 10, () -> toA.notEmptyWaiters() > 0);
        ChildJvms.awaitCondition("A's sender asleep", 10, () -> toB.notFullWaiters() > 0);
        b.close();
        Throwable eof = receiver.failure(10);
        assertInstanceOf(EOFException.class, eof);
        assertEquals("end A of pipe 'p': nothing left to read and the peer end B was closed", eof.getMessage());
        Throwable broken = sender.failure(10);
        assertInstanceOf(BrokenPipeException.class, broken);
        assertEquals("end A of pipe 'p': the peer end B was closed", broken.getMessage());
        a.close();
    }

    @Test
    void shouldEndABlockedCallWhenItsOwnHandleIsClosed() throws Exception {
        attach();
        Pipe.create(first, "p", 4096, true);
        RingProbe toA = RingProbe.pipe(first, "p", Pipe.End.A);
        Connection<String> a = Pipe.open(first, "p").connect(Pipe.End.A, Codec.utf8());
        try (Connection<String> b = Pipe.open(second, "p").connect(Pipe.End.B, Codec.utf8())) {
            Background<String> receiver = Background.start("receiver", a::recv);
            ChildJvms.awaitCondition("receiver asleep", 10, () -> toA.notEmptyWaiters() > 0);
            a.close();
            Throwable thrown = receiver.failure(10);
            assertInstanceOf(IllegalStateException.class, thrown);
            assertEquals("end A of pipe 'p' is closed", thrown.getMessage());
            assertEquals("end B of pipe 'p': the peer end A was closed",
                    assertThrows(BrokenPipeException.class, () -> b.send("x")).getMessage());
        }
    }

    @Test
    void shouldReportAPeerWhoseAttachmentClosedAsDied() throws Exception {
        attach();
        Pipe.create(first, "p", 4096, true);
        Connection<String> a = Pipe.open(first, "p").connect(Pipe.End.A, Codec.utf8());
        Connection<String> b = Pipe.open(second, "p").connect(Pipe.End.B, Codec.utf8());
        b.send("last words");
        second.close(); // the attachment holding B detaches: to A it is as dead as a killed process
        b.close(); // no effect on a detached attachment: B stays held by a dead owner id
        assertEquals("last words", a.recv());
        // The detached attachment's process slot is free, so its pid is no longer known: pid=-1.
        EOFException eof = assertThrows(EOFException.class, a::recv);
        assertEquals("end A of pipe 'p': nothing left to read and the peer end B died (pid=-1)", eof.getMessage());
        PeerDiedException died = assertThrows(PeerDiedException.class, () -> a.send("anyone?"));
        assertEquals("end A of pipe 'p': the process holding the peer end B (pid=-1) died", died.getMessage());
        a.close();
    }

    @Test
    void shouldNoticeADeadPeerWithinASliceWhenReceivingWithoutBlocking() throws Exception {
        attach();
        Pipe.create(first, "p", 4096, true);
        Connection<String> a = Pipe.open(first, "p").connect(Pipe.End.A, Codec.utf8());
        Pipe.open(second, "p").connect(Pipe.End.B, Codec.utf8());
        assertNull(a.recv(0, TimeUnit.SECONDS)); // the peer was checked just now, and is alive
        second.close();
        // Liveness is checked at most once per slice: a polling receiver sees EOF within about one.
        ChildJvms.awaitCondition("EOFException from a non-blocking recv", 5, () -> {
            try {
                return a.recv(0, TimeUnit.SECONDS) != null;
            } catch (EOFException eof) {
                return true;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertThrows(EOFException.class, () -> a.recv(0, TimeUnit.SECONDS));
        assertTrue(a.poll(), "EOF is pending: recv would not wait");
        a.close();
    }

    /**
     * A thread streaming into a pipe when its segment is closed must write nothing more: the end
     * is free to be claimed again at once, and the new holder may already be sending.
     */
    @Test
    void shouldWriteNothingFromAStreamWhoseSegmentWasClosedAfterTheEndWasClaimedAgain() throws Exception {
        attach();
        Pipe.create(first, "p", 256, true);
        RingProbe toA = RingProbe.pipe(first, "p", Pipe.End.A);
        Connection<byte[]> a = Pipe.open(first, "p").connect(Pipe.End.A, Codec.bytes());
        Connection<byte[]> b = Pipe.open(second, "p").connect(Pipe.End.B, Codec.bytes());
        Background<Void> streamer = Background.start("streamer", () -> {
            b.send(new byte[10_000]);
            return null;
        });
        ChildJvms.awaitCondition("the streamer mid-stream, asleep", 10, () -> toA.notFullWaiters() > 0);
        second.close();
        Connection<byte[]> b2 = Pipe.open(attachAgain(), "p").connect(Pipe.End.B, Codec.bytes());
        b2.send(new byte[] {7});
        assertInstanceOf(IllegalStateException.class, streamer.failure(10));
        assertArrayEquals(new byte[] {7}, a.recv(5, TimeUnit.SECONDS), "the new holder's message is intact");
        assertNull(a.recv(0, TimeUnit.SECONDS));
        a.close();
        b2.close();
    }

    @Test
    void shouldWakeABlockedReceiverWhenThePeersAttachmentCloses() throws Exception {
        attach();
        Pipe.create(first, "p", 4096, true);
        RingProbe toA = RingProbe.pipe(first, "p", Pipe.End.A);
        Connection<String> a = Pipe.open(first, "p").connect(Pipe.End.A, Codec.utf8());
        Pipe.open(second, "p").connect(Pipe.End.B, Codec.utf8());
        Background<String> receiver = Background.start("receiver", a::recv);
        ChildJvms.awaitCondition("receiver asleep", 10, () -> toA.notEmptyWaiters() > 0);
        second.close();
        // Nothing wakes the sleeper: it notices the dead owner id after at most one wait slice.
        assertInstanceOf(EOFException.class, receiver.failure(10));
        a.close();
    }

    // ---------------------------------------------------------------- timeouts and interrupts

    @Test
    void shouldTimeOutAndLeaveNothingBehind() throws Exception {
        attach();
        Pipe.create(first, "p", 256, true);
        try (Connection<byte[]> a = Pipe.open(first, "p").connect(Pipe.End.A, Codec.bytes());
                Connection<byte[]> b = Pipe.open(second, "p").connect(Pipe.End.B, Codec.bytes())) {
            assertNull(a.recv(50, TimeUnit.MILLISECONDS));
            assertEquals(-1, a.recvBytesInto(ByteBuffer.allocate(8), 50, TimeUnit.MILLISECONDS));
            assertNull(a.recv(-1, TimeUnit.SECONDS));
            assertNull(a.recv(Long.MIN_VALUE, TimeUnit.NANOSECONDS), "the most negative timeout tries once too");
            assertEquals(-1, a.recvBytesInto(ByteBuffer.allocate(8), Long.MIN_VALUE, TimeUnit.NANOSECONDS));
            assertFalse(a.poll(Duration.ofSeconds(Long.MIN_VALUE)));

            byte[] fills = new byte[248]; // record of 8 + 248 = the whole 256-byte ring
            b.send(fills);
            assertFalse(b.send(new byte[1], 50, TimeUnit.MILLISECONDS));
            ByteBuffer src = ByteBuffer.wrap(new byte[] {1, 2});
            assertFalse(b.sendBytes(src, 0, TimeUnit.SECONDS));
            assertEquals(0, src.position(), "a send that timed out leaves the buffer as it was");
            assertEquals(248, a.recv().length);
            assertNull(a.recv(0, TimeUnit.SECONDS), "the timed-out sends left nothing");

            // A streamed message that times out midway is aborted: the receiver never returns it.
            byte[] big = new byte[10_000];
            ByteBuffer bigSrc = ByteBuffer.wrap(big);
            assertFalse(b.sendBytes(bigSrc, 100, TimeUnit.MILLISECONDS));
            assertEquals(0, bigSrc.position());
            assertFalse(b.sendBytes(ByteBuffer.wrap(big), Long.MIN_VALUE, TimeUnit.NANOSECONDS),
                    "a stream with the most negative timeout tries each fragment once");
            b.send(new byte[] {5});
            assertArrayEquals(new byte[] {5}, a.recv(10, TimeUnit.SECONDS));
            assertNull(a.recv(0, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldHonourInterrupts() throws Exception {
        attach();
        Pipe.create(first, "p", 256, true);
        RingProbe toA = RingProbe.pipe(first, "p", Pipe.End.A);
        RingProbe toB = RingProbe.pipe(first, "p", Pipe.End.B);
        try (Connection<byte[]> a = Pipe.open(first, "p").connect(Pipe.End.A, Codec.bytes());
                Connection<byte[]> b = Pipe.open(second, "p").connect(Pipe.End.B, Codec.bytes())) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, a::recv);
            assertFalse(Thread.interrupted(), "status cleared");
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> a.poll(1, TimeUnit.SECONDS));
            assertFalse(Thread.interrupted());

            Background<byte[]> receiver = Background.start("receiver", a::recv);
            ChildJvms.awaitCondition("receiver asleep", 10, () -> toA.notEmptyWaiters() > 0);
            receiver.thread().interrupt();
            assertInstanceOf(InterruptedException.class, receiver.failure(10));

            a.send(new byte[248]);
            Background<Void> sender = Background.start("sender", () -> {
                a.send(new byte[] {1});
                return null;
            });
            ChildJvms.awaitCondition("sender asleep", 10, () -> toB.notFullWaiters() > 0);
            sender.thread().interrupt();
            assertInstanceOf(InterruptedException.class, sender.failure(10));
            assertEquals(248, b.recv().length);
            assertNull(b.recv(0, TimeUnit.SECONDS), "the interrupted send sent nothing");

            // An interrupted stream is aborted: nothing of it is received.
            Background<Void> streamer = Background.start("streamer", () -> {
                a.send(new byte[10_000]);
                return null;
            });
            ChildJvms.awaitCondition("streamer asleep", 10, () -> toB.notFullWaiters() > 0);
            streamer.thread().interrupt();
            assertInstanceOf(InterruptedException.class, streamer.failure(10));
            a.send(new byte[] {6});
            assertArrayEquals(new byte[] {6}, b.recv(10, TimeUnit.SECONDS));
            assertNull(b.recv(0, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldFailEveryCallOnceTheSegmentIsClosed() throws Exception {
        attach();
        Pipe.create(first, "p", 4096, true);
        RingProbe toA = RingProbe.pipe(second, "p", Pipe.End.A);
        Connection<String> a = Pipe.open(first, "p").connect(Pipe.End.A, Codec.utf8());
        Pipe.open(second, "p").connect(Pipe.End.B, Codec.utf8());
        Background<String> receiver = Background.start("receiver", a::recv);
        ChildJvms.awaitCondition("receiver asleep", 10, () -> toA.notEmptyWaiters() > 0);
        first.close();
        Throwable thrown = receiver.failure(10);
        assertInstanceOf(IllegalStateException.class, thrown);
        String closed = "segment '" + first.name() + "' is closed";
        assertEquals(closed, thrown.getMessage());
        assertEquals(closed, assertThrows(IllegalStateException.class, () -> a.send("x")).getMessage());
        assertEquals(closed, assertThrows(IllegalStateException.class,
                () -> Pipe.open(first, "p")).getMessage());
        a.close(); // a no-op on a closed segment
    }

    // ---------------------------------------------------------------- factories

    @Test
    void shouldCreateOpenAndRefuseByName() throws Exception {
        attach();
        Pipe pipe = Pipe.create(first, "p", 1000, true);
        assertEquals(1024, pipe.capacity(), "rounded up to a power of two");
        assertEquals(256, Pipe.create(first, "tiny", 1, false).capacity());
        assertEquals("Pipe[" + first.name() + "/p, capacity=1024, duplex=true]", pipe.toString());
        ObjectExistsException exists = assertThrows(ObjectExistsException.class,
                () -> Pipe.create(first, "p", 4096, false));
        assertTrue(exists.getMessage().contains("'p'"), exists.getMessage());
        Pipe same = Pipe.openOrCreate(second, "p", 1 << 16, false);
        assertEquals(1024, same.capacity(), "existing: the parameters are ignored");
        assertTrue(same.isDuplex());
        Pipe made = Pipe.openOrCreate(second, "new", 300, false);
        assertEquals(512, made.capacity());
        assertFalse(made.isDuplex());
        assertThrows(NoSuchObjectException.class, () -> Pipe.open(first, "missing"));
        SharedQueue.create(first, "q", 4096, Codec.utf8());
        KindMismatchException kind = assertThrows(KindMismatchException.class, () -> Pipe.open(first, "q"));
        assertEquals("object 'q' in segment '" + first.name() + "' is a SharedQueue, not a Pipe", kind.getMessage());
        IllegalArgumentException cap = assertThrows(IllegalArgumentException.class,
                () -> Pipe.create(first, "zero", 0, true));
        assertEquals("capacity must be 1 to 1073741824 bytes: capacity=0", cap.getMessage());
        try (Connection<String> a = pipe.connect(Pipe.End.A, Codec.utf8())) {
            assertEquals("Connection[end A of pipe 'p']", a.toString());
            a.close();
            assertEquals("Connection[end A of pipe 'p', closed]", a.toString());
        }
    }

    @Test
    void shouldReportCodecFailuresAsCodecExceptionsAndGoOn() throws Exception {
        io.interproc.core.Segment s = segments.create(1 << 20);
        Pipe pipe = Pipe.create(s, "codec", 4096, true);
        io.interproc.core.Codec<String> picky = new io.interproc.core.Codec<>() {
            @Override
            public byte[] encode(String value) {
                if (value.isEmpty()) {
                    throw new IllegalArgumentException("empty");
                }
                return value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }

            @Override
            public String decode(byte[] bytes, int offset, int length) {
                return length == 3 ? null : new String(bytes, offset, length, java.nio.charset.StandardCharsets.UTF_8);
            }

            @Override
            public String toString() {
                return "picky";
            }
        };
        try (Connection<String> a = pipe.connect(Pipe.End.A, picky);
                Connection<String> b = pipe.connect(Pipe.End.B, picky)) {
            io.interproc.core.CodecException enc = org.junit.jupiter.api.Assertions.assertThrows(
                    io.interproc.core.CodecException.class, () -> a.send(""));
            assertEquals("codec picky cannot encode java.lang.String: java.lang.IllegalArgumentException: empty",
                    enc.getMessage());
            a.send("abc");
            a.send("next");
            io.interproc.core.CodecException dec = org.junit.jupiter.api.Assertions.assertThrows(
                    io.interproc.core.CodecException.class, b::recv);
            assertEquals("end B of pipe 'codec': a message of 3 bytes could not be decoded and was consumed: codec picky"
                    + " decoded 3 bytes to null", dec.getMessage());
            assertEquals("next", b.recv(), "the pipe goes on after a bad message");
        }
    }
}
