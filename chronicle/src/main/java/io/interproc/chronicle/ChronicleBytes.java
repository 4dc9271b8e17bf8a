package io.interproc.chronicle;

import io.interproc.core.SharedBytes;

import java.nio.ByteBuffer;
import java.util.Objects;

import net.openhft.chronicle.bytes.Bytes;

/**
 * Chronicle {@link Bytes} views of interproc's shared memory. A view reads and writes the shared
 * bytes directly (no copy); its positions are its own, its data is every process's. Plain memory
 * accesses: another process sees what a view wrote only after a release/acquire pair on some
 * shared object (a lock, a queue message, a {@code SharedLong.set}/{@code get}), as with
 * {@link SharedBytes#asByteBuffer()}. Bytes {@code read*Volatile}/{@code write*Ordered} methods
 * give their own orderings on single words.
 */
public final class ChronicleBytes {
    private ChronicleBytes() {
    }

    /**
     * A view of the whole {@link SharedBytes}, ready for writing from its first byte: write
     * position 0, write limit and capacity its size, not elastic (writing past the end throws
     * {@link java.nio.BufferOverflowException}). The caller owns the view; call
     * {@link Bytes#releaseLast()} when done. The view must not be used after the segment is
     * closed. Any thread; a view is for one thread at a time.
     *
     * @param shared the shared bytes
     * @return a new view
     * @throws IllegalStateException if the segment is closed
     */
    public static Bytes<ByteBuffer> forWrite(SharedBytes shared) {
        return Bytes.wrapForWrite(Objects.requireNonNull(shared, "shared").asByteBuffer());
    }

    /**
     * A view of the whole {@link SharedBytes}, ready for reading: read position 0, read limit its
     * size. As {@link #forWrite} otherwise.
     *
     * @param shared the shared bytes
     * @return a new view
     * @throws IllegalStateException if the segment is closed
     */
    public static Bytes<ByteBuffer> forRead(SharedBytes shared) {
        return Bytes.wrapForRead(Objects.requireNonNull(shared, "shared").asByteBuffer());
    }
}
