package io.interproc.logging;

import io.interproc.core.Segment;
import io.interproc.ipc.queue.SharedQueue;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The part every handler and appender shares: stamps a record with this process and a sequence
 * number and puts it into the log queue under the {@link FullQueuePolicy}. Python's
 * {@code QueueHandler} minus the logging framework.
 *
 * <p><b>Whole or nothing.</b> A record is one queue message, published only once wholly copied in
 * (see {@link io.interproc.ipc.queue.AbstractSharedQueue}): a process killed while logging leaves
 * no part of that record, and every record whose {@link #publish} returned {@code true} stays in
 * the queue for the listener even if this process dies next.
 *
 * <p><b>Order.</b> Records of one publisher are put one at a time, in the order of their
 * {@link LogEvent#sequence()}, so they arrive in that order; a gap in the sequence is a record
 * dropped under the policy (counted in {@link #dropped()}).
 *
 * <p><b>Never blocks without bound, never throws for a full or closed queue.</b> A record that
 * finds no room within the policy's bound, or arrives after {@link #close()}, is dropped and
 * counted. A record logged by a thread while it is inside {@link #publish} already (interproc's
 * own warning when it takes the queue's lock over from a dead process comes back through the
 * handler) is published right after the record in progress (up to {@value #MAX_NESTED} per call;
 * in all, more are dropped and counted), so it neither loops nor is lost.
 *
 * <p>Thread-safe: any thread may call any method. Actions of a thread before {@code publish}
 * returns {@code true} happen-before the listener's handling of that record, in any process.
 */
public final class LogPublisher implements AutoCloseable {
    /** Default log queue name in the segment. */
    public static final String DEFAULT_QUEUE = "logs";
    /** Default queue capacity in bytes, if the publisher creates the queue. */
    public static final long DEFAULT_CAPACITY = 1 << 20;
    /** Room a segment needs beside its queue's ring (header, directory, process table). */
    static final long SEGMENT_OVERHEAD = 1 << 20;

    /** Most records kept for after a publish (see the class doc); more are dropped and counted. */
    static final int MAX_NESTED = 16;

    /** Records logged by a thread while it publishes, kept for after (null: not publishing). */
    private final ThreadLocal<Nested> publishing = new ThreadLocal<>();

    private final SharedQueue<LogEvent> queue;
    private final Segment ownedSegment;
    private final FullQueuePolicy policy;
    private final String processName;
    private final long pid = ProcessHandle.current().pid();
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private long nextSequence; // guarded by lock
    private volatile boolean closed;

    private LogPublisher(SharedQueue<LogEvent> queue, Segment ownedSegment, FullQueuePolicy policy, String processName) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.ownedSegment = ownedSegment;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.processName = processName == null || processName.isBlank() ? defaultProcessName() : processName;
    }

    /**
     * A publisher into a queue the caller opened (and closes, after this publisher). Any thread may
     * call this.
     *
     * @param queue the log queue, of {@link LogEvent#codec()}
     * @param policy what to do when it is full
     * @param processName how records name this process; {@code null} or blank for
     *     {@link #defaultProcessName()}
     * @return the publisher
     */
    public static LogPublisher on(SharedQueue<LogEvent> queue, FullQueuePolicy policy, String processName) {
        return new LogPublisher(queue, null, policy, processName);
    }

    /**
     * A publisher that opens (creating if need be) the segment and the queue by name, and closes
     * the segment when closed; what the handlers and appenders configured by name use. Any thread
     * may call this.
     *
     * @param segmentName the segment, created with room for the queue if it does not exist
     * @param queueName the queue in it, created with {@code capacity} if it does not exist
     * @param capacity queue ring size in bytes if created
     * @param policy what to do when the queue is full
     * @param processName how records name this process; {@code null} or blank for the default
     * @return the publisher
     * @throws io.interproc.core.InterprocException if the segment or queue cannot be opened (e.g.
     *     {@link io.interproc.core.KindMismatchException} if the name is not a queue)
     */
    public static LogPublisher open(String segmentName, String queueName, long capacity, FullQueuePolicy policy,
            String processName) {
        Segment segment = Segment.openOrCreate(segmentName, capacity + SEGMENT_OVERHEAD);
        try {
            SharedQueue<LogEvent> q = SharedQueue.openOrCreate(segment, queueName, capacity, LogEvent.codec());
            return new LogPublisher(q, segment, policy, processName);
        } catch (RuntimeException e) {
            segment.close();
            throw e;
        }
    }

    /**
     * @return {@code pid@host}, as {@link java.lang.management.RuntimeMXBean#getName()} gives it;
     *     any thread may call this
     */
    public static String defaultProcessName() {
        return ManagementFactory.getRuntimeMXBean().getName();
    }

    /**
     * Puts one record into the queue, stamped with this process and the next sequence number,
     * waiting for room as the policy allows. Never throws for a full or closed queue: returns
     * {@code false} and counts the record in {@link #dropped()}. Any thread may call this.
     *
     * @param time when it was logged
     * @param level its severity
     * @param logger the logger's name
     * @param thread the logging thread's name
     * @param message the formatted message
     * @param throwable the stack trace as text, or {@code null}
     * @param context MDC and key-value pairs (null values are left out)
     * @return whether the record is in the queue
     * @throws io.interproc.core.CodecException if the record cannot be encoded (it is counted
     *     as dropped)
     */
    public boolean publish(Instant time, LogLevel level, String logger, String thread, String message,
            String throwable, Map<String, String> context) {
        Nested nested = publishing.get();
        if (nested != null) {
            // Logged while this thread publishes (interproc's own warning as it recovers the
            // queue's lock): published right after the record in progress, not in the middle of it.
            if (nested.kept < MAX_NESTED && !closed) {
                nested.kept++;
                nested.records.add(new Pending(time, level, logger, thread, message, throwable, context));
                return true;
            }
            dropped.incrementAndGet();
            return false;
        }
        if (closed) {
            dropped.incrementAndGet();
            return false;
        }
        nested = new Nested();
        publishing.set(nested);
        try {
            boolean done = publishNow(time, level, logger, thread, message, throwable, context);
            for (Pending p = nested.records.poll(); p != null; p = nested.records.poll()) {
                publishNow(p.time, p.level, p.logger, p.thread, p.message, p.throwable, p.context);
            }
            return done;
        } finally {
            publishing.remove();
        }
    }

    /** The records one publish keeps for after itself, and how many it has kept in all. */
    private static final class Nested {
        final Deque<Pending> records = new ArrayDeque<>();
        int kept;
    }

    /** A record logged by a thread while it was publishing another. */
    private record Pending(Instant time, LogLevel level, String logger, String thread, String message,
            String throwable, Map<String, String> context) {
    }

    private boolean publishNow(Instant time, LogLevel level, String logger, String thread, String message,
            String throwable, Map<String, String> context) {
        if (closed) {
            dropped.incrementAndGet();
            return false;
        }
        boolean locked = false;
        boolean done = false;
        try {
            long deadline = System.nanoTime() + policy.maxBlock().toNanos();
            locked = policy.blocks() ? lock.tryLock(policy.maxBlock().toNanos(), TimeUnit.NANOSECONDS) : lock.tryLock();
            if (!locked) {
                return false;
            }
            LogEvent e = new LogEvent(time, level, logger == null ? "" : logger, thread == null ? "" : thread, pid,
                    processName, nextSequence++, message == null ? "null" : message, throwable, withoutNulls(context));
            done = policy.blocks()
                    ? queue.offer(e, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                    : queue.offer(e);
            return done;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt(); // a logging call does not throw; the caller sees the status
            return false;
        } catch (IllegalStateException closedSegment) {
            return false;
        } finally {
            if (locked) {
                lock.unlock();
            }
            (done ? published : dropped).incrementAndGet();
        }
    }

    private static Map<String, String> withoutNulls(Map<String, String> context) {
        if (context == null || context.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new java.util.LinkedHashMap<>();
        context.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }

    /** @return records dropped: no room within the policy's bound, after close, or too many nested */
    public long dropped() {
        return dropped.get();
    }

    /** @return records put into the queue */
    public long published() {
        return published.get();
    }

    /** @return the full-queue policy */
    public FullQueuePolicy policy() {
        return policy;
    }

    /** @return how records name this process */
    public String processName() {
        return processName;
    }

    /** @return the queue records go to */
    public SharedQueue<LogEvent> queue() {
        return queue;
    }

    /**
     * Stops publishing (later records are dropped and counted) and closes the segment if this
     * publisher opened it. Records already published stay in the queue. Idempotent; any thread
     * may call this.
     */
    @Override
    public void close() {
        closed = true;
        if (ownedSegment != null) {
            lock.lock(); // a publish in progress finishes its record first (bounded by the policy)
            try {
                ownedSegment.close();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public String toString() {
        return "LogPublisher[" + queue.name() + ", process=" + processName + ", policy=" + policy + ", published="
                + published() + ", dropped=" + dropped() + "]";
    }
}
