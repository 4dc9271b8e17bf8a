package io.interproc.ipc;

import static io.interproc.ipc.RingDescriptor.ABORT;
import static io.interproc.ipc.RingDescriptor.RECORD_HEADER;
import static io.interproc.ipc.RingDescriptor.recordSize;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.ObjectRegion;
import io.interproc.core.Segment;
import io.interproc.core.SharedBuffer;
import io.interproc.core.WaitLoop;

import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;

/**
 * A byte ring of variable-length messages in shared memory (layout: {@link RingDescriptor}), for
 * exactly one producer and one consumer at a time: {@link SharedQueue} makes that so with its
 * producer and consumer locks, {@link Pipe} with its end claims. Messages that fit the ring are
 * written as one record and published at once; larger ones are streamed in fragments of half the
 * ring, with the guarantees documented on {@link RingDescriptor}. Waiting follows
 * {@link WaitLoop}: consumers sleep on the low half of the tail, producers on the low half of the
 * head. Package-private machinery; thread-safety is the caller's exclusion.
 */
final class ByteRing {
    /** Returned by {@link #awaitRecord} when the wait ended without a record. */
    static final long NONE = Long.MIN_VALUE;

    private final Segment segment;
    private final SharedBuffer b;
    private final String description;
    private final int capacity;
    private final int mask;
    private final int data;
    private final int tailAt;
    private final int headAt;
    private final int tailWord;
    private final int headWord;
    private final int putCountAt;
    private final int takenCountAt;
    private final int streamOwnerAt;
    private final int lostAt;
    private final int discardedAt;
    private final int skippingAt;
    private final int notEmptyWaiters;
    private final int notFullWaiters;
    /**
     * Producer side: a head this handle has seen. The head only grows, so this is a lower bound and
     * the room it implies is never more than the real room; it saves reading the consumer's cache
     * line on every put. Guarded by the producer exclusion (lock or pipe end), like every producer
     * field; read and written by the producer only.
     */
    private long headCache;
    /** Consumer side: a tail this handle has seen, a lower bound of the real tail (as headCache). */
    private long tailCache;

    ByteRing(ObjectRegion region, int relativeOffset, String description) {
        this.segment = region.segment();
        this.b = region.buffer();
        this.description = description;
        int base = region.offset() + relativeOffset;
        long room = region.length() - (long) relativeOffset - RingDescriptor.DATA_OFFSET;
        int cap = (int) region.checkStored(description + " capacity", b.getInt(base + RingDescriptor.CAPACITY_OFFSET),
                RingDescriptor.MIN_CAPACITY, Math.min(RingDescriptor.MAX_CAPACITY, room));
        if (Integer.bitCount(cap) != 1) {
            throw new CorruptSegmentException(description + " in segment '" + segment.name()
                    + "' is corrupt: capacity=" + cap + " is not a power of two");
        }
        this.capacity = cap;
        this.mask = cap - 1;
        this.data = base + RingDescriptor.DATA_OFFSET;
        this.tailAt = base + RingDescriptor.TAIL_OFFSET;
        this.headAt = base + RingDescriptor.HEAD_OFFSET;
        this.tailWord = tailAt + RingDescriptor.LOW_HALF;
        this.headWord = headAt + RingDescriptor.LOW_HALF;
        this.putCountAt = base + RingDescriptor.PUT_COUNT_OFFSET;
        this.takenCountAt = base + RingDescriptor.TAKEN_COUNT_OFFSET;
        this.streamOwnerAt = base + RingDescriptor.STREAM_OWNER_OFFSET;
        this.lostAt = base + RingDescriptor.LOST_OFFSET;
        this.discardedAt = base + RingDescriptor.DISCARDED_OFFSET;
        this.skippingAt = base + RingDescriptor.SKIPPING_OFFSET;
        this.notEmptyWaiters = base + RingDescriptor.NOT_EMPTY_WAITERS_OFFSET;
        this.notFullWaiters = base + RingDescriptor.NOT_FULL_WAITERS_OFFSET;
    }

    /** Writes the header of a new ring into zeroed memory. */
    static void initialise(SharedBuffer buffer, int ringOffset, int capacity) {
        buffer.setInt(ringOffset + RingDescriptor.CAPACITY_OFFSET, capacity);
    }

    int capacity() {
        return capacity;
    }

    /** @return the largest payload sent as a single record (anything larger is streamed) */
    int maxWhole() {
        return capacity - RECORD_HEADER;
    }

    long messagesPut() {
        return b.getLongVolatile(putCountAt);
    }

    long messagesTaken() {
        return b.getLongVolatile(takenCountAt);
    }

    long messagesLost() {
        return b.getLongVolatile(lostAt);
    }

