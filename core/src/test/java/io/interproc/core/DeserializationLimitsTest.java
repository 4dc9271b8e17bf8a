package io.interproc.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.interproc.core.testing.MaliciousStreams;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class DeserializationLimitsTest {
    /** Throws an error of the test's choosing while it is deserialized. */
    static final class Explodes implements Serializable {
        private static final long serialVersionUID = 1L;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            throw new OutOfMemoryError("test: Java heap space");
        }
    }

    @Test
    void shouldRefuseAHugePrimitiveArrayBeforeAllocatingIt() {
        Codec<String> codec = Codec.serializable("java.lang.String");
        byte[] bytes = MaliciousStreams.longArrayDeclaring(Integer.MAX_VALUE - 8);
        assertEquals(27, bytes.length);
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(bytes, 0, bytes.length));
        assertEquals("cannot deserialize 27 bytes with filter 'java.lang.String;!*': array too long: class=long[], "
                + "length=2147483639, maxarray=16777216", e.getMessage());
    }

    @Test
    void shouldRefuseAnArrayLongerThanTheMessageCanHold() {
        Codec<String> codec = Codec.serializable("java.lang.String");
        byte[] bytes = MaliciousStreams.longArrayDeclaring(1_000_000);
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(bytes, 0, bytes.length));
        assertEquals("cannot deserialize 27 bytes with filter 'java.lang.String;!*': array longer than the message: "
                + "class=long[], length=1000000, the message's arrays need at least 8000000 bytes, message bytes=27",
                e.getMessage());
        // a real array of the same kind passes
        Codec<long[]> longs = Codec.serializable("java.lang.String");
        byte[] real = longs.encode(new long[] {1, 2, 3});
        assertArrayEquals(new long[] {1, 2, 3}, longs.decode(real, 0, real.length));
    }

    @Test
    void shouldRefuseDeepNestingBeforeTheStackOverflows() {
        Codec<Object[]> codec = Codec.serializable("java.lang.Object");
        byte[] bytes = MaliciousStreams.nestedObjectArrays(3_000);
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(bytes, 0, bytes.length));
        assertEquals("cannot deserialize " + bytes.length + " bytes with filter 'java.lang.Object;!*': nesting too "
                + "deep: depth=501, maxdepth=500", e.getMessage());
        byte[] shallow = MaliciousStreams.nestedObjectArrays(400);
        Object[] top = codec.decode(shallow, 0, shallow.length);
        assertEquals(1, top.length);
    }

    @Test
    void shouldTurnAStackOverflowIntoCodecException() throws Exception {
        Codec<Object[]> codec = Codec.serializable(DeserializationLimits.defaults().withMaxDepth(1_000_000),
                "java.lang.Object");
        byte[] bytes = MaliciousStreams.nestedObjectArrays(50_000);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread small = new Thread(null, () -> {
            try {
                codec.decode(bytes, 0, bytes.length);
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "small-stack", 256 << 10);
        small.start();
        small.join();
        CodecException e = assertInstanceOf(CodecException.class, thrown.get());
        assertEquals("cannot deserialize " + bytes.length + " bytes with filter 'java.lang.Object;!*': nesting too "
                + "deep for this thread's stack: java.lang.StackOverflowError (maxdepth=1000000)", e.getMessage());
    }

    @Test
    void shouldTurnAnyErrorWhileDecodingIntoCodecException() {
        Codec<Explodes> codec = Codec.serializable(Explodes.class.getName());
        byte[] bytes = codec.encode(new Explodes());
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(bytes, 0, bytes.length));
        assertEquals("cannot deserialize " + bytes.length + " bytes with filter '" + Explodes.class.getName()
                + ";!*': out of memory: java.lang.OutOfMemoryError: test: Java heap space (maxarray=16777216,"
                + "maxdepth=500,maxrefs=4194304,maxbytes=67108864)", e.getMessage());
        assertInstanceOf(OutOfMemoryError.class, e.getCause());
    }

    @Test
    void shouldRefuseTooManyReferences() {
        Codec<Object[]> codec = Codec.serializable(DeserializationLimits.defaults().withMaxRefs(10), "java.lang.*");
        Object[] numbers = new Object[20];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = Integer.valueOf(1000 + i);
        }
        byte[] bytes = codec.encode(numbers);
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(bytes, 0, bytes.length));
        assertEquals("cannot deserialize " + bytes.length + " bytes with filter 'java.lang.*;!*': too many references: "
                + "refs=11, maxrefs=10", e.getMessage());
    }

    @Test
    void shouldRefuseAMessageOverMaxBytes() {
        Codec<String> codec = Codec.serializable(DeserializationLimits.defaults().withMaxBytes(10), "java.lang.String");
        byte[] bytes = codec.encode("0123456789");
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(bytes, 0, bytes.length));
        assertEquals("cannot deserialize " + bytes.length + " bytes with filter 'java.lang.String;!*': message too "
                + "large: bytes=" + bytes.length + ", maxbytes=10", e.getMessage());
    }

    @Test
    void shouldParseWhatItPrintsAndRefuseNonsense() {
        DeserializationLimits limits = DeserializationLimits.defaults().withMaxArray(7).withMaxDepth(8).withMaxRefs(9)
                .withMaxBytes(10);
        assertEquals("maxarray=7,maxdepth=8,maxrefs=9,maxbytes=10", limits.toString());
        assertEquals(limits, DeserializationLimits.parse(limits.toString()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeserializationLimits.parse("maxarray=7"));
        assertEquals("malformed deserialization limits: text='maxarray=7'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DeserializationLimits.defaults().withMaxDepth(0));
        assertEquals("maxdepth must be at least 1: maxdepth=0", e.getMessage());
    }
}
