package io.interproc.core;

import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.value.ArrayDescriptor;
import io.interproc.core.value.CoreKinds;

import java.nio.ByteBuffer;

/**
 * A raw shared byte region of fixed size (Python: {@code RawArray('b', n)} /
 * {@code SharedMemory}). Offers bulk copies and a {@link ByteBuffer} view for zero-copy access.
 * Layout: {@link ArrayDescriptor} with an element size of 1; the data starts 128-byte aligned.
 *
 * <p>Any thread of any attached process may call any method. Reads and writes are plain: they
 * carry no ordering between processes. Publish bytes with a release write or a lock
 * ({@code SharedLock}, a {@link SharedLong} set after the copy) and read them after the matching
 * acquire. The {@link #asByteBuffer() view} keeps working after the segment is closed (the memory
 * stays mapped); the other methods throw {@link IllegalStateException} then.
 */
public final class SharedBytes extends SharedArray {
    private SharedBytes(ObjectRegion region) {
        super(region, 1);
    }

    /**
     * Creates a new region of zeros.
     *
     * @param segment where it lives
     * @param name its name in the segment
     * @param size bytes
     * @return the new region
     * @throws ObjectExistsException if the name exists
     */
    public static SharedBytes create(Segment segment, String name, int size) {
        return new SharedBytes(createRegion(segment, name, CoreKinds.BYTES, 1, size));
    }

    /**
     * Opens an existing region.
     *
     * @param segment where it lives
     * @param name its name
     * @return the region
     * @throws NoSuchObjectException if there is none
     * @throws KindMismatchException if the name is another kind of object
     */
    public static SharedBytes open(Segment segment, String name) {
        return new SharedBytes(segment.openObject(name, CoreKinds.BYTES));
    }

    /**
     * Opens the region, creating it if it does not exist; {@code size} is ignored if it exists.
     *
     * @param segment where it lives
     * @param name its name
     * @param size bytes if created
     * @return the region
     */
    public static SharedBytes openOrCreate(Segment segment, String name, int size) {
        return new SharedBytes(openOrCreateRegion(segment, name, CoreKinds.BYTES, 1, size));
    }

    /** @return the size in bytes */
    public int size() {
        return length;
    }

    /**
     * A view of the whole region in native byte order, position 0, limit {@link #size()}. Each call
     * returns a new view; the memory is shared.
     *
     * @return the view
     */
    public ByteBuffer asByteBuffer() {
        segment.ensureOpen();
        return buffer.slice(data, length);
    }

    /** @param index byte index @return the byte (plain read) */
    public byte get(int index) {
        return buffer.getByte(at(index));
    }

    /** @param index byte index @param value plain write */
    public void put(int index, byte value) {
        buffer.putByte(at(index), value);
    }

    /**
     * Copies bytes out (plain reads).
     *
     * @param from first byte index
     * @param dst destination
     * @param dstIndex first index written in {@code dst}
     * @param count number of bytes
     */
    public void get(int from, byte[] dst, int dstIndex, int count) {
        buffer.getBytes(range(from, count), dst, dstIndex, count);
    }

    /**
     * Copies bytes in (plain writes).
     *
     * @param src source
     * @param srcIndex first index read in {@code src}
     * @param to first byte index written
     * @param count number of bytes
     */
    public void put(byte[] src, int srcIndex, int to, int count) {
        buffer.putBytes(range(to, count), src, srcIndex, count);
    }

    @Override
    String sizeLabel() {
        return ", size=" + length;
    }
}
