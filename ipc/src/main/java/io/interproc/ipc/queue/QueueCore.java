package io.interproc.ipc.queue;

import io.interproc.core.BufferTooSmallException;
import io.interproc.core.CorruptSegmentException;
import io.interproc.core.Segment;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.spi.ObjectInitializer;
import io.interproc.core.spi.ObjectKind;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.wait.WaitLoop;
import io.interproc.ipc.IpcKinds;
import io.interproc.ipc.ring.ByteRing;
import io.interproc.ipc.ring.CallDeadline;
import io.interproc.ipc.ring.DrainTarget;
import io.interproc.ipc.ring.RingDescriptor;
import io.interproc.ipc.ring.RingReader;
import io.interproc.sync.SharedLock;
import io.interproc.sync.internal.LockInspector;
import io.interproc.sync.internal.SyncKinds;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The mechanics shared by {@link SharedQueue}, {@link JoinableQueue} and {@link SimpleQueue}:
 * bytes in and out of the ring under the producer and consumer locks, counts, and the join state.
 * Layout: {@link QueueDescriptor}. Thread-safe.
 */
final class QueueCore {
    private static final BooleanSupplier NEVER = () -> false;

    private final Segment segment;
    private final SharedBuffer b;
    private final String name;
    private final String description;
    private final SharedLock producer;
    private final SharedLock consumer;
    private final ByteRing ring;
    private final int doneAt;
    private final int doneWord;
    private final int joinWaitersAt;
    private final int undecodableAt;
    private final WaitLoop.SliceCheck openCheck;
    /** Waits for the start of the next message; a queue's consumers stop only on a timeout. */
    private final RingReader.MessageStart<RuntimeException> nextMessage;

    private QueueCore(ObjectRegion region) {
        this.segment = region.segment();
        this.b = region.buffer();
        this.name = region.name();
        this.description = region.kind() + " '" + name + "'";
        checkHeader(region);
        this.producer = SharedLock.embedded(region.part(name + ".producer", SyncKinds.LOCK,
                QueueDescriptor.PRODUCER_LOCK_OFFSET, QueueDescriptor.LOCK_SIZE));
        this.consumer = SharedLock.embedded(region.part(name + ".consumer", SyncKinds.LOCK,
                QueueDescriptor.CONSUMER_LOCK_OFFSET, QueueDescriptor.LOCK_SIZE));
        this.ring = new ByteRing(region, QueueDescriptor.RING_OFFSET, description + " ring");
        this.doneAt = region.offset() + QueueDescriptor.TASKS_DONE_OFFSET;
        this.doneWord = doneAt + RingDescriptor.LOW_HALF;
        this.joinWaitersAt = region.offset() + QueueDescriptor.JOIN_WAITERS_OFFSET;
        this.undecodableAt = region.offset() + QueueDescriptor.UNDECODABLE_OFFSET;
        this.openCheck = segment::ensureOpen;
        this.nextMessage = timeoutNanos -> ring.awaitMessage(timeoutNanos, NEVER, openCheck);
    }

