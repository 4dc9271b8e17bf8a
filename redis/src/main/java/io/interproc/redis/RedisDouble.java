package io.interproc.redis;

import io.interproc.core.shared.DoubleValue;

import org.redisson.api.RAtomicDouble;

/**
 * {@code Context.atomicDouble} on Redis: a Redisson {@link RAtomicDouble} (a decimal string,
 * added to with {@code INCRBYFLOAT}). Redis cannot hold NaN or an infinity: such a value is refused
 * with {@link IllegalArgumentException}. {@link #compareAndSet} compares numbers, not bit
 * patterns ({@code -0.0} equals {@code 0.0}).
 */
final class RedisDouble implements DoubleValue {
    private final String name;
    private final RAtomicDouble value;

    RedisDouble(String name, RAtomicDouble value) {
        this.name = name;
        this.value = value;
    }

    static double finite(String name, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("atomic double '" + name + "' on Redis: only finite values can be"
                    + " stored, not " + v);
        }
        return v;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double get() {
        return value.get();
    }

    @Override
    public void set(double v) {
        value.set(finite(name, v));
    }

    @Override
    public boolean compareAndSet(double expected, double v) {
        return value.compareAndSet(expected, finite(name, v));
    }

    @Override
    public double getAndSet(double v) {
        return value.getAndSet(finite(name, v));
    }

    @Override
    public double getAndAdd(double delta) {
        return value.getAndAdd(finite(name, delta));
    }

    @Override
    public double addAndGet(double delta) {
        return value.addAndGet(finite(name, delta));
    }

    @Override
    public String toString() {
        return "atomic double '" + name + "' on Redis [key=" + value.getName() + "]";
    }
}
