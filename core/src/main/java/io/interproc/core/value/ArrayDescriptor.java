package io.interproc.core.value;

import io.interproc.core.memory.Layout;

import io.interproc.core.Segment;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.spi.ObjectInitializer;
import io.interproc.core.spi.ObjectRegion;

/**
 * Layout of a shared array ({@link io.interproc.core.SharedIntArray}, {@link io.interproc.core.SharedLongArray},
 * {@link io.interproc.core.SharedDoubleArray}) and of {@link io.interproc.core.SharedBytes} (an array of bytes).
 *
 * <pre>
 *  offset  size  field
 *  ------  ----  -------------------------------------------------------------
 *       0     4  length: number of elements
 *       4     4  element size in bytes (1, 4 or 8)
 *       8   120  reserved (zero)
 *     128   n*e  elements, element i at 128 + i * elementSize (naturally aligned)
 * </pre>
 *
 * The header is written once by the creator and only read afterwards; a length or element size
 * that does not fit the allocated region is reported as a {@link io.interproc.core.CorruptSegmentException}.
 */
public final class ArrayDescriptor {
    /** Offset of the element count. */
    public static final int LENGTH_OFFSET = 0;
    /** Offset of the element size. */
    public static final int ELEMENT_SIZE_OFFSET = LENGTH_OFFSET + Layout.INT;
    /** Offset of element 0: the header alone on the first line pair, the data after it. */
    public static final int DATA_OFFSET = Layout.nextLinePair(ELEMENT_SIZE_OFFSET + Layout.INT);

    private ArrayDescriptor() {
    }

    /**
     * @param length number of elements
     * @param elementSize bytes per element
     * @return bytes to allocate for such an array
     */
    public static long size(long length, int elementSize) {
        return DATA_OFFSET + length * elementSize;
    }

    /**
     * Initialiser writing the header of a new array.
     *
     * @param length number of elements
     * @param elementSize bytes per element
     * @return the initialiser
     */
    public static ObjectInitializer header(int length, int elementSize) {
        return (buffer, offset, allocated) -> {
            buffer.setInt(offset + LENGTH_OFFSET, length);
            buffer.setInt(offset + ELEMENT_SIZE_OFFSET, elementSize);
        };
    }

    /**
     * Reads and checks the element count of an opened array.
     *
     * @param region the array's region
     * @param elementSize the element size its type expects
     * @return the element count
     * @throws CorruptSegmentException if the header does not fit the region
     */
    public static int length(ObjectRegion region, int elementSize) {
        SharedBuffer b = region.buffer();
        region.checkStored("elementSize", b.getInt(region.offset() + ELEMENT_SIZE_OFFSET), elementSize, elementSize);
        long max = (region.length() - (long) DATA_OFFSET) / elementSize;
        return (int) region.checkStored("length", b.getInt(region.offset() + LENGTH_OFFSET), 0, max);
    }

    /**
     * Validates a requested element count.
     *
     * @param length requested element count
     * @param elementSize bytes per element
     * @return {@code length}
     */
    public static int checkLength(long length, int elementSize) {
        long max = (Segment.MAX_SIZE - DATA_OFFSET) / elementSize;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("array length must be 0 to " + max + ": length=" + length);
        }
        return (int) length;
    }
}