    /**
     * Checks what the header says against the region before any part of it is used, so that a
     * damaged or truncated queue is a {@link CorruptSegmentException} naming the values.
     */
    private static void checkHeader(ObjectRegion region) {
        region.checkStored("length", region.length(), QueueDescriptor.size(RingDescriptor.MIN_CAPACITY),
                Integer.MAX_VALUE);
        SharedBuffer buf = region.buffer();
        int capacity = buf.getInt(region.offset() + QueueDescriptor.CAPACITY_OFFSET);
        int ringCapacity = buf.getInt(region.offset() + QueueDescriptor.RING_OFFSET + RingDescriptor.CAPACITY_OFFSET);
        int flags = buf.getInt(region.offset() + QueueDescriptor.FLAGS_OFFSET);
        int expectedFlags = region.kind() == IpcKinds.JOINABLE_QUEUE ? QueueDescriptor.FLAG_JOINABLE : 0;
        String problem = null;
        if (capacity < RingDescriptor.MIN_CAPACITY || capacity > RingDescriptor.MAX_CAPACITY
                || Integer.bitCount(capacity) != 1) {
            problem = "capacity=" + capacity + " is not a power of two in [" + RingDescriptor.MIN_CAPACITY + ", "
                    + RingDescriptor.MAX_CAPACITY + "]";
        } else if (region.length() < QueueDescriptor.size(capacity)) {
            problem = "length=" + region.length() + " is less than the " + QueueDescriptor.size(capacity)
                    + " bytes a queue of capacity=" + capacity + " needs";
        } else if (ringCapacity != capacity) {
            problem = "ring capacity=" + ringCapacity + " differs from the queue's capacity=" + capacity;
        } else if (flags != expectedFlags) {
            problem = "flags=" + flags + " where a " + region.kind() + " has flags=" + expectedFlags;
        }
        if (problem != null) {
            throw new CorruptSegmentException(region.kind() + " '" + region.name() + "' in segment '"
                    + region.segment().name() + "' is corrupt: " + problem);
        }
    }

    static QueueCore create(Segment segment, String name, ObjectKind kind, long capacity) {
        int ringCapacity = RingDescriptor.capacityFor(capacity);
        return new QueueCore(segment.createObject(name, kind, QueueDescriptor.size(ringCapacity),
                init(kind, ringCapacity)));
    }

    static QueueCore open(Segment segment, String name, ObjectKind kind) {
        return new QueueCore(segment.openObject(name, kind));
    }

    static QueueCore openOrCreate(Segment segment, String name, ObjectKind kind, long capacity) {
        int ringCapacity = RingDescriptor.capacityFor(capacity);
        return new QueueCore(segment.openOrCreateObject(name, kind, QueueDescriptor.size(ringCapacity),
                init(kind, ringCapacity)));
    }

    private static ObjectInitializer init(ObjectKind kind, int ringCapacity) {
        int flags = kind == IpcKinds.JOINABLE_QUEUE ? QueueDescriptor.FLAG_JOINABLE : 0;
        return (buf, at, length) -> {
            buf.setInt(at + QueueDescriptor.CAPACITY_OFFSET, ringCapacity);
            buf.setInt(at + QueueDescriptor.FLAGS_OFFSET, flags);
            ByteRing.initialise(buf, at + QueueDescriptor.RING_OFFSET, ringCapacity);
        };
    }

    String name() {
        return name;
    }

    Segment segment() {
        return segment;
    }

    int capacity() {
        segment.ensureOpen();
        return ring.capacity();
    }

    int maxWholeMessage() {
        return ring.maxWhole();
    }

    // ---------------------------------------------------------------- put

    /**
     * @param src the message, its remaining bytes
     * @param timeoutNanos {@code <= 0} try once, {@link WaitLoop#FOREVER} block
     * @return true if put
     */
    boolean offer(ByteBuffer src, long timeoutNanos) throws InterruptedException {
        // No lock-free "full" answer here (unlike poll's "empty"): the process pool's dispatcher
        // queues jobs behind a busy worker with try-once offers and relies on the few microseconds
        // the locked path takes for the worker to make room (PoolTest.shouldImapUnorderedEveryResultOnce).
        long deadline = CallDeadline.of(timeoutNanos);
        segment.beginOperation(); // close() keeps our slot (so the lock) until the write has stopped
        try {
            if (!acquire(producer, timeoutNanos)) {
                return false;
            }
            try {
                ring.reconcilePutCount(); // a producer killed between counting and publishing
                return ring.write(src, CallDeadline.left(deadline), openCheck);
            } finally {
                producer.unlockAfterOperation();
            }
        } finally {
            segment.endOperation();
        }
    }

