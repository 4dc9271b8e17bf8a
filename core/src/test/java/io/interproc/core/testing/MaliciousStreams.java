package io.interproc.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Hand-crafted Java serialization streams that a reader without limits cannot survive: built with
 * {@link ObjectOutputStream}, then patched or repeated following the stream grammar.
 */
public final class MaliciousStreams {
    private MaliciousStreams() {
    }

    /** @return the serialization of {@code value} */
    public static byte[] serialize(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream oos = new ObjectOutputStream(out)) {
            oos.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A {@code long[0]} whose length field says {@code length}: 27 bytes that declare
     * {@code 8 * length} bytes of array.
     */
    public static byte[] longArrayDeclaring(int length) {
        byte[] bytes = serialize(new long[0]);
        // ... TC_ARRAY classdesc("[J") int length; the length is the last four bytes
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, length);
        return bytes;
    }

    /**
     * {@code Object[]{Object[]{...{null}...}}}, {@code depth} arrays deep, written by hand: the
     * first array with the full class descriptor, every inner one referring back to it.
     */
    public static byte[] nestedObjectArrays(int depth) {
        byte[] one = serialize(new Object[] {null});
        // header(4) TC_ARRAY(0x75) classdesc... int length(=1) TC_NULL(0x70)
        byte[] head = Arrays.copyOf(one, one.length - 1); // up to and with the first length
        byte[] inner = {0x75, 0x71, 0x00, 0x7E, 0x00, 0x00, 0, 0, 0, 1}; // TC_ARRAY TC_REFERENCE(classdesc) length 1
        ByteBuffer out = ByteBuffer.allocate(head.length + (depth - 1) * inner.length + 1);
        out.put(head);
        for (int i = 1; i < depth; i++) {
            out.put(inner);
        }
        out.put((byte) 0x70);
        return out.array();
    }
}
