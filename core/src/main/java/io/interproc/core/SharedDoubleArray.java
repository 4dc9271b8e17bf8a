package io.interproc.core;

import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.value.ArrayDescriptor;
import io.interproc.core.value.CoreKinds;

import java.util.function.DoubleUnaryOperator;

/**
 * A fixed-length array of {@code double}s shared by every process that opens it by name, with
 * per-element atomics and bulk copies (Python: {@code Array('d', n)} without its lock). Elements
 * are stored as raw IEEE-754 bits; {@link #compareAndSet} compares bit patterns. Layout:
 * {@link ArrayDescriptor}.
 *
 * <p>Any thread of any attached process may call any method. {@link #get} is a volatile read,
 * {@link #set} a volatile write, read-modify-writes are volatile atomic updates (CAS loops for the
 * arithmetic ones). Bulk copies order each element (acquire / release), not the copy as a whole.
 * Every method throws {@link IllegalStateException} once the segment is closed.
 */
public final class SharedDoubleArray extends SharedArray {
    private static final int ELEMENT = Double.BYTES;

    private SharedDoubleArray(ObjectRegion region) {
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
     */
    public static SharedDoubleArray create(Segment segment, String name, int length) {
        return new SharedDoubleArray(createRegion(segment, name, CoreKinds.DOUBLE_ARRAY, ELEMENT, length));
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
    public static SharedDoubleArray open(Segment segment, String name) {
        return new SharedDoubleArray(segment.openObject(name, CoreKinds.DOUBLE_ARRAY));
    }

    /**
     * Opens the array, creating it if it does not exist; {@code length} is ignored if it exists.
     *
     * @param segment where it lives
     * @param name its name
     * @param length number of elements if created
     * @return the array
     */
    public static SharedDoubleArray openOrCreate(Segment segment, String name, int length) {
        return new SharedDoubleArray(openOrCreateRegion(segment, name, CoreKinds.DOUBLE_ARRAY, ELEMENT, length));
    }

    /** @return the number of elements */
    public int length() {
        return length;
    }

    /** @param index element index @return the element (volatile read) */
    public double get(int index) {
        return Double.longBitsToDouble(buffer.getLongVolatile(at(index)));
    }

    /** @param index element index @param value the new value (volatile write) */
    public void set(int index, double value) {
        buffer.setLongVolatile(at(index), Double.doubleToRawLongBits(value));
    }

    /**
     * @param index element index
     * @param expected the value expected (bit pattern)
     * @param value the new value
     * @return true if the element held {@code expected} and now holds {@code value}
     */
    public boolean compareAndSet(int index, double expected, double value) {
        return buffer.compareAndSetLong(at(index), Double.doubleToRawLongBits(expected),
                Double.doubleToRawLongBits(value));
    }

    /** @param index element index @param value the new value @return the previous value */
    public double getAndSet(int index, double value) {
        return Double.longBitsToDouble(buffer.getAndSetLong(at(index), Double.doubleToRawLongBits(value)));
    }

    /** @param index element index @param delta amount to add @return the updated value */
    public double addAndGet(int index, double delta) {
        return updateAndGet(index, v -> v + delta);
    }

    /**
     * Atomically replaces an element with {@code fn(element)}.
     *
     * @param index element index
     * @param fn the update, side-effect-free
     * @return the updated value
     */
    public double updateAndGet(int index, DoubleUnaryOperator fn) {
        return buffer.updateAndGetDouble(at(index), fn);
    }

    /**
     * Copies elements out, each with an acquire read.
     *
     * @param from first element index
     * @param dst destination
     * @param dstIndex first index written in {@code dst}
     * @param count number of elements
     */
    public void copyTo(int from, double[] dst, int dstIndex, int count) {
        int at = range(from, count, dstIndex, dst.length);
        for (int i = 0; i < count; i++) {
            dst[dstIndex + i] = Double.longBitsToDouble(buffer.getLongAcquire(at + i * ELEMENT));
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
    public void copyFrom(double[] src, int srcIndex, int to, int count) {
        int at = range(to, count, srcIndex, src.length);
        for (int i = 0; i < count; i++) {
            buffer.setLongRelease(at + i * ELEMENT, Double.doubleToRawLongBits(src[srcIndex + i]));
        }
    }

    /** @return a new array holding a copy of every element */
    public double[] toArray() {
        double[] out = new double[length];
        copyTo(0, out, 0, length);
        return out;
    }
}