    /**
     * Puts {@code messages[from..to)} in order under one hold of the producer lock, publishing
     * once per run ({@link ByteRing#writeAll}).
     *
     * @param timeoutNanos for the whole call (the wait for the lock counts): {@code <= 0} puts what
     *     fits now, {@link WaitLoop#FOREVER} blocks
     * @return messages put
     */
    int offerAll(ByteBuffer[] messages, int from, int to, long timeoutNanos) throws InterruptedException {
        if (from == to) {
            segment.ensureOpen();
            return 0;
        }
        long deadline = CallDeadline.of(timeoutNanos);
        segment.beginOperation();
        try {
            if (!acquire(producer, timeoutNanos)) {
                return 0;
            }
            try {
                ring.reconcilePutCount();
                return ring.writeAll(messages, from, to, CallDeadline.left(deadline), openCheck);
            } finally {
                producer.unlockAfterOperation();
            }
        } finally {
            segment.endOperation();
        }
    }

    // ---------------------------------------------------------------- take

    /**
     * @return the message's bytes, or {@code null} on timeout
     */
    byte[] poll(long timeoutNanos) throws InterruptedException {
        if (timeoutNanos <= 0 && ring.isEmpty()) {
            seenEmpty();
            return null;
        }
        long deadline = CallDeadline.of(timeoutNanos); // the wait for the lock counts
        segment.beginOperation();
        try {
            if (!acquire(consumer, timeoutNanos)) {
                return null;
            }
            try {
                return RingReader.read(ring, deadline, nextMessage, openCheck);
            } finally {
                consumer.unlockAfterOperation();
            }
        } finally {
            segment.endOperation();
        }
    }

    /**
     * @return the message's size (its bytes now in {@code dst}), or -1 on timeout
     * @throws BufferTooSmallException if {@code dst} lacks room; the message stays queued
     */
    int poll(ByteBuffer dst, long timeoutNanos) throws InterruptedException {
        return poll(dst, timeoutNanos, false);
    }

    /**
     * As {@link #poll(ByteBuffer, long)}; with {@code whole}, the timeout bounds only the wait for
     * a message to start: once it has, its fragments are awaited as long as its producer lives
     * (the read still ends when the producer dies or aborts, or the segment closes). For readers
     * that must never give up a message half-read, such as the process pool's result collector.
     */
    int poll(ByteBuffer dst, long timeoutNanos, boolean whole) throws InterruptedException {
        if (timeoutNanos <= 0 && ring.isEmpty()) {
            seenEmpty();
            return -1;
        }
        long deadline = CallDeadline.of(timeoutNanos); // the wait for the lock counts
        segment.beginOperation();
        try {
            if (!acquire(consumer, timeoutNanos)) {
                return -1;
            }
            try {
                return RingReader.readInto(ring, dst, deadline, whole, nextMessage, openCheck);
            } finally {
                consumer.unlockAfterOperation();
            }
        } finally {
            segment.endOperation();
        }
    }

    /**
     * Takes up to {@code max} messages under one hold of the consumer lock, publishing the head
     * once per batch of whole messages ({@link RingReader#drain}).
     *
     * @param target where each message goes
     * @param max most messages; {@code <= 0} takes none
     * @param timeoutNanos how long to wait for the first message ({@code <= 0}: not at all)
     * @return messages taken
     */
    int drain(DrainTarget target, int max, long timeoutNanos) throws InterruptedException {
        if (max <= 0 || timeoutNanos <= 0 && ring.isEmpty()) {
            seenEmpty();
            return 0;
        }
        long deadline = CallDeadline.of(timeoutNanos); // the wait for the lock counts
        segment.beginOperation();
        try {
            if (!acquire(consumer, timeoutNanos)) {
                return 0;
            }
            try {
                return RingReader.drain(ring, max, target, deadline, nextMessage, openCheck);
            } finally {
                consumer.unlockAfterOperation();
            }
        } finally {
            segment.endOperation();
        }
    }

