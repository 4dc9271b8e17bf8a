package io.interproc.core.shared;

import java.util.function.LongUnaryOperator;

/**
 * A {@code long} shared by processes with atomic updates (Java:
 * {@link java.util.concurrent.atomic.AtomicLong}). Implemented by {@code io.interproc.core.SharedLong}
 * and by the redis module's atomic long.
 *
 * <p>Any thread of any process holding a handle may call every method. Memory effects: every
 * operation has the effects of a volatile read and (for updates) a volatile write of the value.
 */
public interface LongValue {
    /** @return the value's name in its store */
    String name();

    /** @return the value */
    long get();

    /** @param value the new value */
    void set(long value);

    /**
     * @param expected the value expected now
     * @param value the new value
     * @return true if the value was {@code expected} and is now {@code value}
     */
    boolean compareAndSet(long expected, long value);

    /**
     * @param value the new value
     * @return the previous value
     */
    long getAndSet(long value);

    /**
     * @param delta what to add
     * @return the previous value
     */
    long getAndAdd(long delta);

    /**
     * @param delta what to add
     * @return the new value
     */
    long addAndGet(long delta);

    /** @return the new value, one more */
    long incrementAndGet();

    /** @return the new value, one less */
    long decrementAndGet();

    /**
     * Applies {@code fn} atomically (a compare-and-set loop: {@code fn} may run more than once and
     * must not have side effects).
     *
     * @param fn the update
     * @return the new value
     */
    default long updateAndGet(LongUnaryOperator fn) {
        while (true) {
            long prev = get();
            long next = fn.applyAsLong(prev);
            if (compareAndSet(prev, next)) {
                return next;
            }
        }
    }
}
