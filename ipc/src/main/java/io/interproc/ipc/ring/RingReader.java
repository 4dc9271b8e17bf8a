package io.interproc.ipc.ring;

import io.interproc.core.BufferTooSmallException;
import io.interproc.core.wait.Deadline;
import io.interproc.core.wait.WaitLoop;

import java.nio.ByteBuffer;

/**
 * The consumer's loop over a {@link ByteRing}, the one queues and pipes share: wait for the start
 * of the next message, read it whole, and look for the next one when the message turns out to be
 * a partial its producer abandoned. <b>Internal API</b> of the ipc modules: the caller holds the
 * ring's consumer exclusion and runs inside {@link io.interproc.core.Segment#beginOperation()} /
 * {@link io.interproc.core.Segment#endOperation()}. Stateless.
 */
public final class RingReader {
    /*
     * The timeout runs from the caller's deadline. A streamed message is read on past it while
     * fragments keep coming (ByteRing.readMessage); one given up half-read returns as a timeout, and its
     * rest is skipped and counted by the next reader. A partial its producer abandoned
     * (DISCARDED) is not a message: the loop waits for the next one with what is left.
     */

    /**
     * How the caller waits for the start of the next message: {@link ByteRing#awaitMessage} with
     * the caller's stop condition and slice check, and whatever it reports besides (a pipe's end
     * of file).
     *
     * @param <X> what it throws besides {@link InterruptedException}
     */
    @FunctionalInterface
    public interface MessageStart<X extends Exception> {
        /**
         * @param timeoutNanos as for {@link ByteRing#awaitMessage}
         * @return the message's total size, or {@link ByteRing#NONE} on timeout or stop
         * @throws InterruptedException if interrupted while waiting
         * @throws X as the caller decides
         */
        long await(long timeoutNanos) throws InterruptedException, X;
    }

    private RingReader() {
    }

    /**
     * Reads the next message into a new array.
     *
     * @param ring the ring
     * @param deadline {@link io.interproc.core.wait.Deadline#after(long)} of the caller's timeout
     *     ({@link io.interproc.core.wait.Deadline#NONE}: block), taken when the caller's wait began
     *     (before it waited for its exclusion, if it counts that wait)
     * @param start how to wait for a message's start
     * @param check run after each wait slice of the read
     * @param <X> what {@code start} throws
     * @return the message, or {@code null} on timeout (also when it was given up half-read)
     * @throws InterruptedException if interrupted while waiting
     * @throws X what {@code start} throws
     */
    public static <X extends Exception> byte[] read(ByteRing ring, long deadline,
            MessageStart<X> start, WaitLoop.SliceCheck check) throws InterruptedException, X {
        while (true) {
            long total = start.await(CallDeadline.left(deadline));
            if (total == ByteRing.NONE) {
                return null;
            }
            ArraySink sink = ArraySink.newArray((int) total);
            int read = ring.readMessage(sink, CallDeadline.left(deadline), check);
            if (read == ByteRing.COMPLETE) {
                return sink.array();
            }
            if (read == ByteRing.GAVE_UP) {
                return null;
            }
        }
    }

    /**
     * Reads the next message into {@code dst}. Allocates nothing.
     *
     * @param ring the ring
     * @param dst where the bytes go, from its position, which advances by the size on success and
     *     is unchanged otherwise
     * @param deadline as for {@link #read}
     * @param whole if true, the timeout bounds only the wait for a message to start: once it has,
     *     its fragments are awaited as long as its producer lives
     * @param start how to wait for a message's start
     * @param check run after each wait slice of the read
     * @param <X> what {@code start} throws
     * @return the message's size, or -1 on timeout (also when it was given up half-read)
     * @throws BufferTooSmallException if {@code dst} has less room than the message, which stays
     *     at the head of the ring
     * @throws InterruptedException if interrupted while waiting
     * @throws X what {@code start} throws
     */
    public static <X extends Exception> int readInto(ByteRing ring, ByteBuffer dst, long deadline,
            boolean whole, MessageStart<X> start, WaitLoop.SliceCheck check) throws InterruptedException, X {
        while (true) {
            long total = start.await(CallDeadline.left(deadline));
            if (total == ByteRing.NONE) {
                return -1;
            }
            if (dst.remaining() < total) {
                throw new BufferTooSmallException((int) total, dst.remaining());
            }
            int from = dst.position();
            int read;
            try {
                read = ring.readMessage(dst, whole ? WaitLoop.FOREVER : CallDeadline.left(deadline),
                        check);
            } catch (InterruptedException | RuntimeException e) {
                dst.position(from);
                throw e;
            }
            if (read == ByteRing.COMPLETE) {
                return (int) total;
            }
            dst.position(from);
            if (read == ByteRing.GAVE_UP) {
                return -1;
            }
        }
    }
    /**
     * Reads up to {@code max} messages, each handed to {@code target}: whole messages in batches
     * that publish the head once ({@link ByteRing#drainWhole}), a streamed one (or what earlier
     * failures left before the next message) through the per-message path, and only as the
     * first message of a call. Waits, up to the deadline, only for the first message; then takes
     * what is there without waiting.
     *
     * @param ring the ring
     * @param max most messages, {@code >= 1}
     * @param target where each message goes
     * @param deadline as for {@link #read}: how long to wait for the first message
     * @param start how to wait for a message's start
     * @param check run after each wait slice of the read
     * @param <X> what {@code start} throws
     * @return messages handed to {@code target}
     * @throws InterruptedException if interrupted while waiting for the first message
     * @throws X what {@code start} throws
     */
    public static <X extends Exception> int drain(ByteRing ring, int max, DrainTarget target, long deadline,
            MessageStart<X> start, WaitLoop.SliceCheck check) throws InterruptedException, X {
        int n = 0;
        while (n < max) {
            n += ring.drainWhole(max - n, target);
            if (n >= max) {
                break;
            }
            // Empty, or the head is not a whole message: find the next message's start.
            long total = start.await(n == 0 ? CallDeadline.left(deadline) : 0);
            if (total == ByteRing.NONE) {
                break;
            }
            if (total <= ring.maxWhole()) {
                continue; // a whole message at the head now: the batch takes it
            }
            if (n > 0) {
                break; // a streamed message starts a batch of its own, so that a short one never gives it up
            }
            ArraySink sink = ArraySink.newArray((int) total);
            int read = ring.readMessage(sink, CallDeadline.left(deadline), check);
            if (read == ByteRing.COMPLETE) {
                n++;
                target.accept(ByteBuffer.wrap(sink.array()));
            } else if (read == ByteRing.GAVE_UP) {
                break;
            }
        }
        return n;
    }
}
