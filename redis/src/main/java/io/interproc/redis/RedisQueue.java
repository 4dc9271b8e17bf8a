package io.interproc.redis;

import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.redisson.api.RBlockingQueue;

/**
 * {@code Context.queue} on Redis: a Redisson {@link RBlockingQueue} (a Redis list: {@code RPUSH},
 * {@code LPOP}, {@code BLPOP}), unbounded. Each element goes to exactly one consumer. A timed
 * {@link #poll(long, TimeUnit)} of zero or less does not wait (Redis's {@code BLPOP 0} would wait
 * forever); a positive timeout is rounded up to whole seconds by Redisson's {@code BLPOP}, so it
 * may wait up to a second longer than asked, never shorter.
 *
 * @param <E> the type of element
 */
final class RedisQueue<E> extends AbstractQueue<E> implements BlockingQueue<E> {
    private final String name;
    private final RBlockingQueue<E> queue;

    RedisQueue(String name, RBlockingQueue<E> queue) {
        this.name = name;
        this.queue = queue;
    }

    @Override
    public boolean offer(E e) {
        Objects.requireNonNull(e, "element");
        return queue.offer(e);
    }

    @Override
    public void put(E e) throws InterruptedException {
        offer(e);
    }

    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) {
        return offer(e);
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
    public E poll() {
        return queue.poll();
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
    public String toString() {
        return "queue '" + name + "' on Redis [key=" + queue.getName() + "]";
    }
}
