package io.interproc.redis;

import io.interproc.core.shared.JoinableBlockingQueue;

import java.time.Duration;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.redisson.api.BatchOptions;
import org.redisson.api.RAtomicLong;
import org.redisson.api.RBatch;
import org.redisson.api.RBlockingQueue;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.Codec;

/**
 * {@code Context.joinableQueue} on Redis: a Redisson {@link RBlockingQueue} (a Redis list) and a
 * counter of unfinished tasks. A put appends the element and increments the counter in one
 * atomic batch ({@code MULTI}/{@code EXEC}), so they never disagree; {@link #taskDone()}
 * decrements it in a Lua script that refuses to go below zero and publishes at zero;
 * {@link #join} waits for zero. Unbounded: puts never wait. Reads are the list's
 * ({@code LPOP}/{@code BLPOP}): an element is delivered to exactly one consumer; a consumer that
 * dies after taking it and before {@link #taskDone()} leaves the count above zero (as locally).
 *
 * @param <E> the type of element
 */
final class RedisJoinableQueue<E> extends AbstractQueue<E> implements JoinableBlockingQueue<E> {
    private static final String TASK_DONE = "local v = tonumber(redis.call('get', KEYS[1]) or '0');"
            + " if v <= 0 then return -1 end; v = redis.call('decr', KEYS[1]);"
            + " if v == 0 then redis.call('publish', ARGV[1], '0') end; return v";

    private final String name;
    private final String key;
    private final String counterKey;
    private final RedissonClient client;
    private final Codec codec;
    private final RBlockingQueue<E> queue;
    private final RAtomicLong unfinished;
    private final Lua lua;
    private final Wakeups.Channel channel;

    RedisJoinableQueue(String name, String key, RedissonClient client, Codec codec, Lua lua, Wakeups wakeups) {
        this.name = name;
        this.key = key;
        this.counterKey = key + ":unfinished";
        this.client = client;
        this.codec = codec;
        this.queue = client.getBlockingQueue(key, codec);
        this.unfinished = client.getAtomicLong(counterKey);
        this.lua = lua;
        this.channel = wakeups.channel(key + ":wake");
    }

    @Override
    public boolean offer(E e) {
        Objects.requireNonNull(e, "element");
        RBatch batch = client.createBatch(BatchOptions.defaults().executionMode(BatchOptions.ExecutionMode.IN_MEMORY_ATOMIC));
        batch.getQueue(key, codec).offerAsync(e);
        batch.getAtomicLong(counterKey).incrementAndGetAsync();
        batch.execute();
        return true;
    }

    @Override
    public void put(E e) {
        offer(e);
    }

    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) {
        return offer(e);
    }

    @Override
    public E poll() {
        return queue.poll();
    }

    @Override
    public E take() throws InterruptedException {
        return queue.take();
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        return timeout <= 0 ? queue.poll() : queue.poll(timeout, unit);
    }

    @Override
    public E peek() {
        return queue.peek();
    }

    @Override
    public int size() {
        return queue.size();
    }

    @Override
    public Iterator<E> iterator() {
        return queue.iterator();
    }

    @Override
    public int remainingCapacity() {
        return Integer.MAX_VALUE;
    }

    @Override
    public int drainTo(Collection<? super E> c) {
        return queue.drainTo(c);
    }

    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        return queue.drainTo(c, maxElements);
    }

    @Override
    public void taskDone() {
        if (lua.integer(TASK_DONE, List.of(counterKey), channel.name()) < 0) {
            throw new IllegalStateException("joinable queue '" + name + "' on Redis: taskDone() called more times"
                    + " than elements were put (no unfinished task)");
        }
    }

    @Override
    public long unfinishedTasks() {
        return unfinished.get();
    }

    @Override
    public void join() throws InterruptedException {
        while (!join(Long.MAX_VALUE, TimeUnit.NANOSECONDS)) {
            // 292 years passed
        }
    }

    @Override
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        long left = unit.toNanos(timeout);
        long deadline = System.nanoTime() + left;
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted joining queue '" + name + "'");
            }
            long seen = channel.generation();
            if (unfinished.get() <= 0) {
                return true;
            }
            if (left <= 0) {
                return false;
            }
            channel.awaitAfter(seen, left);
            left = deadline - System.nanoTime();
        }
    }

    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        return join(RedisPermits.saturatedNanos(timeout), TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return "joinable queue '" + name + "' on Redis [key=" + key + "]";
    }
}
