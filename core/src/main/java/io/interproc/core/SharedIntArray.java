package io.interproc.core;

import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.value.ArrayDescriptor;
import io.interproc.core.value.CoreKinds;

import java.util.function.IntUnaryOperator;

/**
 * A fixed-length array of {@code int}s shared by every process that opens it by name, with
 * per-element atomics as in {@link java.util.concurrent.atomic.AtomicIntegerArray} and bulk copies
 * (Python: {@code Array('i', n)} without its lock). Layout: {@link ArrayDescriptor}.
 *
 * <p>Any thread of any attached process may call any method. Single-element methods have the
 * memory effects of the same {@code AtomicIntegerArray} methods. Bulk copies read (or write) each
 * element with acquire (release) ordering, element by element: a copy is not a snapshot of the
 * whole array; guard it with a {@code SharedLock} when one is needed. Indexes are checked:
 * {@link IndexOutOfBoundsException}. Every method throws {@link IllegalStateException} once the
 * segment is closed.
 */
public final class SharedIntArray extends SharedArray {
    private static final int ELEMENT = Integer.BYTES;

    private SharedIntArray(ObjectRegion region) {
        super(region, ELEMENT);
    }

    /**
     * Creates a new array of zeros.
     *
     * @param segment where it lives
     * @param name its name in the segment
     * @param length number of elements
     * @return the new array
     * @throws ObjectExistsException if the name exists
     * @throws SegmentFullException if it does not fit
     */
    public static SharedIntArray create(Segment segment, String name, int length) {
        return new SharedIntArray(createRegion(segment, name, CoreKinds.INT_ARRAY, ELEMENT, length));
    }

    /**
     * Opens an existing array.
     *
     * @param segment where it lives
     * @param name its name
     * @return the array
     * @throws NoSuchObjectException if there is none
     * @throws KindMismatchException if the name is another kind of object
     */
    public static SharedIntArray open(Segment segment, String name) {
        return new SharedIntArray(segment.openObject(name, CoreKinds.INT_ARRAY));
    }

    /**
     * Opens the array, creating it if it does not exist; {@code length} is ignored if it exists
     * (check {@link #length()}).
     *
     * @param segment where it lives
     * @param name its name
     * @param length number of elements if created
     * @return the array
     */
    public static SharedIntArray openOrCreate(Segment segment, String name, int length) {
        return new SharedIntArray(openOrCreateRegion(segment, name, CoreKinds.INT_ARRAY, ELEMENT, length));
    }

    /** @return the number of elements */
    public int length() {
        return length;
    }

    /** @param index element index @return the element (volatile read) */
    public int get(int index) {
        return buffer.getIntVolatile(at(index));
    }

    /** @param index element index @param value the new value (volatile write) */
    public void set(int index, int value) {
        buffer.setIntVolatile(at(index), value);
    }

    /**
     * @param index element index
     * @param expected the value expected
     * @param value the new value
     * @return true if the element was {@code expected} and is now {@code value}
     */
    public boolean compareAndSet(int index, int expected, int value) {
        return buffer.compareAndSetInt(at(index), expected, value);
    }

    /** @param index element index @param value the new value @return the previous value */
    public int getAndSet(int index, int value) {
        return buffer.getAndSetInt(at(index), value);
    }

    /** @param index element index @param delta amount to add @return the previous value */
    public int getAndAdd(int index, int delta) {
        return buffer.getAndAddInt(at(index), delta);
    }

    /** @param index element index @param delta amount to add @return the updated value */
    public int addAndGet(int index, int delta) {
        return getAndAdd(index, delta) + delta;
    }

    /** @param index element index @return the updated value */
    public int incrementAndGet(int index) {
        return getAndAdd(index, 1) + 1;
    }

    /** @param index element index @return the updated value */
    public int decrementAndGet(int index) {
        return getAndAdd(index, -1) - 1;
    }

    /**
     * Atomically replaces an element with {@code fn(element)}.
     *
     * @param index element index
     * @param fn the update, side-effect-free
     * @return the updated value
     */
    public int updateAndGet(int index, IntUnaryOperator fn) {
        return buffer.updateAndGetInt(at(index), fn);
    }

    /**
     * Copies elements out, each with an acquire read.
     *
     * @param from first element index
     * @param dst destination
     * @param dstIndex first index written in {@code dst}
     * @param count number of elements
     */
    public void copyTo(int from, int[] dst, int dstIndex, int count) {
        int at = range(from, count, dstIndex, dst.length);
        for (int i = 0; i < count; i++) {
            dst[dstIndex + i] = buffer.getIntAcquire(at + i * ELEMENT);
        }
    }

    /**
     * Copies elements in, each with a release write.
     *
     * @param src source
     * @param srcIndex first index read in {@code src}
     * @param to first element index written
     * @param count number of elements
     */
    public void copyFrom(int[] src, int srcIndex, int to, int count) {
        int at = range(to, count, srcIndex, src.length);
        for (int i = 0; i < count; i++) {
            buffer.setIntRelease(at + i * ELEMENT, src[srcIndex + i]);
        }
    }

    /** @return a new array holding a copy of every element */
    public int[] toArray() {
        int[] out = new int[length];
        copyTo(0, out, 0, length);
        return out;
    }
}
