package io.interproc.ipc.ring;

import static io.interproc.ipc.ring.RingDescriptor.ABORT;
import static io.interproc.ipc.ring.RingDescriptor.RECORD_HEADER;
import static io.interproc.ipc.ring.RingDescriptor.RECORD_LENGTH_OFFSET;
import static io.interproc.ipc.ring.RingDescriptor.RECORD_TOTAL_OFFSET;
import static io.interproc.ipc.ring.RingDescriptor.recordSize;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.Segment;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.wait.Deadline;
import io.interproc.core.wait.WaitLoop;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A byte ring of variable-length messages in shared memory (layout: {@link RingDescriptor}), for
 * exactly one producer and one consumer at a time. <b>Internal API</b> of the ipc modules: the
 * caller provides the exclusion (a queue's producer and consumer locks, a pipe's end claims) and
 * runs every call inside {@link Segment#beginOperation()} / {@link Segment#endOperation()}; the
 * ring itself is not thread-safe. Memory effects: the bytes of a message and everything its
 * producer did before {@link #write} happen-before the return of the read that completes it.
 */
public final class ByteRing {
    /*
     * Messages that fit the ring are written as one record and published at once; larger ones
     * are streamed in fragments of half the ring, with the guarantees documented on
     * RingDescriptor. Waiting follows WaitLoop: consumers sleep on the low half of the tail,
     * producers on the low half of the head. The fast paths below touch the other side's cache
     * line only when a cached position says they must. What happens when a producer or consumer
     * dies or gives up midway is RingRecovery's: the loops here only call it.
     */

    /** Returned by {@link #awaitMessage} when the wait ended without a message. */
    public static final long NONE = Long.MIN_VALUE;

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
    private final int pendingTailAt;
    private final int pendingPutAt;
    private final RingRecovery recovery;
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

    /**
     * Attaches to the ring at {@code relativeOffset} in {@code region}, checking its stored
     * capacity against the room there.
     *
     * @param region the object the ring is part of
     * @param relativeOffset where the ring starts in it
     * @param description what it is, for messages (e.g. {@code "SharedQueue 'jobs' ring"})
     * @throws CorruptSegmentException if the stored capacity is out of range or not a power of two
     */
    public ByteRing(ObjectRegion region, int relativeOffset, String description) {
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
        this.pendingTailAt = base + RingDescriptor.PENDING_TAIL_OFFSET;
        this.pendingPutAt = base + RingDescriptor.PENDING_PUT_OFFSET;
        this.notEmptyWaiters = base + RingDescriptor.NOT_EMPTY_WAITERS_OFFSET;
        this.notFullWaiters = base + RingDescriptor.NOT_FULL_WAITERS_OFFSET;
        this.recovery = new RingRecovery(segment, b, base);
    }

    /**
     * Writes the header of a new ring into zeroed memory (from an object's initialiser).
     *
     * @param buffer the segment's buffer
     * @param ringOffset absolute offset of the ring
     * @param capacity its capacity, from {@link RingDescriptor#capacityFor}
     */
    public static void initialise(SharedBuffer buffer, int ringOffset, int capacity) {
        buffer.setInt(ringOffset + RingDescriptor.CAPACITY_OFFSET, capacity);
    }

    /** @return data bytes, a power of two */
    public int capacity() {
        return capacity;
    }

    /** @return the largest payload sent as a single record (anything larger is streamed) */
    public int maxWhole() {
        return RingDescriptor.maxWhole(capacity);
    }

    /** @return complete messages published (volatile read) */
    public long messagesPut() {
        return b.getLongVolatile(putCountAt);
    }

    /** @return complete messages removed (volatile read) */
    public long messagesTaken() {
        return b.getLongVolatile(takenCountAt);
    }

    /** @return messages a consumer gave up mid-stream, skipped and counted since (volatile read) */
    public long messagesLost() {
        return recovery.messagesLost();
    }

    /** @return streamed messages whose producer died or gave up midway (volatile read) */
    public long partialsDiscarded() {
        return recovery.partialsDiscarded();
    }

    /** @return complete messages in the ring: put, minus taken, minus lost to a dead consumer */
    public long messages() {
        return messagesPut() - messagesTaken() - messagesLost();
    }

    /** @return consumers sleeping until the ring is not empty (volatile read; for inspection) */
    public int consumersSleeping() {
        return Math.max(0, b.getIntVolatile(notEmptyWaiters));
    }

    /** @return producers sleeping until the ring has room (volatile read; for inspection) */
    public int producersSleeping() {
        return Math.max(0, b.getIntVolatile(notFullWaiters));
    }

    /** @return bytes published and not yet consumed */
    public long usedBytes() {
        return b.getLongVolatile(tailAt) - b.getLongVolatile(headAt);
    }

    /** @return true if no record is published */
    public boolean isEmpty() {
        return b.getLongVolatile(tailAt) == b.getLongVolatile(headAt);
    }

    // ------------------------------------------------------------------ producer side

    /**
     * Writes one message. The caller must be the only producer, inside
     * {@link Segment#beginOperation()} / {@link Segment#endOperation()}.
     *
     * @param src the message: its remaining bytes; its position advances past what was written
     *     only on success
     * @param timeoutNanos how long to wait for room, {@code <= 0} try once, {@link WaitLoop#FOREVER}
     * @param check run after each wait slice
     * @return true if the whole message was published; false on timeout, with nothing a consumer
     *     would return (a streamed message that was started is ended with an abort marker)
     * @throws InterruptedException if interrupted while waiting (a started stream is aborted first)
     * @throws IllegalStateException if the segment was closed before the message was complete
     *     (a started stream is aborted first; nothing is published after the close is seen)
     */
    public boolean write(ByteBuffer src, long timeoutNanos, WaitLoop.SliceCheck check) throws InterruptedException {
        int len = src.remaining();
        long tail = b.getLongVolatile(tailAt);
        int need = recordSize(len);
        if (need <= capacity) {
            if (!awaitRoom(tail, need, timeoutNanos, check)) {
                return false;
            }
            writeRecord(tail, len, len, src);
            publishTail(tail, tail + need, 1);
            return true;
        }
        return writeStream(src, tail, timeoutNanos, check);
    }

    /**
     * Writes {@code messages[from..to)} in order, each as {@link #write} would, but publishes the
     * tail (and the put count, and checks for sleeping consumers) once per run of messages instead
     * of once per message: a consumer sees a run whole or not at all. A run ends where the ring is
     * full, before a message streamed in fragments, and at {@code to}; the written part of a run is
     * published before the call waits for room, streams, or returns. The head is read only when the
     * room known from the last read runs out. The caller must be the only producer, inside
     * {@link Segment#beginOperation()} / {@link Segment#endOperation()}.
     *
     * @param messages the messages: the remaining bytes of each; the position of each one written
     *     advances to its limit, the others' stay
     * @param from the first index
     * @param to one past the last index
     * @param timeoutNanos for the whole call: {@code <= 0} writes what fits now,
     *     {@link WaitLoop#FOREVER} waits as long as it takes
     * @param check run after each wait slice
     * @return how many messages were published, {@code from}'s first; if the thread was
     *     interrupted while waiting after some were, their count, with the interrupt status set
     * @throws InterruptedException if interrupted while waiting before any message was published
     */
    public int writeAll(ByteBuffer[] messages, int from, int to, long timeoutNanos, WaitLoop.SliceCheck check)
            throws InterruptedException {
        final long deadline = CallDeadline.of(timeoutNanos);
        long runStart = b.getLongVolatile(tailAt);
        long tail = runStart;
        int run = 0; // records written from runStart on, not yet published
        int published = 0;
        try {
            for (int i = from; i < to; i++) {
                ByteBuffer m = messages[i];
                int len = m.remaining();
                int need = recordSize(len);
                if (need > capacity || !knownRoom(tail, need) && !hasRoom(tail, need)) {
                    // Streamed, or no room: publish the run before streaming or waiting.
                    if (run > 0) {
                        publishTail(runStart, tail, run);
                        published += run;
                        run = 0;
                        runStart = tail;
                    }
                    try {
                        if (need > capacity) {
                            if (!writeStream(m, tail, CallDeadline.left(deadline), check)) {
                                return published;
                            }
                            published++;
                            tail = b.getLongVolatile(tailAt); // the stream published itself
                            runStart = tail;
                            continue;
                        }
                        if (!awaitRoom(tail, need, CallDeadline.left(deadline), check)) {
                            return published;
                        }
                    } catch (InterruptedException e) {
                        if (published == 0) {
                            throw e;
                        }
                        Thread.currentThread().interrupt(); // the count says what was put
                        return published;
                    }
                }
                writeRecord(tail, len, len, m);
                tail += need;
                run++;
            }
        } finally {
            if (run > 0) { // also when a bad element (null) ends the call: what was copied is whole
                publishTail(runStart, tail, run);
                published += run;
            }
        }
        return published;
    }

    private boolean writeStream(ByteBuffer src, long tail, long timeoutNanos, WaitLoop.SliceCheck check)
            throws InterruptedException {
        final int total = src.remaining();
        final int fragment = RingDescriptor.fragment(capacity);
        final long deadline = Deadline.after(timeoutNanos);
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
                long left = first ? timeoutNanos : Deadline.remainingOrZero(deadline);
                if (!awaitRoom(tail, need + (last ? 0 : RECORD_HEADER), left, check)) {
                    if (!first) {
                        tail = abort(tail);
                    }
                    src.position(start);
                    return false;
                }
                // Closed meanwhile: stop at a fragment boundary. The slot is still ours (the
                // operation has not ended), so nobody has taken the producer side over.
                segment.ensureOpen();
                writeRecord(tail, n, first ? total : -1 - (remaining - n), src);
                tail += need;
                remaining -= n;
                publishTail(tail - need, tail, last ? 1 : 0);
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
            b.compareAndSetInt(streamOwnerAt, segment.ownerId(), 0);
        }
    }

    /**
     * Ends a started stream with an abort marker. Safe even once the segment is closed: the
     * caller runs inside {@link Segment#beginOperation()}, so the process slot, and with it the
     * producer lock or pipe end, is still this attachment's. Room for the marker was kept.
     */
    private long abort(long tail) {
        int at = recordAt(tail);
        b.setInt(at + RECORD_LENGTH_OFFSET, 0);
        b.setInt(at + RECORD_TOTAL_OFFSET, ABORT);
        publishTail(tail, tail + RECORD_HEADER, 0);
        return tail + RECORD_HEADER;
    }

    /**
     * Makes a writer that waits for room give up (as on a timeout) once {@code stop} says so: a
     * pipe's sender stops when the receiving end is closed, which the closer announces only by
     * waking this ring. Set once, by the owner of the ring, before it is written to.
     */
    public void stopWritingWhen(BooleanSupplier stop) {
        this.writeStop = stop;
    }

    private volatile BooleanSupplier writeStop = () -> false;

    /**
     * A timed read gives a streamed message up once its timeout has passed and no fragment has
     * come for this long, so that a short poll does not throw away a message still arriving.
     */
    public static final long STREAM_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private boolean awaitRoom(long tail, int need, long timeoutNanos, WaitLoop.SliceCheck check)
            throws InterruptedException {
        if (knownRoom(tail, need)) {
            return true; // fast path: no shared read at all
        }
        if (hasRoom(tail, need)) {
            return true; // fast path: no lambda, no allocation
        }
        if (timeoutNanos <= 0) { // try once: what WaitLoop.await would do, without building its attempt
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return false;
        }
        RoomWait w = roomWait;
        w.tail = tail;
        w.need = need;
        w.stop = writeStop;
        return WaitLoop.await(segment, headWord, notFullWaiters, w, check, timeoutNanos, ROOM_WAIT_PAUSES)
                && hasRoom(tail, need); // stopped without room: as on a timeout
    }

    /**
     * The producer's attempt while it waits for room: one per ring, reused under the producer
     * exclusion, so that a wait allocates nothing (garbage on the wait path cost a ping-pong its
     * p99: collections, and first touches of fresh heap pages).
     */
    private final class RoomWait implements WaitLoop.Attempt {
        long tail;
        int need;
        BooleanSupplier stop;

        @Override
        public long attempt() {
            return hasRoom(tail, need) || stop.getAsBoolean() ? WaitLoop.DONE : (int) headCache;
        }
    }

    /**
     * The consumer's attempt while it waits for a record at {@code head}: one per ring, reused
     * under the consumer exclusion (as {@link RoomWait}).
     */
    private final class TailWait implements WaitLoop.Attempt {
        long head;
        BooleanSupplier stop;
        boolean stopped;

        @Override
        public long attempt() {
            long t = b.getLongVolatile(tailAt);
            if (t != head) {
                return WaitLoop.DONE;
            }
            if (stop.getAsBoolean()) {
                stopped = true;
                return WaitLoop.DONE;
            }
            return (int) t;
        }
    }

    private final RoomWait roomWait = new RoomWait();
    /**
     * Spin pauses between two looks at the head by a producer waiting for room (about 0.7 µs):
     * every look takes the head's line from the consumer, whose next head store then waits for
     * it; with a full ring the consumer has a backlog, so looking less often costs no throughput
     * (measured, 8-byte messages between two JVMs: 9.3 M/s before, 14.7 M/s after).
     */
    private static final int ROOM_WAIT_PAUSES = 32;
    private final TailWait tailWait = new TailWait();

    /** Says whether {@code need} bytes fit by the head seen last (a lower bound): no shared read. */
    private boolean knownRoom(long tail, int need) {
        long used = tail - headCache;
        return used >= 0 && capacity - used >= need;
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
        copyPayload(pos, length, src, true);
        int at = recordAt(pos);
        b.setInt(at + RECORD_LENGTH_OFFSET, length);
        b.setInt(at + RECORD_TOTAL_OFFSET, total);
    }

    /**
     * Copies the payload of the record at {@code pos}, wrapping round the end of the data area,
     * between the ring and {@code buf} (from its position, which advances by {@code length}).
     */
    private void copyPayload(long pos, int length, ByteBuffer buf, boolean intoRing) {
        int payload = (int) ((pos + RECORD_HEADER) & mask);
        int first = Math.min(length, capacity - payload);
        int limit = buf.limit();
        buf.limit(buf.position() + first);
        transfer(data + payload, buf, intoRing);
        buf.limit(limit);
        if (first < length) {
            buf.limit(buf.position() + (length - first));
            transfer(data, buf, intoRing);
            buf.limit(limit);
        }
    }

    private void transfer(int at, ByteBuffer buf, boolean intoRing) {
        if (intoRing) {
            b.putBytes(at, buf);
        } else {
            b.getBytes(at, buf);
        }
    }

    /*
     * When a producer calls into the kernel. A consumer sleeps on the tail's low word with the
     * value it saw, and only after it found the ring empty: so the value it sleeps on is a tail
     * equal to its own head, and every sleeper of the word slept on a tail t after the head had
     * reached t. A publication from `prev` to a new tail therefore needs a wake-up only if a
     * consumer may sleep on `prev` itself, which needs head >= prev: a consumer sleeping on an
     * older tail was woken by the publication from that tail (induction on this same rule), or
     * the kernel refuses its sleep because the word has moved on. The head is read only when the
     * waiter count is above 0, and after it: a consumer registers (volatile add) after it
     * published its head, so a producer that sees the registration sees that head, and one that
     * does not see it is covered by WaitLoop's rule (the consumer's re-check after registering
     * sees the new tail). So a consumer that is awake and working through a backlog, with its
     * registration not yet undone, costs its producer no system call per message; the first
     * publication after it caught up still wakes it.
     */
    private void publishTail(long prev, long tail, int messagesCompleted) {
        if (messagesCompleted > 0) {
            long base = b.getLong(putCountAt);
            long put = base + messagesCompleted;
            // Pending count (the count before, plus one), then pending tail, then count, then
            // tail: see RingDescriptor.
            b.setLong(pendingPutAt, base + 1);
            b.setLongRelease(pendingTailAt, tail);
            b.setLongRelease(putCountAt, put);
            if (RingTestHooks.STOP_BETWEEN_COUNT_AND_PUBLISH) {
                RingTestHooks.stopBetweenCountAndPublish();
            }
        }
        b.setLongVolatile(tailAt, tail); // volatile: ordered before the waiter-count read below
        if (b.getIntVolatile(notEmptyWaiters) > 0 && b.getLongVolatile(headAt) - prev >= 0) {
            WaitLoop.wakeIfWaiting(b, tailWord, notEmptyWaiters, Integer.MAX_VALUE);
        }
    }

    /**
     * Undoes the count of a message whose producer died after counting it and before publishing
     * it. Call only while holding the producer exclusion (lock or pipe end), after taking it: no
     * live producer is then between the two steps, so a pending tail ahead of the tail is a dead
     * one's. Costs two reads of the producer's own cache line when there is nothing to do.
     *
     * @return true if the count was corrected
     */
    public boolean reconcilePutCount() {
        return recovery.reconcilePutCount();
    }

    /**
     * @return true if a producer has counted a message it has not published yet: a live one is
     *     about to, a dead one never will ({@link #reconcilePutCount()} undoes that)
     */
    public boolean hasUnpublishedPut() {
        return recovery.hasUnpublishedPut();
    }

    // ------------------------------------------------------------------ consumer side

    /** {@link #readMessage}: the whole message was read. */
    public static final int COMPLETE = 0;
    /** {@link #readMessage}: its producer died or aborted midway; the part read is discarded. */
    public static final int DISCARDED = 1;
    /**
     * {@link #readMessage}: the timeout passed mid-stream; this consumer gave the message up, and
     * the rest of it will be skipped and counted in {@link #messagesLost()}.
     */
    public static final int GAVE_UP = 2;

    /**
     * Waits for the start of the next message, skipping what earlier failures left (the rest of a
     * stream whose consumer died or gave up, stray abort markers). The caller must be the only
     * consumer.
     *
     * @param timeoutNanos how long to wait
     * @param stop checked on every try: true ends the wait with {@link #NONE}
     * @param check run after each wait slice
     * @return the message's total size, or {@link #NONE} on timeout or stop
     * @throws InterruptedException if interrupted while waiting
     */
    public long awaitMessage(long timeoutNanos, BooleanSupplier stop, WaitLoop.SliceCheck check) throws InterruptedException {
        final long deadline = CallDeadline.of(timeoutNanos); // no clock read unless timed
        while (true) {
            long header = awaitRecord(CallDeadline.left(deadline), stop, check);
            if (header == NONE) {
                return NONE;
            }
            int len = RecordHeader.length(header);
            int total = RecordHeader.total(header);
            if (recovery.startsMessage(len, total)) {
                return total; // whole message or first fragment
            }
            advance(recordSize(len)); // what an earlier failure left: skipped and counted
        }
    }

    /**
     * Reads the message whose start {@link #awaitMessage} found. For a streamed message, waits for
     * the rest while its producer lives: with {@link WaitLoop#FOREVER}, as long as it takes;
     * otherwise until {@code timeoutNanos} has passed <em>and</em> no fragment has arrived for
     * one wait slice ({@link #GAVE_UP}), so that a try-once or short poll does not give up a
     * message its producer is still streaming at full speed.
     *
     * @param sink destination
     * @param timeoutNanos how long the caller still wants to wait
     * @param check run after each wait slice; what it throws ends the read as an interrupt does
     * @return {@link #COMPLETE}, {@link #DISCARDED} (the caller may look for the next message) or
     *     {@link #GAVE_UP}
     * @throws InterruptedException if interrupted mid-stream: the message is given up as on
     *     {@link #GAVE_UP}, and the interrupt status is cleared
     * @throws IllegalStateException if the segment is closed mid-stream: given up likewise
     * @throws CorruptSegmentException if a header contradicts the message it belongs to
     */
    int readMessage(ArraySink sink, long timeoutNanos, WaitLoop.SliceCheck check) throws InterruptedException {
        return read(null, sink, timeoutNanos, check);
    }

    /**
     * As {@link #readMessage(ArraySink, long, WaitLoop.SliceCheck)}, into a caller's buffer with at
     * least the message's size remaining (the caller checks); allocates nothing for a whole
     * message. On any outcome but {@link #COMPLETE} the buffer holds garbage from its position on.
     */
    public int readMessage(ByteBuffer dst, long timeoutNanos, WaitLoop.SliceCheck check) throws InterruptedException {
        return read(dst, null, timeoutNanos, check);
    }

    private int read(ByteBuffer dst, ArraySink sink, long timeoutNanos, WaitLoop.SliceCheck check)
            throws InterruptedException {
        long header = peekHeader();
        int len = RecordHeader.length(header);
        int total = RecordHeader.total(header);
        long head = b.getLong(headAt);
        copyPayload(head, len, sink == null ? dst : sink.reserve(len), false);
        advance(recordSize(len));
        if (total == len) {
            finishMessage();
            return COMPLETE;
        }
        long missing = (long) total - len;
        final long deadline = Deadline.after(timeoutNanos);
        long lastProgress = System.nanoTime();
        RingRecovery.StreamWatch abandoned = recovery.watchStream(check);
        boolean givenUp = true;
        try {
            while (true) {
                segment.ensureOpen(); // closed: give the message up at a fragment boundary
                long graceEnd = lastProgress + STREAM_GRACE_NANOS; // whichever ends later
                long wait = Deadline.remainingOrZero(deadline - graceEnd >= 0 ? deadline : graceEnd);
                head = b.getLong(headAt);
                long next = awaitRecord(wait, abandoned, abandoned);
                if (next == NONE) {
                    if (abandoned.getAsBoolean()) {
                        givenUp = false;
                        return discardPartial(); // the streaming producer died with nothing more published
                    }
                    return GAVE_UP;
                }
                len = RecordHeader.length(next);
                total = RecordHeader.total(next);
                if (total >= 0) {
                    givenUp = false;
                    return discardPartial(); // a new message: the producer died and another took over
                }
                if (total == ABORT) {
                    givenUp = false;
                    advance(RECORD_HEADER);
                    return discardPartial();
                }
                long rest = -1L - total;
                if (len + rest != missing) {
                    throw corrupt("continuation at position " + head + " has length=" + len + ", total=" + total
                            + " (" + rest + " bytes after it) but the message lacks " + missing + " bytes");
                }
                copyPayload(head, len, sink == null ? dst : sink.reserve(len), false);
                advance(recordSize(len));
                missing = rest;
                lastProgress = System.nanoTime();
                if (rest == 0) {
                    givenUp = false;
                    finishMessage();
                    return COMPLETE;
                }
            }
        } finally {
            if (givenUp) {
                recovery.orphanRest(); // the next consumer skips the rest and counts it
            }
        }
    }

    /**
     * Reads up to {@code max} whole messages from the head, handing each to {@code target}, and
     * publishes the head and the count of messages taken once for all of them (one volatile
     * store, one check for sleeping producers), as Agrona's consumers do. Stops before anything
     * that is not a whole message (a fragment, an abort marker, the rest of an orphaned stream)
     * and when what was published is used up (the tail is read again once then). The caller must
     * be the only consumer.
     *
     * <p>Crash safety: the head is published after the last copy, so a consumer killed in the
     * middle of a batch leaves every message of it for the next consumer (a target with side
     * effects outside its process may then see some twice). A target that throws ends the
     * batch; the message it was given counts as removed.
     *
     * @param max most messages to read, {@code >= 1}
     * @param target where each goes
     * @return messages read, 0 if the head is not a whole message or nothing is published
     * @throws CorruptSegmentException if a header contradicts the ring
     */
    public int drainWhole(int max, DrainTarget target) {
        if (b.getInt(recovery.skippingAt()) != 0) {
            return 0; // the per-message path skips and counts the orphaned rest
        }
        final long head = b.getLong(headAt);
        long tail = tailCache;
        if (tail - head <= 0) {
            tail = b.getLongVolatile(tailAt);
            tailCache = tail;
        }
        long pos = head;
        int n = 0;
        boolean tailRead = false;
        try {
            while (n < max) {
                if (tail - pos <= 0) {
                    if (tailRead) {
                        break;
                    }
                    tailRead = true; // one more look per batch, so a batch takes what came meanwhile
                    tail = b.getLongVolatile(tailAt);
                    tailCache = tail;
                    if (tail - pos <= 0) {
                        break;
                    }
                }
                int at = recordAt(pos);
                int len = b.getInt(at + RECORD_LENGTH_OFFSET);
                int total = b.getInt(at + RECORD_TOTAL_OFFSET);
                if (total != len) {
                    break; // a fragment, an abort marker or garbage: the per-message path decides
                }
                String violation = RecordHeader.violation(len, total, tail - pos, capacity);
                if (violation != null) {
                    throw corrupt("record at position " + pos + " has length=" + len + ", total=" + total + " with "
                            + (tail - pos) + " bytes published" + violation);
                }
                ByteBuffer dst = target.bufferFor(len);
                copyPayload(pos, len, dst, false);
                dst.flip();
                pos += recordSize(len);
                n++;
                target.accept(dst);
            }
        } finally {
            if (n > 0) {
                b.setLongVolatile(headAt, pos); // volatile: ordered before the count read below
                WaitLoop.wakeIfWaiting(b, headWord, notFullWaiters, Integer.MAX_VALUE);
                b.setLongRelease(takenCountAt, b.getLong(takenCountAt) + n);
            }
        }
        return n;
    }

    private int discardPartial() {
        recovery.countDiscarded();
        return DISCARDED;
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
        if (timeoutNanos <= 0) { // try once on an empty ring: as WaitLoop.await, without its lambda
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return NONE;
        }
        TailWait w = tailWait;
        w.head = head;
        w.stop = stop;
        w.stopped = false;
        boolean found = WaitLoop.await(segment, tailWord, notEmptyWaiters, w, check, timeoutNanos);
        tail = b.getLongVolatile(tailAt);
        if (!found || w.stopped && tail == head) {
            return NONE;
        }
        tailCache = tail;
        return peekHeader(head, tail);
    }

    /**
     * Reads and validates the header at {@code head}, where a record is known to be published
     * ({@code tail} is a tail read with acquire semantics, by this thread or before the consumer
     * exclusion passed to it). The rules are listed on {@link RingDescriptor}.
     */
    private long peekHeader(long head, long tail) {
        long used = tail - head;
        int at = recordAt(head);
        int len = b.getInt(at + RECORD_LENGTH_OFFSET);
        int total = b.getInt(at + RECORD_TOTAL_OFFSET);
        String violation = RecordHeader.violation(len, total, used, capacity);
        if (violation != null) {
            throw corrupt("record at position " + head + " has length=" + len + ", total=" + total + " with "
                    + used + " bytes published" + violation);
        }
        return RecordHeader.pack(len, total);
    }

    /** @return absolute offset of the record at ring position {@code pos} */
    private int recordAt(long pos) {
        return data + (int) (pos & mask);
    }

    /** The header at the head, a record being known to be there: from the cached tail when it covers it. */
    private long peekHeader() {
        long head = b.getLong(headAt);
        if (tailCache - head <= 0) {
            tailCache = b.getLongVolatile(tailAt);
        }
        return peekHeader(head, tailCache);
    }

    private void advance(int bytes) {
        b.setLongVolatile(headAt, b.getLong(headAt) + bytes); // volatile: ordered before the count read
        WaitLoop.wakeIfWaiting(b, headWord, notFullWaiters, Integer.MAX_VALUE);
    }

    /**
     * Wakes every thread sleeping on this ring, on either side, without changing it: used when the
     * other end of a pipe closes, so sleepers re-check and see it.
     */
    public void wakeAll() {
        WaitLoop.wakeIfWaiting(b, tailWord, notEmptyWaiters, Integer.MAX_VALUE);
        WaitLoop.wakeIfWaiting(b, headWord, notFullWaiters, Integer.MAX_VALUE);
    }

    private CorruptSegmentException corrupt(String what) {
        return new CorruptSegmentException(description + " in segment '" + segment.name() + "' is corrupt: " + what);
    }
}
