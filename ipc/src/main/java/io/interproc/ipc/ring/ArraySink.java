package io.interproc.ipc.ring;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Where a message is read to when the caller has no buffer: an array that grows with the
 * fragments that arrive (so a corrupt {@code total} cannot make the reader allocate what was
 * never sent). Confined to the reading thread.
 */
final class ArraySink {
    private static final int FIRST_ARRAY_BYTES = 1 << 20;
    private final int total;
    private ByteBuffer buf;

    private ArraySink(int total) {
        this.total = total;
    }

    /**
     * @param total the message's size as its first record says; the array is allocated on the
     *     first fragment (its exact size for a whole message) and grows by doubling
     */
    static ArraySink newArray(int total) {
        return new ArraySink(total);
    }

    /** @return the message, once it is complete (an array sink only) */
    byte[] array() {
        return buf.array();
    }

    /** @return the buffer to copy {@code n} more bytes into */
    ByteBuffer reserve(int n) {
        if (buf == null) {
            buf = ByteBuffer.allocate(Math.min(total, Math.max(n, FIRST_ARRAY_BYTES)));
            return buf;
        }
        if (buf.remaining() >= n) {
            return buf;
        }
        int pos = buf.position();
        int size = (int) Math.min(total, Math.max(2L * buf.capacity(), (long) pos + n));
        ByteBuffer bigger = ByteBuffer.wrap(Arrays.copyOf(buf.array(), size));
        bigger.position(pos);
        buf = bigger;
        return buf;
    }
}
