package io.interproc.pool.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.CodecException;
import io.interproc.core.DeserializationLimits;
import io.interproc.core.testing.MaliciousStreams;
import io.interproc.pool.ProcessPool;
import io.interproc.pool.ProcessPoolBuilder;
import io.interproc.pool.RemoteTaskException;
import io.interproc.pool.SerializableFunction;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** The pool's codec, wire format and builder checks, without worker JVMs. */
class PoolWireTest {
    private final PoolCodec open = new PoolCodec(null, getClass().getClassLoader());

    private Object roundTrip(PoolCodec codec, Object value) {
        byte[] bytes = codec.encode(value);
        return codec.decode(bytes, 0, bytes.length);
    }

    @Test
    void shouldCarryBuiltInTypesAsRawBytes() {
        assertArrayEquals(new byte[] {PoolCodec.INT, 42, 0, 0, 0}, open.encode(42));
        assertArrayEquals(new byte[] {PoolCodec.NULL}, open.encode(null));
        assertArrayEquals(new byte[] {PoolCodec.STRING, 'h', 'i'}, open.encode("hi"));
        for (Object v : new Object[] {null, 7, -7L, 2.5, true, false, "", "text ü ∑", Integer.MIN_VALUE}) {
            assertEquals(v, roundTrip(open, v));
        }
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) roundTrip(open, new byte[] {1, 2, 3}));
        assertEquals(List.of(1, 2), roundTrip(open, new ArrayList<>(List.of(1, 2))));
    }

    @Test
    void shouldEncodeInPlaceAsABlob() {
        PoolWire.Writer w = new PoolWire.Writer(16);
        open.encodeTo(w, 5);
        open.encodeTo(w, 6L);
        open.encodeTo(w, 1.5);
        open.encodeTo(w, "s");
        byte[] bytes = w.toArray();
        PoolWire.Reader r = new PoolWire.Reader(bytes, 0, bytes.length);
        for (Object expected : new Object[] {5, 6L, 1.5, "s"}) {
            int length = r.getInt();
            int at = r.skip(length);
            assertEquals(expected, open.decode(bytes, at, length));
        }
        assertEquals(0, r.remaining());
    }

    @Test
    void shouldRefuseWhatCannotBeEncodedOrDecoded() {
        CodecException notSerializable = assertThrows(CodecException.class, () -> open.encode(new Object()));
        assertEquals("cannot serialize java.lang.Object: java.io.NotSerializableException: java.lang.Object",
                notSerializable.getMessage());
        assertEquals("empty encoding: length=0", assertThrows(CodecException.class,
                () -> open.decode(new byte[0], 0, 0)).getMessage());
        assertEquals("unknown value tag: tag=77, length=1", assertThrows(CodecException.class,
                () -> open.decode(new byte[] {77}, 0, 1)).getMessage());
        assertEquals("truncated value: tag=1, length=3", assertThrows(CodecException.class,
                () -> open.decode(new byte[] {PoolCodec.INT, 1, 2}, 0, 3)).getMessage());
        byte[] corrupt = {PoolCodec.JAVA, 1, 2, 3};
        String message = assertThrows(CodecException.class, () -> open.decode(corrupt, 0, corrupt.length)).getMessage();
        assertTrue(message.startsWith("cannot deserialize: java.io."), message);
    }

    @Test
    void shouldApplyTheAllowList() {
        String spec = PoolCodec.filterSpec(List.of("java.util.TreeMap"));
        assertEquals("java.util.TreeMap;java.lang.*;java.lang.invoke.SerializedLambda;io.interproc.pool.**;io.interproc.ipc.**;"
                + "io.interproc.core.*;java.util.Collections$*;java.util.ArrayList;!*", spec);
        assertNull(PoolCodec.filterSpec(List.of()));
        PoolCodec restricted = new PoolCodec(spec, getClass().getClassLoader());
        assertEquals(new TreeMap<>(Map.of("a", 1)), roundTrip(restricted, new TreeMap<>(Map.of("a", 1))));
        byte[] hashMap = restricted.encode(new HashMap<>(Map.of("a", 1)));
        CodecException rejected = assertThrows(CodecException.class, () -> restricted.decode(hashMap, 0, hashMap.length));
        assertEquals("cannot deserialize (class allow-list '" + spec + "'): class not allowed: class=java.util.HashMap "
                + "(filter status: REJECTED)", rejected.getMessage());
        // exceptions and their stack traces pass with only the built-in patterns
        Object e = roundTrip(restricted, new IllegalStateException("boom", new ArithmeticException("zero")));
        assertEquals("boom", ((Throwable) e).getMessage());
        assertInstanceOf(ArithmeticException.class, ((Throwable) e).getCause());
        assertInstanceOf(CodecException.class, roundTrip(restricted, new CodecException("from a worker")));
        assertInstanceOf(RemoteTaskException.class, roundTrip(restricted, new RemoteTaskException("a.B", "m", "t")));
        assertEquals("invalid class pattern: pattern='a;b'", assertThrows(IllegalArgumentException.class,
                () -> PoolCodec.filterSpec(List.of("a;b"))).getMessage());
        assertEquals("invalid class pattern: pattern=null", assertThrows(IllegalArgumentException.class,
                () -> PoolCodec.filterSpec(java.util.Arrays.asList((String) null))).getMessage());
    }

    @Test
    void shouldReuseTheBytesOfStatelessLambdasOnly() {
        SerializableFunction<Integer, Integer> stateless = x -> x + 1;
        assertSame(open.encodeTask(stateless), open.encodeTask(stateless));
        int captured = 3;
        SerializableFunction<Integer, Integer> capturing = x -> x + captured;
        assertNotSame(open.encodeTask(capturing), open.encodeTask(capturing));
        assertArrayEquals(open.encodeTask(capturing), open.encodeTask(capturing));
    }

    @Test
    void shouldBringBackAnExceptionOrItsStandIn() {
        IllegalStateException original = new IllegalStateException("bad state");
        PoolWire.Writer w = PoolWire.result(1, 2, 3, 1);
        PoolWire.error(w, original, open);
        byte[] bytes = w.toArray();
        PoolWire.Reader r = new PoolWire.Reader(bytes, 0, bytes.length);
        assertEquals(PoolWire.RESULT, r.getInt());
        assertEquals(1, r.getInt());
        assertEquals(2, r.getInt());
        assertEquals(3L, r.getLong());
        assertEquals(1, r.getInt());
        assertEquals(PoolWire.ERROR, r.get());
        Throwable back = PoolWire.readError(r, open);
        assertInstanceOf(IllegalStateException.class, back);
        assertEquals(frames(original), frames(back));

        // not serializable: only the plain form travels
        class Local extends RuntimeException {
            private static final long serialVersionUID = 1L;
            @SuppressWarnings("unused")
            private final Object notSerializable = new Object();

            Local() {
                super("local failure");
            }
        }
        Local local = new Local();
        w = new PoolWire.Writer(16);
        PoolWire.error(w, local, open);
        bytes = w.toArray();
        r = new PoolWire.Reader(bytes, 1, bytes.length - 1);
        RemoteTaskException remote = assertInstanceOf(RemoteTaskException.class, PoolWire.readError(r, open));
        assertEquals(Local.class.getName(), remote.remoteClassName());
        assertEquals("local failure", remote.remoteMessage());
        assertEquals(Local.class.getName() + ": local failure", remote.getMessage());
        assertEquals(frames(local), frames(remote));
        assertTrue(remote.remoteStackTrace().startsWith(Local.class.getName() + ": local failure"));
        assertEquals(0, remote.getSuppressed().length);

        // serializable, but rejected here: the stand-in says why
        PoolCodec restricted = new PoolCodec(PoolCodec.filterSpec(List.of("none.Such")), getClass().getClassLoader());
        w = new PoolWire.Writer(16);
        PoolWire.error(w, new UncheckedIOException(new IOException("io")), open);
        bytes = w.toArray();
        r = new PoolWire.Reader(bytes, 1, bytes.length - 1);
        remote = assertInstanceOf(RemoteTaskException.class, PoolWire.readError(r, restricted));
        assertEquals("java.io.UncheckedIOException", remote.remoteClassName());
        assertInstanceOf(CodecException.class, remote.getSuppressed()[0]);
        assertNull(new RemoteTaskException("x.Y", null, "trace").remoteMessage());
        assertEquals("x.Y", new RemoteTaskException("x.Y", null, "trace").getMessage());
    }

    private static byte[] java(byte[] stream) {
        byte[] out = new byte[1 + stream.length];
        out[0] = PoolCodec.JAVA;
        System.arraycopy(stream, 0, out, 1, stream.length);
        return out;
    }

    @Test
    void shouldRefuseHostileStreamsWithinTheLimitsWithOrWithoutAnAllowList() {
        byte[] huge = java(MaliciousStreams.longArrayDeclaring(Integer.MAX_VALUE - 8));
        byte[] deep = java(MaliciousStreams.nestedObjectArrays(3_000));
        assertEquals("cannot deserialize: array too long: class=long[], length=2147483639, maxarray=16777216",
                assertThrows(CodecException.class, () -> open.decode(huge, 0, huge.length)).getMessage());
        assertEquals("cannot deserialize: nesting too deep: depth=501, maxdepth=500",
                assertThrows(CodecException.class, () -> open.decode(deep, 0, deep.length)).getMessage());
        String spec = PoolCodec.filterSpec(List.of("java.util.TreeMap"));
        PoolCodec restricted = new PoolCodec(spec, getClass().getClassLoader());
        assertEquals("cannot deserialize (class allow-list '" + spec + "'): array too long: class=long[], "
                + "length=2147483639, maxarray=16777216",
                assertThrows(CodecException.class, () -> restricted.decode(huge, 0, huge.length)).getMessage());
        // configured limits; a result in a RESULT message is refused the same way
        PoolCodec tight = new PoolCodec(null, getClass().getClassLoader(),
                DeserializationLimits.defaults().withMaxArray(100));
        byte[] longs = tight.encode(new long[101]);
        assertEquals("cannot deserialize: array too long: class=long[], length=101, maxarray=100",
                assertThrows(CodecException.class, () -> tight.decode(longs, 0, longs.length)).getMessage());
        assertEquals(100, ((long[]) tight.decode(tight.encode(new long[100]), 0, longs.length - 8)).length);
        assertEquals("PoolCodec[filter=allow all, maxarray=100,maxdepth=500,maxrefs=4194304,maxbytes=67108864]",
                tight.toString());
    }

    private static List<String> frames(Throwable t) {
        List<String> out = new ArrayList<>();
        for (StackTraceElement f : t.getStackTrace()) {
            out.add(f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")");
        }
        return out;
    }

    @Test
    void shouldCheckEveryLengthItReads() {
        byte[] message = PoolWire.call(9, new byte[] {PoolCodec.NULL});
        PoolWire.setGeneration(message, 5);
        PoolWire.Reader r = new PoolWire.Reader(message, 0, message.length);
        assertEquals(PoolWire.TASK, r.getInt());
        assertEquals(5, r.getInt());
        assertEquals(9L, r.getLong());
        assertEquals(PoolWire.CALL, r.get());
        assertEquals(1, r.getInt());
        r.skip(1);
        assertEquals(0, r.remaining());
        assertEquals("corrupt message: needed 4 more bytes, 0 left",
                assertThrows(CodecException.class, r::getInt).getMessage());
        PoolWire.Reader negative = new PoolWire.Reader(new byte[] {-2, -1, -1, -1}, 0, 4);
        assertEquals("corrupt message: negative length -2",
                assertThrows(CodecException.class, negative::getString).getMessage());
        byte[] stop = PoolWire.stop(7);
        assertEquals(16, stop.length);
    }

    @Test
    void shouldValidateTheBuilder() {
        ProcessPoolBuilder b = ProcessPool.builder();
        assertEquals("workers must be at least 1: workers=0",
                assertThrows(IllegalArgumentException.class, () -> b.workers(0)).getMessage());
        assertEquals("maxTasksPerWorker must be 0 (unlimited) or more: maxTasksPerWorker=-1",
                assertThrows(IllegalArgumentException.class, () -> b.maxTasksPerWorker(-1)).getMessage());
        assertEquals("prefetch must be 0 or more: prefetch=-1",
                assertThrows(IllegalArgumentException.class, () -> b.prefetch(-1)).getMessage());
        assertEquals("capacity must be 1 to 1073741824 bytes: capacity=0",
                assertThrows(IllegalArgumentException.class, () -> b.queueCapacity(0)).getMessage());
        assertEquals("startTimeout must be positive: startTimeout=PT0S",
                assertThrows(IllegalArgumentException.class, () -> b.startTimeout(java.time.Duration.ZERO)).getMessage());
        assertEquals("invalid class pattern: pattern=' '",
                assertThrows(IllegalArgumentException.class, () -> b.allowClasses(" ")).getMessage());
        assertTrue(b.workers(3).toString().startsWith("ProcessPoolBuilder[workers=3, maxTasksPerWorker=0, prefetch=16"),
                b.toString());
    }
}
