package io.interproc.redis;

import io.interproc.core.shared.LongValue;

import org.redisson.api.RAtomicLong;

/**
 * {@code Context.atomicLong} on Redis: a Redisson {@link RAtomicLong} (an integer string; every
 * operation is one atomic Redis command or script). The initial value is written only if the key
 * does not exist.
 */
final class RedisLong implements LongValue {
    private final String name;
    private final RAtomicLong value;

    RedisLong(String name, RAtomicLong value) {
        this.name = name;
        this.value = value;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long get() {
        return value.get();
    }

    @Override
    public void set(long v) {
        value.set(v);
    }

    @Override
    public boolean compareAndSet(long expected, long v) {
        return value.compareAndSet(expected, v);
    }

    @Override
    public long getAndSet(long v) {
        return value.getAndSet(v);
    }

    @Override
    public long getAndAdd(long delta) {
        return value.getAndAdd(delta);
    }

    @Override
    public long addAndGet(long delta) {
        return value.addAndGet(delta);
    }

    @Override
    public long incrementAndGet() {
        return value.incrementAndGet();
    }

    @Override
    public long decrementAndGet() {
        return value.decrementAndGet();
    }

    @Override
    public String toString() {
        return "atomic long '" + name + "' on Redis [key=" + value.getName() + "]";
    }
}