    long partialsDiscarded() {
        return b.getLongVolatile(discardedAt);
    }

    /** @return complete messages in the ring: put, minus taken, minus lost to a dead consumer */
    long messages() {
        return messagesPut() - messagesTaken() - messagesLost();
    }

    /** @return consumers sleeping until the ring is not empty (volatile read; for inspection) */
    int consumersSleeping() {
        return Math.max(0, b.getIntVolatile(notEmptyWaiters));
    }

    /** @return producers sleeping until the ring has room (volatile read; for inspection) */
    int producersSleeping() {
        return Math.max(0, b.getIntVolatile(notFullWaiters));
    }

    /** @return bytes published and not yet consumed */
    long usedBytes() {
        return b.getLongVolatile(tailAt) - b.getLongVolatile(headAt);
    }

    /** @return true if no record is published */
    boolean isEmpty() {
        return b.getLongVolatile(tailAt) == b.getLongVolatile(headAt);
    }

    // ------------------------------------------------------------------ producer side

    /**
     * Writes one message. The caller must be the only producer.
     *
     * @param src the message: its remaining bytes; its position advances past what was written
     *     only on success
     * @param timeoutNanos how long to wait for room, {@code <= 0} try once, {@link WaitLoop#FOREVER}
     * @param check run after each wait slice
     * @return true if the whole message was published; false on timeout, with nothing a consumer
     *     would return (a streamed message that was started is ended with an abort marker)
     * @throws InterruptedException if interrupted while waiting (a started stream is aborted first)
     */
    boolean write(ByteBuffer src, long timeoutNanos, WaitLoop.SliceCheck check) throws InterruptedException {
        int len = src.remaining();
        long tail = b.getLongVolatile(tailAt);
        int need = recordSize(len);
        if (need <= capacity) {
            if (!awaitRoom(tail, need, timeoutNanos, check)) {
                return false;
            }
            writeRecord(tail, len, len, src);
            publishTail(tail + need, true);
            return true;
        }
        return writeStream(src, tail, timeoutNanos, check);
    }

    private boolean writeStream(ByteBuffer src, long tail, long timeoutNanos, WaitLoop.SliceCheck check)
            throws InterruptedException {
        final int total = src.remaining();
        final int fragment = capacity / 2 - RECORD_HEADER;
        // Clamped: Long.MIN_VALUE + nanoTime() would wrap round to a deadline decades away.
        final long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        final int start = src.position();
        b.setIntVolatile(streamOwnerAt, segment.ownerId());
        int remaining = total;
        boolean first = true;
        try {
            while (remaining > 0) {
                int n = Math.min(fragment, remaining);
                boolean last = n == remaining;
                int need = recordSize(n);
                // Leave room for an abort marker behind every fragment but the last.
                long left = timeoutNanos == WaitLoop.FOREVER ? WaitLoop.FOREVER : deadline - System.nanoTime();
                if (!awaitRoom(tail, need + (last ? 0 : RECORD_HEADER), first ? timeoutNanos : left, check)) {
                    if (!first) {
                        tail = abort(tail);
                    }
                    src.position(start);
                    return false;
                }
                writeRecord(tail, n, first ? total : -1 - (remaining - n), src);
                tail += need;
                remaining -= n;
                publishTail(tail, last);
                first = false;
            }
            return true;
        } catch (InterruptedException | RuntimeException e) {
            if (!first) {
                abort(tail);
            }
            src.position(start);
            throw e;
        } finally {
            // Only if still ours: once this attachment is closed, another producer may have taken
            // over and started a stream of its own.
            b.compareAndSetInt(streamOwnerAt, segment.ownerId(), 0);
        }
    }

    private long abort(long tail) {
        if (segment.isClosed()) {
            // Closed, this attachment is dead to the others: the producer lock (or the pipe end)
            // may already be taken over and written behind our last fragment. Write nothing;
            // consumers discard the part as after a crash (its stream owner is dead).
            return tail;
        }
        int idx = (int) (tail & mask);
        b.setInt(data + idx, 0);
        b.setInt(data + idx + 4, ABORT);
        publishTail(tail + RECORD_HEADER, false);
        return tail + RECORD_HEADER;
    }

    private boolean awaitRoom(long tail, int need, long timeoutNanos, WaitLoop.SliceCheck check)
            throws InterruptedException {
        long used = tail - headCache;
        if (used >= 0 && capacity - used >= need) {
            return true; // fast path: room known from a head seen before, no shared read at all
        }
        if (hasRoom(tail, need)) {
            return true; // fast path: no lambda, no allocation
        }
        return WaitLoop.await(segment, headWord, notFullWaiters, () -> hasRoom(tail, need) ? WaitLoop.DONE : (int) headCache,
                check, timeoutNanos);
    }

