package io.interproc.core;

import io.interproc.core.spi.ObjectKind;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.value.ArrayDescriptor;

import java.util.Objects;

/**
 * A fixed-length shared array ({@link SharedIntArray}, {@link SharedLongArray},
 * {@link SharedDoubleArray}, and {@link SharedBytes} as an array of bytes) laid out as
 * {@link ArrayDescriptor}: its length read and checked once at open, element offsets with the
 * index checks of {@link Objects}, and the creation of such regions.
 */
abstract class SharedArray extends SharedObject {
    private final int elementSize;
    /** Offset of element 0 in the mapping. */
    final int data;
    /** Number of elements. */
    final int length;

    SharedArray(ObjectRegion region, int elementSize) {
        super(region);
        this.elementSize = elementSize;
        this.length = ArrayDescriptor.length(region, elementSize);
        this.data = region.offset() + ArrayDescriptor.DATA_OFFSET;
    }

    /**
     * @param index element index
     * @return the element's offset in the mapping
     * @throws IllegalStateException if the segment is closed
     * @throws IndexOutOfBoundsException if the index is not below the length
     */
    final int at(int index) {
        segment.ensureOpen();
        return data + Objects.checkIndex(index, length) * elementSize;
    }

    /**
     * Checks a bulk copy of elements {@code [from, from + count)}.
     *
     * @param from first element index
     * @param count number of elements
     * @return the offset of element {@code from} in the mapping
     * @throws IllegalStateException if the segment is closed
     * @throws IndexOutOfBoundsException if the range is not inside the array
     */
    final int range(int from, int count) {
        segment.ensureOpen();
        Objects.checkFromIndexSize(from, count, length);
        return data + from * elementSize;
    }

    /**
     * Checks a bulk copy between elements {@code [from, from + count)} and a Java array's
     * {@code [arrayIndex, arrayIndex + count)}, the shared range first.
     *
     * @param from first element index
     * @param count number of elements
     * @param arrayIndex first index in the Java array
     * @param arrayLength the Java array's length
     * @return the offset of element {@code from} in the mapping
     */
    final int range(int from, int count, int arrayIndex, int arrayLength) {
        int at = range(from, count);
        Objects.checkFromIndexSize(arrayIndex, count, arrayLength);
        return at;
    }

    @Override
    String sizeLabel() {
        return ", length=" + length;
    }

    /** A new array's region of {@code length} zero elements, its header written. */
    static ObjectRegion createRegion(Segment segment, String name, ObjectKind kind, int elementSize, int length) {
        ArrayDescriptor.checkLength(length, elementSize);
        return segment.createObject(name, kind, ArrayDescriptor.size(length, elementSize),
                ArrayDescriptor.header(length, elementSize));
    }

    /** An existing array's region, or a new one as {@link #createRegion}. */
    static ObjectRegion openOrCreateRegion(Segment segment, String name, ObjectKind kind, int elementSize,
            int length) {
        ArrayDescriptor.checkLength(length, elementSize);
        return segment.openOrCreateObject(name, kind, ArrayDescriptor.size(length, elementSize),
                ArrayDescriptor.header(length, elementSize));
    }
}
