package io.interproc.core;

import io.interproc.core.shared.LongValue;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.value.CoreKinds;
import io.interproc.core.value.ValueDescriptor;

import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * A {@code long} shared by every process that opens it by name, with the operations of
 * {@link java.util.concurrent.atomic.AtomicLong} (Python: {@code Value('q')} without its lock;
 * use a {@code SharedLock} for compound updates across several values). Layout:
 * {@link ValueDescriptor}.
 *
 * <p>Any thread of any process attached to the segment may call any method. Memory effects are
 * those of the same methods on {@code AtomicLong}: {@link #get()} is a volatile read, {@link #set}
 * a volatile write, and every read-modify-write is a volatile atomic update, across processes.
 * Every method throws {@link IllegalStateException} once the segment is closed.
 */
public final class SharedLong extends SharedValue implements LongValue {
    private SharedLong(ObjectRegion region) {
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
    public static SharedLong create(Segment segment, String name) {
        return create(segment, name, 0L);
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
    public static SharedLong create(Segment segment, String name, long initial) {
        return new SharedLong(createRegion(segment, name, CoreKinds.LONG, longValue(initial)));
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
    public static SharedLong open(Segment segment, String name) {
        return new SharedLong(segment.openObject(name, CoreKinds.LONG));
    }

    /**
     * Opens the value, creating it with 0 if it does not exist.
     *
     * @param segment where it lives
     * @param name its name
     * @return the value
     */
    public static SharedLong openOrCreate(Segment segment, String name) {
        return openOrCreate(segment, name, 0L);
    }

    /**
     * Opens the value, creating it if it does not exist; {@code initial} is ignored if it exists.
     *
     * @param segment where it lives
     * @param name its name
     * @param initial its first value if created
     * @return the value
     */
    public static SharedLong openOrCreate(Segment segment, String name, long initial) {
        return new SharedLong(openOrCreateRegion(segment, name, CoreKinds.LONG, longValue(initial)));
    }

    /** @return the current value (volatile read) */
    public long get() {
        return buffer.getLongVolatile(at());
    }

    /** @param value the new value (volatile write) */
    public void set(long value) {
        buffer.setLongVolatile(at(), value);
    }

    /** @param value the new value (release write, as {@code AtomicLong.lazySet}) */
    public void lazySet(long value) {
        buffer.setLongRelease(at(), value);
    }

    /**
     * @param expected the value expected
     * @param value the new value
     * @return true if the value was {@code expected} and is now {@code value}
     */
    public boolean compareAndSet(long expected, long value) {
        return buffer.compareAndSetLong(at(), expected, value);
    }

    /** @param value the new value @return the previous value */
    public long getAndSet(long value) {
        return buffer.getAndSetLong(at(), value);
    }

    /** @param delta the amount to add @return the previous value */
    public long getAndAdd(long delta) {
        return buffer.getAndAddLong(at(), delta);
    }

    /** @param delta the amount to add @return the updated value */
    public long addAndGet(long delta) {
        return getAndAdd(delta) + delta;
    }

    /** @return the updated value */
    public long incrementAndGet() {
        return getAndAdd(1) + 1;
    }

    /** @return the updated value */
    public long decrementAndGet() {
        return getAndAdd(-1) - 1;
    }

    /** @return the previous value */
    public long getAndIncrement() {
        return getAndAdd(1);
    }

    /** @return the previous value */
    public long getAndDecrement() {
        return getAndAdd(-1);
    }

    /**
     * Atomically replaces the value with {@code fn(value)}, retrying on contention; {@code fn}
     * should be side-effect-free.
     *
     * @param fn the update
     * @return the updated value
     */
    public long updateAndGet(LongUnaryOperator fn) {
        return buffer.updateAndGetLong(at(), fn);
    }

    /**
     * As {@link #updateAndGet} but returns the previous value.
     *
     * @param fn the update
     * @return the previous value
     */
    public long getAndUpdate(LongUnaryOperator fn) {
        return buffer.getAndUpdateLong(at(), fn);
    }

    /**
     * Atomically replaces the value with {@code fn(value, x)}.
     *
     * @param x the second operand
     * @param fn the accumulator
     * @return the updated value
     */
    public long accumulateAndGet(long x, LongBinaryOperator fn) {
        return updateAndGet(v -> fn.applyAsLong(v, x));
    }
}