    /** Reads the head (volatile), checks it, caches it, and says whether {@code need} bytes fit. */
    private boolean hasRoom(long tail, int need) {
        long head = b.getLongVolatile(headAt);
        long used = tail - head;
        if (used < 0 || used > capacity) {
            throw corrupt("tail=" + tail + ", head=" + head);
        }
        headCache = head;
        return capacity - used >= need;
    }

    private void writeRecord(long pos, int length, int total, ByteBuffer src) {
        int idx = (int) (pos & mask);
        int payload = (idx + RECORD_HEADER) & mask;
        int first = Math.min(length, capacity - payload);
        int limit = src.limit();
        src.limit(src.position() + first);
        b.putBytes(data + payload, src);
        src.limit(limit);
        if (first < length) {
            src.limit(src.position() + (length - first));
            b.putBytes(data, src);
            src.limit(limit);
        }
        b.setInt(data + idx, length);
        b.setInt(data + idx + 4, total);
    }

    private void publishTail(long tail, boolean messageComplete) {
        if (messageComplete) {
            b.setLongRelease(putCountAt, b.getLong(putCountAt) + 1);
        }
        b.setLongVolatile(tailAt, tail); // volatile: ordered before the waiter-count read below
        WaitLoop.wakeIfWaiting(b, tailWord, notEmptyWaiters, Integer.MAX_VALUE);
    }

    // ------------------------------------------------------------------ consumer side

    /**
     * Waits for the start of the next message, skipping what earlier failures left (the rest of a
     * stream whose consumer died, stray abort markers). The caller must be the only consumer.
     *
     * @param timeoutNanos how long to wait
     * @param stop checked on every try: true ends the wait with {@link #NONE}
     * @param check run after each wait slice
     * @return the message's total size, or {@link #NONE} on timeout or stop
     * @throws InterruptedException if interrupted while waiting
     */
    long awaitMessage(long timeoutNanos, BooleanSupplier stop, WaitLoop.SliceCheck check) throws InterruptedException {
        // Clamped: Long.MIN_VALUE + nanoTime() would wrap round to a deadline decades away.
        final long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        while (true) {
            long left = timeoutNanos == WaitLoop.FOREVER ? WaitLoop.FOREVER : deadline - System.nanoTime();
            long header = awaitRecord(left, stop, check);
            if (header == NONE) {
                return NONE;
            }
            int len = (int) (header >>> 32);
            int total = (int) header;
            if (total >= len) {
                b.setIntOpaque(skippingAt, 0);
                return total; // whole message or first fragment
            }
            // An orphaned continuation (its consumer died mid-stream) or a stray abort: skip it.
            if (total == ABORT) {
                b.setIntOpaque(skippingAt, 0);
            } else {
                if (b.getInt(skippingAt) == 0) {
                    b.setIntOpaque(skippingAt, 1);
                    b.setLongRelease(lostAt, b.getLong(lostAt) + 1);
                }
                if (total == -1) {
                    b.setIntOpaque(skippingAt, 0);
                }
            }
            advance(recordSize(len));
        }
    }

