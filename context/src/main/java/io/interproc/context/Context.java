package io.interproc.context;

import io.interproc.core.Codec;
import io.interproc.core.shared.Barrier;
import io.interproc.core.shared.DoubleValue;
import io.interproc.core.shared.Event;
import io.interproc.core.shared.JoinableBlockingQueue;
import io.interproc.core.shared.Latch;
import io.interproc.core.shared.LongValue;
import io.interproc.core.shared.Permits;
import io.interproc.core.shared.PutGetQueue;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * Factories of coordination objects that return the same types wherever the objects live (Python:
 * the context of {@code multiprocessing.get_context()}). {@link Interproc#local} keeps them in a
 * segment of this host; {@link Interproc#redis} keeps them on a Redis server through Redisson, so
 * processes on several hosts share them. Code written against a {@code Context} runs unchanged on
 * either; what differs (recovery from a dead process, fairness, cost) is in the redis module's
 * README.
 *
 * <p>Every factory <em>opens the object by name, creating it if it does not exist</em>; processes
 * racing to create it get the same object, and the creation arguments (counts, parties, initial
 * values) of whoever created it win. Names are the segment's object names locally and keys under
 * the context's namespace on Redis; a name belongs to one kind of object. Every factory may be
 * called by any thread; the objects are thread-safe. A factory that the context cannot provide
 * throws {@link UnsupportedOperationException} naming it.
 *
 * <pre>{@code
 * try (Context ctx = Interproc.redis("redis://10.0.0.5:6379", "orders")) {   // or Interproc.local(segment)
 *     BlockingQueue<String> jobs = ctx.queue("jobs", Codec.utf8());
 *     Lock lock = ctx.lock("ledger");
 *     ...
 * }
 * }</pre>
 */
public interface Context extends AutoCloseable {
    /** @return where the objects live, for messages: the segment, or the Redis namespace */
    String description();

    /**
     * A mutual-exclusion lock, not reentrant: {@code lock()} by its holder throws
     * {@link IllegalMonitorStateException}. Only the holding thread may unlock.
     * {@code newCondition()} is not supported: use {@link #condition(String, Lock)}.
     *
     * @param name its name
     * @return the lock
     */
    Lock lock(String name);

    /**
     * A reentrant lock (Java: {@link java.util.concurrent.locks.ReentrantLock}).
     *
     * @param name its name
     * @return the lock
     */
    Lock reentrantLock(String name);

    /**
     * A condition bound to {@code lock}, which must come from this context's {@link #lock} or
     * {@link #reentrantLock}. Its waiters and signallers hold the lock.
     *
     * @param name its name
     * @param lock its lock
     * @return the condition
     * @throws IllegalArgumentException if {@code lock} does not come from this context
     */
    Condition condition(String name, Lock lock);

    /**
     * A semaphore.
     *
     * @param name its name
     * @param permits its permits when created, at least 0
     * @return the semaphore
     */
    Permits semaphore(String name, int permits);

    /**
     * A bounded semaphore: releases above {@code permits} are refused.
     *
     * @param name its name
     * @param permits its permits when created, which are also its bound, at least 0
     * @return the semaphore
     */
    Permits boundedSemaphore(String name, int permits);

    /**
     * An event, clear when created.
     *
     * @param name its name
     * @return the event
     */
    Event event(String name);

    /**
     * A cyclic barrier (without barrier action).
     *
     * @param name its name
     * @param parties parties when created, at least 1
     * @return the barrier
     */
    Barrier barrier(String name, int parties);

    /**
     * A count-down latch.
     *
     * @param name its name
     * @param count its count when created, at least 0
     * @return the latch
     */
    Latch countDownLatch(String name, long count);

    /**
     * An atomic {@code long}.
     *
     * @param name its name
     * @param initial its value when created
     * @return the value
     */
    LongValue atomicLong(String name, long initial);

    /**
     * An atomic {@code double}.
     *
     * @param name its name
     * @param initial its value when created
     * @return the value
     */
    DoubleValue atomicDouble(String name, double initial);

    /**
     * A first-in first-out blocking queue. Locally it is a {@code SharedQueue} whose ring holds
     * {@link #DEFAULT_QUEUE_BYTES} bytes; on Redis it is unbounded.
     *
     * @param name its name
     * @param codec how elements become bytes (the same bytes on both stores)
     * @param <E> the type of element
     * @return the queue
     */
    <E> BlockingQueue<E> queue(String name, Codec<E> codec);

    /**
     * A blocking queue that counts unfinished tasks (Python: {@code JoinableQueue}); sized as
     * {@link #queue}.
     *
     * @param name its name
     * @param codec how elements become bytes
     * @param <E> the type of element
     * @return the queue
     */
    <E> JoinableBlockingQueue<E> joinableQueue(String name, Codec<E> codec);

    /**
     * The simplest queue (Python: {@code SimpleQueue}).
     *
     * @param name its name
     * @param codec how elements become bytes
     * @param <E> the type of element
     * @return the queue
     */
    <E> PutGetQueue<E> simpleQueue(String name, Codec<E> codec);

    /**
     * A concurrent map.
     *
     * @param name its name
     * @param keys how keys become bytes
     * @param values how values become bytes
     * @param <K> the type of key
     * @param <V> the type of value
     * @return the map
     */
    <K, V> ConcurrentMap<K, V> map(String name, Codec<K> keys, Codec<V> values);

    /**
     * A list.
     *
     * @param name its name
     * @param codec how elements become bytes
     * @param <E> the type of element
     * @return the list
     */
    <E> List<E> list(String name, Codec<E> codec);

    /**
     * Releases what the context itself opened (a Redis client it created from an address); a
     * segment or client handed to {@link Interproc} stays the caller's. Objects made by the context
     * must not be used afterwards. Idempotent.
     */
    @Override
    void close();

    /** Ring size of a local {@link #queue} and {@link #joinableQueue}: 1 MiB. */
    int DEFAULT_QUEUE_BYTES = 1 << 20;
}
