package io.interproc.core.shared;

import java.util.function.DoubleUnaryOperator;

/**
 * A {@code double} shared by processes with atomic updates. Implemented by
 * {@code io.interproc.core.SharedDouble} and by the redis module's atomic double.
 * {@link #compareAndSet} compares bit patterns locally ({@code -0.0 != 0.0}, a NaN equals itself)
 * and numbers on Redis (whose value is a decimal string): compare values that were {@linkplain #set set}
 * or read, not computed independently.
 *
 * <p>Any thread of any process holding a handle may call every method. Memory effects: every
 * operation has the effects of a volatile read and (for updates) a volatile write of the value.
 */
public interface DoubleValue {
    /** @return the value's name in its store */
    String name();

    /** @return the value */
    double get();

    /** @param value the new value */
    void set(double value);

    /**
     * @param expected the value expected now
     * @param value the new value
     * @return true if the value was {@code expected} and is now {@code value}
     */
    boolean compareAndSet(double expected, double value);

    /**
     * @param value the new value
     * @return the previous value
     */
    double getAndSet(double value);

    /**
     * @param delta what to add
     * @return the previous value
     */
    double getAndAdd(double delta);

    /**
     * @param delta what to add
     * @return the new value
     */
    double addAndGet(double delta);

    /**
     * Applies {@code fn} atomically (a compare-and-set loop: {@code fn} may run more than once and
     * must not have side effects).
     *
     * @param fn the update
     * @return the new value
     */
    default double updateAndGet(DoubleUnaryOperator fn) {
        while (true) {
            double prev = get();
            double next = fn.applyAsDouble(prev);
            if (compareAndSet(prev, next)) {
                return next;
            }
        }
    }
}