    /**
     * Reads the message whose start {@link #awaitMessage} found into {@code dst}, which must have
     * room for all of it. For a streamed message, waits for the rest as long as its producer
     * lives; an interrupt is deferred to the end of the message.
     *
     * @param dst destination, at least the message's size remaining
     * @param check run after each wait slice
     * @return true if the whole message was read; false if its producer died or aborted midway,
     *     in which case the partial message is counted as discarded and {@code dst} holds garbage
     */
    boolean readMessage(ByteBuffer dst, WaitLoop.SliceCheck check) {
        long header = peekHeader();
        int len = (int) (header >>> 32);
        int total = (int) header;
        copyOut(len, dst);
        advance(recordSize(len));
        if (total == len) {
            finishMessage();
            return true;
        }
        boolean interrupted = false;
        // The producer's liveness costs a look at /proc: check it once per slice, not per attempt.
        final boolean[] producerDead = {false};
        WaitLoop.SliceCheck streamCheck = () -> {
            check.afterSlice();
            int owner = b.getIntVolatile(streamOwnerAt);
            producerDead[0] = owner != 0 && !segment.isAlive(owner);
        };
        BooleanSupplier abandoned = () -> producerDead[0] || b.getIntVolatile(streamOwnerAt) == 0;
        try {
            while (true) {
                long next;
                try {
                    next = awaitRecord(WaitLoop.FOREVER, abandoned, streamCheck);
                } catch (InterruptedException e) {
                    interrupted = true;
                    continue;
                }
                if (next == NONE) {
                    return discardPartial(); // the streaming producer died with nothing more published
                }
                len = (int) (next >>> 32);
                total = (int) next;
                if (total >= 0) {
                    return discardPartial(); // a new message: the producer died and another took over
                }
                if (total == ABORT) {
                    advance(RECORD_HEADER);
                    return discardPartial();
                }
                copyOut(len, dst);
                advance(recordSize(len));
                if (total == -1) {
                    finishMessage();
                    return true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean discardPartial() {
        b.setLongRelease(discardedAt, b.getLong(discardedAt) + 1);
        return false;
    }

    private void finishMessage() {
        b.setLongRelease(takenCountAt, b.getLong(takenCountAt) + 1);
    }

    /**
     * Waits until a record is published.
     *
     * @return the header {@code (length << 32) | (total & 0xFFFFFFFFL)}, or {@link #NONE}
     */
    private long awaitRecord(long timeoutNanos, BooleanSupplier stop, WaitLoop.SliceCheck check)
            throws InterruptedException {
        final long head = b.getLong(headAt);
        if (tailCache - head > 0) {
            return peekHeader(head, tailCache); // fast path: a tail seen before covers the head
        }
        long tail = b.getLongVolatile(tailAt);
        if (tail != head) {
            tailCache = tail;
            return peekHeader(head, tail); // fast path: no lambda, no allocation
        }
        final boolean[] stopped = {false};
        boolean found = WaitLoop.await(segment, tailWord, notEmptyWaiters, () -> {
            long t = b.getLongVolatile(tailAt);
            if (t != head) {
                return WaitLoop.DONE;
            }
            if (stop.getAsBoolean()) {
                stopped[0] = true;
                return WaitLoop.DONE;
            }
            return (int) t;
        }, check, timeoutNanos);
        tail = b.getLongVolatile(tailAt);
        if (!found || stopped[0] && tail == head) {
            return NONE;
        }
        tailCache = tail;
        return peekHeader(head, tail);
    }

    /**
     * Reads and validates the header at {@code head}, where a record is known to be published
     * ({@code tail} is a tail read with acquire semantics, by this thread or before the consumer
     * exclusion passed to it).
     */
    private long peekHeader(long head, long tail) {
        long used = tail - head;
        int idx = (int) (head & mask);
        int len = b.getInt(data + idx);
        int total = b.getInt(data + idx + 4);
        boolean valid = used >= RECORD_HEADER && used <= capacity && len >= 0 && len <= maxWhole()
                && recordSize(len) <= used
                && (total >= len || total < 0 && (total != ABORT || len == 0));
        if (!valid) {
            throw corrupt("record at position " + head + " has length=" + len + ", total=" + total + " with "
                    + used + " bytes published");
        }
        return ((long) len << 32) | (total & 0xFFFFFFFFL);
    }

    /** The header at the head, a record being known to be there: from the cached tail when it covers it. */
    private long peekHeader() {
        long head = b.getLong(headAt);
        if (tailCache - head <= 0) {
            tailCache = b.getLongVolatile(tailAt);
        }
        return peekHeader(head, tailCache);
    }

    /** @return the header at the head without waiting, or {@link #NONE} if the ring is empty */
    long peekMessageHeader() {
        return isEmpty() ? NONE : peekHeader();
    }

    private void copyOut(int length, ByteBuffer dst) {
        long head = b.getLong(headAt);
        int payload = (int) ((head + RECORD_HEADER) & mask);
        int first = Math.min(length, capacity - payload);
        int limit = dst.limit();
        dst.limit(dst.position() + first);
        b.getBytes(data + payload, dst);
        dst.limit(limit);
        if (first < length) {
            dst.limit(dst.position() + (length - first));
            b.getBytes(data, dst);
            dst.limit(limit);
        }
    }

    private void advance(int bytes) {
        b.setLongVolatile(headAt, b.getLong(headAt) + bytes); // volatile: ordered before the count read
        WaitLoop.wakeIfWaiting(b, headWord, notFullWaiters, Integer.MAX_VALUE);
    }

    /**
     * Wakes every thread sleeping on this ring, on either side, without changing it: used when the
     * other end of a pipe closes, so sleepers re-check and see it.
     */
    void wakeAll() {
        WaitLoop.wakeIfWaiting(b, tailWord, notEmptyWaiters, Integer.MAX_VALUE);
        WaitLoop.wakeIfWaiting(b, headWord, notFullWaiters, Integer.MAX_VALUE);
    }

    private CorruptSegmentException corrupt(String what) {
        return new CorruptSegmentException(description + " in segment '" + segment.name() + "' is corrupt: " + what);
    }
}
