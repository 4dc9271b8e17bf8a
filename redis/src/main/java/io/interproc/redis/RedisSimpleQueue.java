package io.interproc.redis;

import io.interproc.core.shared.PutGetQueue;

import org.redisson.api.RBlockingQueue;

/**
 * {@code Context.simpleQueue} on Redis: a Redisson {@link RBlockingQueue} (a Redis list:
 * {@code RPUSH}, {@code BLPOP}); unbounded.
 *
 * @param <E> the type of element
 */
final class RedisSimpleQueue<E> implements PutGetQueue<E> {
    private final String name;
    private final RBlockingQueue<E> queue;

    RedisSimpleQueue(String name, RBlockingQueue<E> queue) {
        this.name = name;
        this.queue = queue;
    }

    @Override
    public void put(E e) throws InterruptedException {
        queue.put(e);
    }

    @Override
    public E get() throws InterruptedException {
        return queue.take();
    }

    @Override
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    @Override
    public String toString() {
        return "simple queue '" + name + "' on Redis [key=" + queue.getName() + "]";
    }
}
