package io.interproc.core;

import io.interproc.core.shared.DoubleValue;
import io.interproc.core.spi.ObjectInitializer;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.value.CoreKinds;
import io.interproc.core.value.ValueDescriptor;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * A {@code double} shared by every process that opens it by name (Python: {@code Value('d')}
 * without its lock). Stored as its raw IEEE-754 bits ({@link Double#doubleToRawLongBits}), so
 * {@link #compareAndSet} compares bit patterns: {@code -0.0} differs from {@code 0.0} and a NaN
 * matches only the same NaN. Layout: {@link ValueDescriptor}.
 *
 * <p>Any thread of any attached process may call any method. {@link #get()} is a volatile read,
 * {@link #set} a volatile write, and every read-modify-write a volatile atomic update (a CAS loop
 * for the arithmetic ones). Every method throws {@link IllegalStateException} once the segment
 * is closed.
 */
public final class SharedDouble extends SharedValue implements DoubleValue {
    private SharedDouble(ObjectRegion region) {
        super(region);
    }

    private static ObjectInitializer initial(double value) {
        return longValue(Double.doubleToRawLongBits(value));
    }

    /**
     * Creates a new value.
     *
     * @param segment where it lives
     * @param name its name in the segment
     * @param initial its first value
     * @return the new value
     * @throws ObjectExistsException if the name exists
     */
    public static SharedDouble create(Segment segment, String name, double initial) {
        return new SharedDouble(createRegion(segment, name, CoreKinds.DOUBLE, initial(initial)));
    }

    /**
     * Opens an existing value.
     *
     * @param segment where it lives
     * @param name its name
     * @return the value
     * @throws NoSuchObjectException if there is none
     * @throws KindMismatchException if the name is another kind of object
     */
    public static SharedDouble open(Segment segment, String name) {
        return new SharedDouble(segment.openObject(name, CoreKinds.DOUBLE));
    }

    /**
     * Opens the value, creating it if it does not exist; {@code initial} is ignored if it exists.
     *
     * @param segment where it lives
     * @param name its name
     * @param initial its first value if created
     * @return the value
     */
    public static SharedDouble openOrCreate(Segment segment, String name, double initial) {
        return new SharedDouble(openOrCreateRegion(segment, name, CoreKinds.DOUBLE, initial(initial)));
    }

    /** @return the current value (volatile read) */
    public double get() {
        return Double.longBitsToDouble(buffer.getLongVolatile(at()));
    }

    /** @param value the new value (volatile write) */
    public void set(double value) {
        buffer.setLongVolatile(at(), Double.doubleToRawLongBits(value));
    }

    /**
     * Compares raw bits.
     *
     * @param expected the value expected
     * @param value the new value
     * @return true if the bits were those of {@code expected} and are now those of {@code value}
     */
    public boolean compareAndSet(double expected, double value) {
        return buffer.compareAndSetLong(at(), Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(value));
    }

    /** @param value the new value @return the previous value */
    public double getAndSet(double value) {
        return Double.longBitsToDouble(buffer.getAndSetLong(at(), Double.doubleToRawLongBits(value)));
    }

    /** @param delta the amount to add @return the previous value */
    public double getAndAdd(double delta) {
        return getAndUpdate(v -> v + delta);
    }

    /** @param delta the amount to add @return the updated value */
    public double addAndGet(double delta) {
        return updateAndGet(v -> v + delta);
    }

    /**
     * Atomically replaces the value with {@code fn(value)}, retrying on contention.
     *
     * @param fn the update, side-effect-free
     * @return the updated value
     */
    public double updateAndGet(DoubleUnaryOperator fn) {
        return buffer.updateAndGetDouble(at(), fn);
    }

    /**
     * As {@link #updateAndGet} but returns the previous value.
     *
     * @param fn the update, side-effect-free
     * @return the previous value
     */
    public double getAndUpdate(DoubleUnaryOperator fn) {
        return buffer.getAndUpdateDouble(at(), fn);
    }

    /**
     * Atomically replaces the value with {@code fn(value, x)}.
     *
     * @param x the second operand
     * @param fn the accumulator
     * @return the updated value
     */
    public double accumulateAndGet(double x, DoubleBinaryOperator fn) {
        return updateAndGet(v -> fn.applyAsDouble(v, x));
    }
}
