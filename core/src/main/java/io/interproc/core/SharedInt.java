package io.interproc.core;

import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.value.CoreKinds;
import io.interproc.core.value.ValueDescriptor;

import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;

/**
 * An {@code int} shared by every process that opens it by name, with the operations of
 * {@link java.util.concurrent.atomic.AtomicInteger} (Python: {@code Value('i')} without its lock;
 * use a {@code SharedLock} for compound updates across several values). Layout:
 * {@link ValueDescriptor}.
 *
 * <p>Any thread of any process attached to the segment may call any method. Memory effects are
 * those of the same methods on {@code AtomicInteger}: {@link #get()} is a volatile read, {@link #set}
 * a volatile write, and every read-modify-write is a volatile atomic update, across processes.
 * Every method throws {@link IllegalStateException} once the segment is closed.
 */
public final class SharedInt extends SharedValue {
    private SharedInt(ObjectRegion region) {
        super(region);
    }

    /**
     * Creates a new value, initially 0.
     *
     * @param segment where it lives
     * @param name its name in the segment
     * @return the new value
     * @throws ObjectExistsException if the name exists
     */
    public static SharedInt create(Segment segment, String name) {
        return create(segment, name, 0);
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
    public static SharedInt create(Segment segment, String name, int initial) {
        return new SharedInt(createRegion(segment, name, CoreKinds.INT, intValue(initial)));
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
    public static SharedInt open(Segment segment, String name) {
        return new SharedInt(segment.openObject(name, CoreKinds.INT));
    }

    /**
     * Opens the value, creating it with 0 if it does not exist.
     *
     * @param segment where it lives
     * @param name its name
     * @return the value
     */
    public static SharedInt openOrCreate(Segment segment, String name) {
        return openOrCreate(segment, name, 0);
    }

    /**
     * Opens the value, creating it if it does not exist; {@code initial} is ignored if it exists.
     *
     * @param segment where it lives
     * @param name its name
     * @param initial its first value if created
     * @return the value
     */
    public static SharedInt openOrCreate(Segment segment, String name, int initial) {
        return new SharedInt(openOrCreateRegion(segment, name, CoreKinds.INT, intValue(initial)));
    }

    /** @return the current value (volatile read) */
    public int get() {
        return buffer.getIntVolatile(at());
    }

    /** @param value the new value (volatile write) */
    public void set(int value) {
        buffer.setIntVolatile(at(), value);
    }

    /** @param value the new value (release write, as {@code AtomicInteger.lazySet}) */
    public void lazySet(int value) {
        buffer.setIntRelease(at(), value);
    }

    /**
     * @param expected the value expected
     * @param value the new value
     * @return true if the value was {@code expected} and is now {@code value}
     */
    public boolean compareAndSet(int expected, int value) {
        return buffer.compareAndSetInt(at(), expected, value);
    }

    /** @param value the new value @return the previous value */
    public int getAndSet(int value) {
        return buffer.getAndSetInt(at(), value);
    }

    /** @param delta the amount to add @return the previous value */
    public int getAndAdd(int delta) {
        return buffer.getAndAddInt(at(), delta);
    }

    /** @param delta the amount to add @return the updated value */
    public int addAndGet(int delta) {
        return getAndAdd(delta) + delta;
    }

    /** @return the updated value */
    public int incrementAndGet() {
        return getAndAdd(1) + 1;
    }

    /** @return the updated value */
    public int decrementAndGet() {
        return getAndAdd(-1) - 1;
    }

    /** @return the previous value */
    public int getAndIncrement() {
        return getAndAdd(1);
    }

    /** @return the previous value */
    public int getAndDecrement() {
        return getAndAdd(-1);
    }

    /**
     * Atomically replaces the value with {@code fn(value)}, retrying on contention; {@code fn}
     * should be side-effect-free.
     *
     * @param fn the update
     * @return the updated value
     */
    public int updateAndGet(IntUnaryOperator fn) {
        return buffer.updateAndGetInt(at(), fn);
    }

    /**
     * As {@link #updateAndGet} but returns the previous value.
     *
     * @param fn the update
     * @return the previous value
     */
    public int getAndUpdate(IntUnaryOperator fn) {
        return buffer.getAndUpdateInt(at(), fn);
    }

    /**
     * Atomically replaces the value with {@code fn(value, x)}.
     *
     * @param x the second operand
     * @param fn the accumulator
     * @return the updated value
     */
    public int accumulateAndGet(int x, IntBinaryOperator fn) {
        return updateAndGet(v -> fn.applyAsInt(v, x));
    }
}