    /**
     * A buffer for one message of a batch take: this handle's own, grown to the largest message
     * seen. Used only by the holder of the consumer lock, between its copy and the handler's
     * return, so one buffer per handle suffices (a lock hand-off orders the uses of two threads).
     *
     * @param length the message's size
     * @return the buffer, position 0, limit {@code length}
     */
    ByteBuffer scratch(int length) {
        ByteBuffer s = scratch;
        if (s == null || s.capacity() < length) {
            s = ByteBuffer.allocate(Math.max(length, 256));
            scratch = s;
        }
        s.clear().limit(length);
        return s;
    }

    /** See {@link #scratch(int)}; guarded by the consumer lock. */
    private ByteBuffer scratch;

    /**
     * The answer of a try-once take that saw, before any lock, an empty ring
     * (reads of the tail and the head only, which are safe without an operation: the mapping
     * outlives the handle, and nothing is written). It behaves as the locked path would have:
     * a closed segment is an {@link IllegalStateException}, an interrupted thread an
     * {@link InterruptedException} (the callers without a timeout turn it back into the status).
     */
    private void seenEmpty() throws InterruptedException {
        segment.ensureOpen();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    /** Counts a message that was taken but could not be decoded. */
    void countUndecodable() {
        b.getAndAddLong(undecodableAt, 1);
    }

    /** @return e.g. {@code SharedQueue 'jobs' in segment 'orders'}, for messages */
    String description() {
        return description + " in segment '" + segment.name() + "'";
    }

    /**
     * How long a try-once call ({@code offer(e)}, {@code poll()}, timeouts {@code <= 0}) waits for
     * the producer or consumer lock: another producer or consumer holds it only for the copy of one
     * message, unless it is itself waiting for room or data — and then this call's answer is "full"
     * or "empty" anyway. Without it, a try-once call would fail whenever another one merely overlapped
     * it, unlike {@code BlockingQueue.offer} and {@code poll}.
     */
    static final long TRY_ONCE_LOCK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static boolean acquire(SharedLock lock, long timeoutNanos) throws InterruptedException {
        if (timeoutNanos == WaitLoop.FOREVER) {
            lock.lockInterruptibly();
            return true;
        }
        if (lock.tryLock()) {
            return true;
        }
        return lock.tryLock(Math.max(timeoutNanos, TRY_ONCE_LOCK_NANOS), TimeUnit.NANOSECONDS);
    }

    // ---------------------------------------------------------------- state

    long size() {
        segment.ensureOpen();
        return ring.messages();
    }

    boolean isEmpty() {
        segment.ensureOpen();
        return ring.isEmpty();
    }

    long freeBytes() {
        segment.ensureOpen();
        return ring.capacity() - ring.usedBytes();
    }

    long usedBytes() {
        segment.ensureOpen();
        return ring.usedBytes();
    }

    long messagesPut() {
        return ring.messagesPut();
    }

    long messagesTaken() {
        return ring.messagesTaken();
    }

    long messagesLost() {
        return ring.messagesLost();
    }

    long partialsDiscarded() {
        return ring.partialsDiscarded();
    }

    long undecodable() {
        return b.getLongVolatile(undecodableAt);
    }

    long producerRecoveries() {
        return producer.recoveries();
    }

    long consumerRecoveries() {
        return consumer.recoveries();
    }

    /** @return pid of the producer lock's holder, -1 if free (for tests and diagnostics) */
    long producerLockHolderPid() {
        return producer.holderPid();
    }

    /** @return pid of the consumer lock's holder, -1 if free (for tests and diagnostics) */
    long consumerLockHolderPid() {
        return consumer.holderPid();
    }

    // ---------------------------------------------------------------- join

    long tasksDone() {
        return b.getLongVolatile(doneAt);
    }

    /**
     * @return messages put whose taskDone() has not been called, less those lost (their consumer
     *     died or gave up mid-stream, so nobody can ever call taskDone() for them)
     */
    long unfinishedTasks() {
        segment.ensureOpen();
        return unfinished(b.getLongVolatile(doneAt));
    }

    private long unfinished(long done) {
        return ring.messagesPut() - ring.messagesLost() - done;
    }

    void taskDone() {
        segment.ensureOpen();
        while (true) {
            long done = b.getLongVolatile(doneAt);
            long taken = ring.messagesTaken();
            if (done >= taken) {
                throw new IllegalStateException("taskDone() called more times than items were taken from "
                        + description + ": taken=" + taken + ", done=" + done);
            }
            if (b.compareAndSetLong(doneAt, done, done + 1)) {
                break;
            }
        }
        WaitLoop.wakeIfWaiting(b, doneWord, joinWaitersAt, Integer.MAX_VALUE);
    }

    boolean join(long timeoutNanos) throws InterruptedException {
        segment.ensureOpen();
        return WaitLoop.await(segment, doneWord, joinWaitersAt, () -> {
            long done = b.getLongVolatile(doneAt);
            return unfinished(done) <= 0 ? WaitLoop.DONE : (int) done;
        }, this::afterJoinSlice, timeoutNanos);
    }

    /**
     * Once per slice of a join: if a producer counted a message it has not published, and the
     * producer lock can be had (a live producer would be holding it), that producer died between
     * the two steps: take the lock (over, if need be), correct the count, release it.
     */
    private void afterJoinSlice() {
        segment.ensureOpen();
        if (!ring.hasUnpublishedPut()) {
            return;
        }
        segment.beginOperation(); // holding the producer lock: close() must not free our slot meanwhile
        try {
            if (producer.tryLock()) {
                try {
                    ring.reconcilePutCount();
                } finally {
                    producer.unlockAfterOperation();
                }
            }
        } finally {
            segment.endOperation();
        }
    }

    // ---------------------------------------------------------------- inspection

    /**
     * Describes a queue for {@link QueueInspector}. Only reads (volatile loads), so it works on a
     * segment opened with {@link Segment#inspect}; never blocks.
     *
     * @param region a queue of any of the three queue kinds
     * @return its state, in the order documented on {@link QueueInspector}
     * @throws io.interproc.core.CorruptSegmentException if the queue is damaged
     */
    static Map<String, Object> describe(ObjectRegion region) {
        QueueCore q = new QueueCore(region); // checks the header first
        Map<String, Object> producerLock = LockInspector.describeLock(region.part(q.name + ".producer",
                SyncKinds.LOCK, QueueDescriptor.PRODUCER_LOCK_OFFSET, QueueDescriptor.LOCK_SIZE));
        Map<String, Object> consumerLock = LockInspector.describeLock(region.part(q.name + ".consumer",
                SyncKinds.LOCK, QueueDescriptor.CONSUMER_LOCK_OFFSET, QueueDescriptor.LOCK_SIZE));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("capacity", q.ring.capacity());
        out.put("messages", q.ring.messages());
        out.put("bytesUsed", q.ring.usedBytes());
        out.put("messagesPut", q.ring.messagesPut());
        out.put("messagesTaken", q.ring.messagesTaken());
        out.put("messagesLost", q.ring.messagesLost());
        out.put("partialsDiscarded", q.ring.partialsDiscarded());
        out.put("undecodable", q.undecodable());
        out.put("producerLock", producerLock.get("owner"));
        out.put("consumerLock", consumerLock.get("owner"));
        out.put("producersWaiting", (Integer) producerLock.get("waiters") + q.ring.producersSleeping());
        out.put("consumersWaiting", (Integer) consumerLock.get("waiters") + q.ring.consumersSleeping());
        out.put("producerRecoveries", producerLock.get("recoveries"));
        out.put("consumerRecoveries", consumerLock.get("recoveries"));
        if (region.kind() == IpcKinds.JOINABLE_QUEUE) {
            long done = q.tasksDone();
            out.put("tasksDone", done);
            out.put("unfinishedTasks", q.unfinished(done));
        }
        return out;
    }

    @Override
    public String toString() {
        return description + "[segment=" + segment.name() + ", capacity=" + ring.capacity() + "]";
    }
}
