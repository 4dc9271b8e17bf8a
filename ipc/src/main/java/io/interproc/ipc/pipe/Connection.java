package io.interproc.ipc.pipe;

import io.interproc.core.BufferTooSmallException;
import io.interproc.core.Codec;
import io.interproc.core.CodecException;
import io.interproc.core.PeerDiedException;
import io.interproc.core.Segment;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.wait.Deadline;
import io.interproc.core.wait.WaitLoop;
import io.interproc.ipc.CodecCalls;
import io.interproc.ipc.ring.ByteRing;
import io.interproc.ipc.ring.CallDeadline;
import io.interproc.ipc.ring.RingReader;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One claimed end of a {@link Pipe} (Python: {@code multiprocessing.connection.Connection}).
 *
 * <p>{@link #send} and {@link #recv} move objects through the pipe's {@link Codec};
 * {@link #sendBytes}, {@link #recvBytes} and {@link #recvBytesInto} move raw bytes. Sends block
 * while the ring toward the peer is full (timed forms return {@code false}); receives block while
 * it is empty (timed forms return {@code null} / -1). Messages larger than the ring are streamed
 * through it in fragments, with the guarantees of {@link io.interproc.ipc.queue.AbstractSharedQueue}.
 *
 * <p><b>End of the line.</b> When the peer end is {@linkplain #close() closed}, or its process
 * dies (or closes its segment), {@code recv} on an empty pipe throws {@link EOFException} — after
 * everything the peer sent has been read. A send to a closed peer throws
 * {@link BrokenPipeException}; to a dead one, {@link PeerDiedException}. A peer's death is noticed
 * within one wait slice (100 ms) by a blocked call, and within 100 ms by a send or receive that
 * does not block (liveness is checked at most that often, so a send in that window is buffered for
 * a process that may re-claim the end). Closing wakes the peer at once.
 *
 * <p><b>Threads.</b> One thread at a time sends and one receives (each direction is
 * single-producer single-consumer); concurrent senders, or receivers, in this process are
 * serialised by the handle. Memory effects: actions before a send happen-before the actions after
 * the matching receive. Every method throws {@link IllegalStateException} after {@link #close()}
 * or once the segment is closed.
 *
 * @param <T> the type of object sent and received
 */
public final class Connection<T> implements AutoCloseable {
    /** Least time between two liveness checks of the peer on the receive path (a system call each). */
    private static final long PEER_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Sends between two clock reads of the send path's peer check (a full ring checks at once). */
    private static final int SENDS_PER_CLOCK_READ = 16;

    private final Pipe pipe;
    private final Segment segment;
    private final SharedBuffer b;
    private final Pipe.End end;
    private final Pipe.End peer;
    private final int stateAt;
    private final int peerStateAt;
    private final int ownerId;
    private final ByteRing in;
    private final ByteRing out;
    private final Codec<T> codec;
    private final String description;
    private final Object sendMonitor = new Object();
    private final Object recvMonitor = new Object();
    private final WaitLoop.SliceCheck recvCheck = this::afterRecvSlice;
    private final WaitLoop.SliceCheck sendCheck = this::afterSendSlice;
    private final RingReader.MessageStart<EOFException> nextMessage = this::awaitMessage;
    private final BooleanSupplier peerGoneCheck = this::peerGone; // one, not one per receive
    private volatile boolean closed;
    private volatile int deadPeer;
    private long nextPeerCheck;
    private long nextRecvPeerCheck;
    /**
     * Sends left before the send path reads the clock again to see whether the peer's liveness
     * is due for a check: a clock read costs as much as the rest of a small send. Guarded by
     * {@code sendMonitor}; 0 at first, so the first send checks.
     */
    private int sendsBeforeClock;

    Connection(Pipe pipe, ObjectRegion region, Pipe.End end, Codec<T> codec) {
        this.pipe = pipe;
        this.segment = region.segment();
        this.b = region.buffer();
        this.end = end;
        this.peer = end.peer();
        this.stateAt = region.offset() + PipeDescriptor.endOffset(end);
        this.peerStateAt = region.offset() + PipeDescriptor.endOffset(peer);
        this.ownerId = segment.ownerId();
        this.codec = Objects.requireNonNull(codec, "codec");
        this.description = "end " + end + " of pipe '" + region.name() + "'";
        this.in = pipe.ringTo(end);
        this.out = pipe.ringTo(peer);
        if (out != null) {
            // A sender waiting for room stops when either end is closed; it then reports why.
            out.stopWritingWhen(() -> closed || b.getIntVolatile(peerStateAt) == PipeDescriptor.CLOSED);
        }
        // nanoTime may be negative: start the rate limits at now, so the first call checks at once.
        this.nextPeerCheck = System.nanoTime();
        this.nextRecvPeerCheck = nextPeerCheck;
        claim();
    }

    private void claim() {
        while (true) {
            int s = b.getIntVolatile(stateAt);
            if (s == PipeDescriptor.CLOSED) {
                throw new IllegalStateException(description + " was closed and cannot be connected again");
            }
            if (s == ownerId) {
                throw new IllegalStateException(description + " is already connected by this attachment");
            }
            if (s != 0 && segment.isAlive(s)) {
                throw new IllegalStateException(description + " is held by pid=" + segment.pidOf(s));
            }
            if (b.compareAndSetInt(stateAt, s, ownerId)) {
                if (out != null) {
                    out.reconcilePutCount(); // the previous holder may have died between count and publish
                }
                return;
            }
        }
    }

    /** @return which end this is */
    public Pipe.End end() {
        return end;
    }

    /** @return the pipe */
    public Pipe pipe() {
        return pipe;
    }

    // ---------------------------------------------------------------- send

    /**
     * Sends an object, waiting while the pipe is full.
     *
     * @param value the object
     * @throws InterruptedException if interrupted while waiting
     * @throws BrokenPipeException if the peer end was closed
     * @throws PeerDiedException if the peer's process died
     * @throws CodecException if the object cannot be encoded (nothing is sent)
     */
    public void send(T value) throws InterruptedException {
        send(encode(value), WaitLoop.FOREVER);
    }

    /**
     * Sends an object, waiting up to the timeout while the pipe is full.
     *
     * @param value the object
     * @param timeout how long to wait; {@code <= 0} tries once
     * @param unit its unit
     * @return true if sent, false on timeout (nothing is received from a send that timed out)
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean send(T value, long timeout, TimeUnit unit) throws InterruptedException {
        return send(encode(value), WaitLoop.toNanos(timeout, unit));
    }

    /**
     * As {@link #send(Object, long, TimeUnit)}, with a {@link Duration}. Any thread may call this.
     *
     * @param value the object
     * @param timeout how long to wait; zero or negative tries once
     * @return true if sent, false on timeout (nothing is received from a send that timed out)
     * @throws InterruptedException if interrupted while waiting
     * @throws NullPointerException if {@code timeout} is null
     */
    public boolean send(T value, Duration timeout) throws InterruptedException {
        return send(value, Deadline.toNanos(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * Sends bytes as one message, waiting while the pipe is full.
     *
     * @param bytes the message
     * @throws InterruptedException if interrupted while waiting
     */
    public void sendBytes(byte[] bytes) throws InterruptedException {
        send(ByteBuffer.wrap(bytes), WaitLoop.FOREVER);
    }

    /**
     * Sends part of an array as one message, waiting while the pipe is full.
     *
     * @param bytes the array
     * @param offset first byte
     * @param length number of bytes
     * @throws InterruptedException if interrupted while waiting
     */
    public void sendBytes(byte[] bytes, int offset, int length) throws InterruptedException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        send(ByteBuffer.wrap(bytes, offset, length), WaitLoop.FOREVER);
    }

    /**
     * Sends the remaining bytes of a buffer as one message, waiting while the pipe is full.
     * Allocates nothing; the position moves to the limit.
     *
     * @param src the message
     * @throws InterruptedException if interrupted while waiting
     */
    public void sendBytes(ByteBuffer src) throws InterruptedException {
        send(src, WaitLoop.FOREVER);
    }

    /**
     * Sends the remaining bytes of a buffer as one message, waiting up to the timeout.
     *
     * @param src the message
     * @param timeout how long to wait; {@code <= 0} tries once
     * @param unit its unit
     * @return true if sent, false on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean sendBytes(ByteBuffer src, long timeout, TimeUnit unit) throws InterruptedException {
        return send(src, WaitLoop.toNanos(timeout, unit));
    }

    /**
     * As {@link #sendBytes(ByteBuffer, long, TimeUnit)}, with a {@link Duration}. Any thread may
     * call this.
     *
     * @param src the message
     * @param timeout how long to wait; zero or negative tries once
     * @return true if sent, false on timeout
     * @throws InterruptedException if interrupted while waiting
     * @throws NullPointerException if {@code timeout} is null
     */
    public boolean sendBytes(ByteBuffer src, Duration timeout) throws InterruptedException {
        return sendBytes(src, Deadline.toNanos(timeout), TimeUnit.NANOSECONDS);
    }

    private ByteBuffer encode(T value) {
        return CodecCalls.encode(codec, value);
    }

    private boolean send(ByteBuffer src, long timeoutNanos) throws InterruptedException {
        ensureUsable();
        if (out == null) {
            throw new IllegalStateException(description + " can only receive: the pipe is one-way (B sends to A)");
        }
        segment.beginOperation(); // close() keeps our slot (so this end) until the write has stopped
        try {
            synchronized (sendMonitor) {
                checkPeerForSend(false);
                if (out.write(src, timeoutNanos, sendCheck)) {
                    return true;
                }
                ensureUsable(); // stopped because this end was closed
                checkPeerForSend(true); // or because the peer closed or died
                return false; // a timeout
            }
        } finally {
            segment.endOperation();
        }
    }

    private void checkPeerForSend(boolean force) {
        int s = b.getIntVolatile(peerStateAt);
        if (s == PipeDescriptor.CLOSED) {
            throw new BrokenPipeException(description + ": the peer end " + peer + " was closed");
        }
        if (s == 0) {
            return;
        }
        if (s == deadPeer) { // the receive path found it dead already
            throw new PeerDiedException(description + ": the process holding the peer end " + peer
                    + " (pid=" + segment.pidOf(s) + ") died");
        }
        if (!force && --sendsBeforeClock > 0) {
            return;
        }
        sendsBeforeClock = SENDS_PER_CLOCK_READ;
        long now = System.nanoTime();
        if (force || now - nextPeerCheck >= 0) {
            nextPeerCheck = now + PEER_CHECK_NANOS;
            if (!segment.isAlive(s)) {
                throw new PeerDiedException(description + ": the process holding the peer end " + peer
                        + " (pid=" + segment.pidOf(s) + ") died");
            }
        }
    }

    private void afterSendSlice() {
        ensureUsable();
        checkPeerForSend(true);
    }

    // ---------------------------------------------------------------- receive

    /**
     * Receives the next object, waiting for one.
     *
     * @return the object
     * @throws EOFException if the pipe is empty and the peer closed or died
     * @throws InterruptedException if interrupted while waiting
     * @throws CodecException if the message cannot be decoded (it is consumed)
     */
    public T recv() throws EOFException, InterruptedException {
        return decode(receive(WaitLoop.FOREVER));
    }

    /**
     * Receives the next object, waiting up to the timeout.
     *
     * @param timeout how long to wait; {@code <= 0} tries once
     * @param unit its unit
     * @return the object, or {@code null} on timeout — also in the middle of a streamed message,
     *     once the timeout has passed and no fragment has come for one wait slice (100 ms): that
     *     message is then given up, its rest skipped by the next receive and counted as lost
     * @throws EOFException if the pipe is empty and the peer closed or died
     * @throws InterruptedException if interrupted while waiting, also in the middle of a streamed
     *     message (given up likewise)
     */
    public T recv(long timeout, TimeUnit unit) throws EOFException, InterruptedException {
        return decode(receive(WaitLoop.toNanos(timeout, unit)));
    }

    /**
     * As {@link #recv(long, TimeUnit)}, with a {@link Duration}. Any thread may call this.
     *
     * @param timeout how long to wait; zero or negative tries once
     * @return the object, or {@code null} on timeout (see {@link #recv(long, TimeUnit)} for a
     *     streamed message)
     * @throws EOFException if the pipe is empty and the peer closed or died
     * @throws InterruptedException if interrupted while waiting
     * @throws NullPointerException if {@code timeout} is null
     */
    public T recv(Duration timeout) throws EOFException, InterruptedException {
        return recv(Deadline.toNanos(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * Receives the next message's bytes, waiting for one.
     *
     * @return the bytes
     * @throws EOFException if the pipe is empty and the peer closed or died
     * @throws InterruptedException if interrupted while waiting
     */
    public byte[] recvBytes() throws EOFException, InterruptedException {
        return receive(WaitLoop.FOREVER);
    }

    /**
     * Receives the next message into {@code dst}, waiting for one. Allocates nothing.
     *
     * @param dst where the bytes go, from its position, which advances by the size
     * @return the message's size
     * @throws BufferTooSmallException if {@code dst} has less room than the message, which is left
     *     to be read
     * @throws EOFException if the pipe is empty and the peer closed or died
     * @throws InterruptedException if interrupted while waiting
     */
    public int recvBytesInto(ByteBuffer dst) throws EOFException, InterruptedException {
        return receiveInto(dst, WaitLoop.FOREVER); // FOREVER itself: toNanos would make it a (clock-reading) timeout
    }

    /**
     * Receives the next message into {@code dst}, waiting up to the timeout.
     *
     * @param dst where the bytes go
     * @param timeout how long to wait; {@code <= 0} tries once
     * @param unit its unit
     * @return the message's size, or -1 on timeout (in the middle of a streamed message, as for
     *     {@link #recv(long, TimeUnit)}; the position of {@code dst} is then unchanged)
     * @throws BufferTooSmallException if {@code dst} has less room than the message (left to be read)
     * @throws EOFException if the pipe is empty and the peer closed or died
     * @throws InterruptedException if interrupted while waiting
     */
    public int recvBytesInto(ByteBuffer dst, long timeout, TimeUnit unit) throws EOFException, InterruptedException {
        return receiveInto(dst, WaitLoop.toNanos(timeout, unit));
    }

    private int receiveInto(ByteBuffer dst, long timeoutNanos) throws EOFException, InterruptedException {
        ensureReadable();
        segment.beginOperation();
        try {
            synchronized (recvMonitor) {
                return RingReader.readInto(in, dst, CallDeadline.of(timeoutNanos), false, nextMessage,
                        recvCheck);
            }
        } finally {
            segment.endOperation();
        }
    }

    /**
     * As {@link #recvBytesInto(ByteBuffer, long, TimeUnit)}, with a {@link Duration}. Any thread
     * may call this.
     *
     * @param dst where the bytes go
     * @param timeout how long to wait; zero or negative tries once
     * @return the message's size, or -1 on timeout
     * @throws BufferTooSmallException if {@code dst} has less room than the message (left to be read)
     * @throws EOFException if the pipe is empty and the peer closed or died
     * @throws InterruptedException if interrupted while waiting
     * @throws NullPointerException if {@code timeout} is null
     */
    public int recvBytesInto(ByteBuffer dst, Duration timeout) throws EOFException, InterruptedException {
        return recvBytesInto(dst, Deadline.toNanos(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * Whether a message (or the end of the pipe) can be received without waiting, waiting up to
     * the timeout for one (Python's {@code poll(timeout)}).
     *
     * @param timeout how long to wait; {@code <= 0} checks once
     * @param unit its unit
     * @return true if {@code recv} would return or throw {@link EOFException} at once
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean poll(long timeout, TimeUnit unit) throws InterruptedException {
        ensureReadable();
        segment.beginOperation(); // skipping the rest of a given-up message writes the head
        try {
            synchronized (recvMonitor) {
                try {
                    return awaitMessage(WaitLoop.toNanos(timeout, unit)) != ByteRing.NONE;
                } catch (EOFException e) {
                    return true;
                }
            }
        } finally {
            segment.endOperation();
        }
    }

    /**
     * As {@link #poll(long, TimeUnit)}.
     *
     * @param timeout how long to wait
     * @return true if {@code recv} would not wait
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean poll(Duration timeout) throws InterruptedException {
        return poll(Deadline.toNanos(timeout), TimeUnit.NANOSECONDS);
    }

    /** @return true if {@code recv} would not wait now */
    public boolean poll() {
        try {
            return poll(0, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private byte[] receive(long timeoutNanos) throws EOFException, InterruptedException {
        ensureReadable();
        segment.beginOperation();
        try {
            synchronized (recvMonitor) {
                return RingReader.read(in, CallDeadline.of(timeoutNanos), nextMessage, recvCheck);
            }
        } finally {
            segment.endOperation();
        }
    }

    /** @return the next message's size, {@link ByteRing#NONE} on timeout */
    private long awaitMessage(long timeoutNanos) throws EOFException, InterruptedException {
        if (in.isEmpty()) {
            long now = System.nanoTime();
            if (now - nextRecvPeerCheck >= 0) { // at most once a slice: a liveness check reads /proc
                nextRecvPeerCheck = now + PEER_CHECK_NANOS;
                notePeerDeath(); // so recv on an empty pipe with a dead peer ends without a wait
            }
        }
        long total = in.awaitMessage(timeoutNanos, peerGoneCheck, recvCheck);
        if (total == ByteRing.NONE && peerGone() && in.isEmpty()) {
            int s = b.getIntVolatile(peerStateAt);
            throw new EOFException(description + ": nothing left to read and the peer end " + peer
                    + (s == PipeDescriptor.CLOSED ? " was closed" : " died (pid=" + segment.pidOf(s) + ")"));
        }
        return total;
    }

    private boolean peerGone() {
        int s = b.getIntVolatile(peerStateAt);
        return s == PipeDescriptor.CLOSED || s != 0 && s == deadPeer;
    }

    private void notePeerDeath() {
        int s = b.getIntVolatile(peerStateAt);
        if (s > 0 && !segment.isAlive(s)) {
            deadPeer = s;
        }
    }

    private void afterRecvSlice() {
        ensureUsable();
        notePeerDeath();
    }

    private T decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        return CodecCalls.decode(codec, bytes, description, "consumed");
    }

    private void ensureReadable() {
        ensureUsable();
        if (in == null) {
            throw new IllegalStateException(description + " can only send: the pipe is one-way (B sends to A)");
        }
    }

    private void ensureUsable() {
        if (closed) {
            throw new IllegalStateException(description + " is closed");
        }
        segment.ensureOpen();
    }

    // ---------------------------------------------------------------- close

    /** @return true once {@link #close()} was called on this handle */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes this end for good: the peer's {@code recv} gets {@link EOFException} once it has read
     * everything, and its {@code send} gets {@link BrokenPipeException}. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (segment.isClosed()) {
            return; // detached: the owner id is dead, which the peer sees as a death
        }
        b.compareAndSetInt(stateAt, ownerId, PipeDescriptor.CLOSED);
        if (out != null) {
            out.wakeAll();
        }
        if (in != null) {
            in.wakeAll();
        }
        WaitLoop.wakeSleepers(b); // a thread of ours blocked on this handle checks it and ends
        segment.announceChange(); // and the peer's, in any process, sees the close for certain
    }

    @Override
    public String toString() {
        return "Connection[" + description + (closed ? ", closed" : "") + "]";
    }
}
