package io.interproc.core;

import io.interproc.core.value.CoreKinds;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.spi.ObjectInitializer;
import io.interproc.core.spi.ObjectKind;
import io.interproc.core.spi.ObjectRegion;
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
public final class SharedDouble {
    private final Segment segment;
    private final SharedBuffer buffer;
    private final int at;
    private final String name;

    private SharedDouble(ObjectRegion region) {
        this.segment = region.segment();
        this.buffer = region.buffer();
        this.at = region.offset() + ValueDescriptor.VALUE_OFFSET;
        this.name = region.name();
    }

    private static ObjectInitializer initial(double value) {
        return (b, offset, length) -> b.setLong(offset + ValueDescriptor.VALUE_OFFSET, Double.doubleToRawLongBits(value));
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
        return new SharedDouble(segment.createObject(name, CoreKinds.DOUBLE, ValueDescriptor.SIZE, initial(initial)));
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
        return new SharedDouble(segment.openOrCreateObject(name, CoreKinds.DOUBLE, ValueDescriptor.SIZE,
                initial(initial)));
    }

    /** @return the object's name in its segment */
    public String name() {
        return name;
    }

    /** @return the current value (volatile read) */
    public double get() {
        segment.ensureOpen();
        return Double.longBitsToDouble(buffer.getLongVolatile(at));
    }

    /** @param value the new value (volatile write) */
    public void set(double value) {
        segment.ensureOpen();
        buffer.setLongVolatile(at, Double.doubleToRawLongBits(value));
    }

    /**
     * Compares raw bits.
     *
     * @param expected the value expected
     * @param value the new value
     * @return true if the bits were those of {@code expected} and are now those of {@code value}
     */
    public boolean compareAndSet(double expected, double value) {
        segment.ensureOpen();
        return buffer.compareAndSetLong(at, Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(value));
    }

    /** @param value the new value @return the previous value */
    public double getAndSet(double value) {
        segment.ensureOpen();
        return Double.longBitsToDouble(buffer.getAndSetLong(at, Double.doubleToRawLongBits(value)));
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
        segment.ensureOpen();
        long prev = buffer.getLongVolatile(at);
        while (true) {
            double next = fn.applyAsDouble(Double.longBitsToDouble(prev));
            long seen = buffer.compareAndExchangeLong(at, prev, Double.doubleToRawLongBits(next));
            if (seen == prev) {
                return next;
            }
            prev = seen;
        }
    }

    /**
     * As {@link #updateAndGet} but returns the previous value.
     *
     * @param fn the update, side-effect-free
     * @return the previous value
     */
    public double getAndUpdate(DoubleUnaryOperator fn) {
        segment.ensureOpen();
        long prev = buffer.getLongVolatile(at);
        while (true) {
            double old = Double.longBitsToDouble(prev);
            long seen = buffer.compareAndExchangeLong(at, prev, Double.doubleToRawLongBits(fn.applyAsDouble(old)));
            if (seen == prev) {
                return old;
            }
            prev = seen;
        }
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

    @Override
    public String toString() {
        return "SharedDouble[" + segment.name() + "/" + name + "]";
    }
}
