package io.interproc.ipc.ring;

import static io.interproc.ipc.ring.RingDescriptor.ABORT;

import io.interproc.core.Segment;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.wait.WaitLoop;

import java.util.function.BooleanSupplier;

/**
 * What a {@link ByteRing} does about a producer or consumer that died, timed out or gave up in
 * the middle of something, kept beside the ring's fast paths rather than inside them (as Agrona
 * keeps {@code unblock()} beside {@code read()}). Every method is called by the ring with the
 * matching exclusion held (producer or consumer), as the ring's own methods are. Not thread-safe
 * on its own.
 */
final class RingRecovery {
    /*
     * Three failures, each repaired by the next process to do the same job:
     *
     * 1. A producer counted a complete message and died before publishing its tail. The count
     *    would stay one too high for ever. Whoever next holds the producer exclusion finds the
     *    pending tail ahead of the tail and sets the count back (reconcilePutCount); see the
     *    "Put count and tail" paragraph of RingDescriptor.
     *
     * 2. A consumer died, timed out or was interrupted in the middle of a streamed message. It
     *    sets the skipping flag (orphanRest) and the next consumer skips the rest record by record
     *    (skip): the rest's last fragment makes it a message lost; an abort marker, or the first
     *    record of a new message, means its producer gave up or died too, and it is a partial
     *    discarded instead.
     *
     * 3. A producer died or aborted in the middle of a streamed message while a consumer was
     *    reading it. The reader watches the stream owner once per wait slice (StreamWatch), and
     *    the part it read is a partial discarded (countDiscarded).
     */

    private final Segment segment;
    private final SharedBuffer b;
    private final int tailAt;
    private final int putCountAt;
    private final int pendingTailAt;
    private final int pendingPutAt;
    private final int streamOwnerAt;
    private final int lostAt;
    private final int discardedAt;
    private final int skippingAt;

    RingRecovery(Segment segment, SharedBuffer b, int base) {
        this.segment = segment;
        this.b = b;
        this.tailAt = base + RingDescriptor.TAIL_OFFSET;
        this.putCountAt = base + RingDescriptor.PUT_COUNT_OFFSET;
        this.pendingTailAt = base + RingDescriptor.PENDING_TAIL_OFFSET;
        this.pendingPutAt = base + RingDescriptor.PENDING_PUT_OFFSET;
        this.streamOwnerAt = base + RingDescriptor.STREAM_OWNER_OFFSET;
        this.lostAt = base + RingDescriptor.LOST_OFFSET;
        this.discardedAt = base + RingDescriptor.DISCARDED_OFFSET;
        this.skippingAt = base + RingDescriptor.SKIPPING_OFFSET;
    }

    /** @return offset of the skipping flag (the batch read stops while it is set) */
    int skippingAt() {
        return skippingAt;
    }

    /** @return messages lost: their consumer gave them up mid-stream (volatile read) */
    long messagesLost() {
        return b.getLongVolatile(lostAt);
    }

    /** @return partial messages discarded: their producer gave them up mid-stream (volatile read) */
    long partialsDiscarded() {
        return b.getLongVolatile(discardedAt);
    }

    // ------------------------------------------------------------------ producer died counting

    /** @see ByteRing#reconcilePutCount() */
    boolean reconcilePutCount() {
        long pending = b.getLongAcquire(pendingTailAt);
        long tail = b.getLongVolatile(tailAt);
        if (pending - tail <= 0) {
            return false;
        }
        long put = b.getLong(pendingPutAt) - 1;
        b.setLongRelease(putCountAt, put);
        b.setLongVolatile(pendingTailAt, tail);
        return true;
    }

    /** @see ByteRing#hasUnpublishedPut() */
    boolean hasUnpublishedPut() {
        return b.getLongVolatile(pendingTailAt) - b.getLongVolatile(tailAt) > 0;
    }

    // ------------------------------------------------------------------ consumer gave a stream up

    /**
     * Decides about the record at the head, found by a consumer looking for the next message.
     *
     * @param len the record's length
     * @param total the record's total
     * @return true if it starts a message (whole, or a first fragment) to return; false if it is
     *     what an earlier failure left (the rest of an orphaned stream, a stray abort marker), to
     *     be skipped, counted here
     */
    boolean startsMessage(int len, int total) {
        boolean skipping = b.getInt(skippingAt) != 0;
        if (total >= len) {
            if (skipping) {
                // The orphaned stream ends without its last fragment: its producer died too.
                endSkipping(discardedAt);
            }
            return true;
        }
        // The orphaned rest of a stream whose consumer died or gave up, or a stray abort.
        if (total == ABORT) {
            if (skipping) {
                endSkipping(discardedAt);
            }
        } else if (total == -1) {
            // The last fragment: its producer counted the message as put, nobody took it.
            endSkipping(lostAt);
        } else if (!skipping) {
            b.setIntOpaque(skippingAt, 1);
        }
        return false;
    }

    private void endSkipping(int counterAt) {
        b.setIntOpaque(skippingAt, 0);
        b.setLongRelease(counterAt, b.getLong(counterAt) + 1);
    }

    /**
     * The reader gives up the stream it is reading: the next consumer skips the rest and counts
     * it, lost if it ends with its last fragment, discarded if its producer dies or aborts first.
     */
    void orphanRest() {
        b.setIntOpaque(skippingAt, 1);
    }

    // ------------------------------------------------------------------ producer gave a stream up

    /** Counts a streamed message whose producer died or aborted while it was being read. */
    void countDiscarded() {
        b.setLongRelease(discardedAt, b.getLong(discardedAt) + 1);
    }

    /**
     * @param check the reader's own check, run first after every slice
     * @return a watch on the producer of the stream about to be read
     */
    StreamWatch watchStream(WaitLoop.SliceCheck check) {
        return new StreamWatch(check);
    }

    /**
     * The slice check and stop condition of a reader waiting for the next fragment: the stream
     * is abandoned once its producer has released it (abort, or a give-up) or has died. The
     * producer's liveness costs a look at /proc, so it is checked once per slice, not per attempt.
     */
    final class StreamWatch implements WaitLoop.SliceCheck, BooleanSupplier {
        private final WaitLoop.SliceCheck check;
        private boolean producerDead;

        private StreamWatch(WaitLoop.SliceCheck check) {
            this.check = check;
        }

        @Override
        public void afterSlice() {
            check.afterSlice();
            int owner = b.getIntVolatile(streamOwnerAt);
            producerDead = owner != 0 && !segment.isAlive(owner);
        }

        /** @return true if the stream is abandoned: nothing more of it will come */
        @Override
        public boolean getAsBoolean() {
            return producerDead || b.getIntVolatile(streamOwnerAt) == 0;
        }
    }
}
