package io.interproc.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.CodecException;
import io.interproc.core.DeserializationLimits;
import io.interproc.core.SegmentOptions;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.MaliciousStreams;
import io.interproc.pool.children.SmallHeapPoolChild;
import io.interproc.pool.internal.PoolCodec;
import io.interproc.pool.internal.PoolWire;
import io.interproc.process.JvmProcess;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@link ProcessPool} with one real worker JVM against results too large to send or to receive
 * and against hostile serialized arguments: each fails its own task, the worker survives and the
 * pool goes on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoolLimitsTest {
    private static final long MAX_RESULT = 1_000_000;

    @RegisterExtension
    final ChildJvms children = new ChildJvms();
    private static ProcessPool pool;
    private static long workerPid;

    @BeforeAll
    static void startPool() {
        pool = ProcessPool.builder().workers(1).maxResultBytes(MAX_RESULT)
                .deserializationLimits(DeserializationLimits.defaults().withMaxArray(1000)).start();
        workerPid = pool.workerPids().get(0);
    }

    @AfterAll
    static void closePool() throws Exception {
        Path segment = SegmentOptions.defaultDirectory().resolve(pool.name());
        pool.close();
        assertTrue(pool.isTerminated());
        ChildJvms.awaitCondition("worker " + workerPid + " gone", 10,
                () -> ProcessHandle.of(workerPid).map(ProcessHandle::isAlive).orElse(false) == false);
        assertFalse(Files.exists(segment), "segment file left behind: " + segment);
    }

    private static Throwable failureOf(Future<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(20, TimeUnit.SECONDS));
        return e.getCause();
    }

    /** The same worker JVM is still there and runs tasks. */
    private static void assertWorkerSurvived() throws Exception {
        assertEquals(List.of(workerPid), pool.workerPids());
        assertEquals(42, pool.submit(() -> 42).get(20, TimeUnit.SECONDS));
        assertEquals(List.of(2, 4, 6), pool.map(x -> 2 * x, List.of(1, 2, 3), 2));
        assertEquals(List.of(workerPid), pool.workerPids());
    }

    @Test
    void shouldRefuseAnOversizedResultInTheWorker() throws Exception {
        Future<byte[]> big = pool.submit(() -> new byte[2_000_000]);
        Future<Integer> after = pool.submit(() -> 7);
        CodecException e = assertInstanceOf(CodecException.class, failureOf(big));
        assertEquals("result too large to send back: bytes=2000001, maxResultBytes=1000000", e.getMessage());
        assertEquals(7, after.get(20, TimeUnit.SECONDS));
        // just under the limit passes: a byte[] takes its length plus one
        assertEquals(999_999, pool.submit(() -> new byte[999_999]).get(20, TimeUnit.SECONDS).length);
        assertWorkerSurvived();
    }

    @Test
    void shouldRefuseAnOversizedExceptionInTheWorker() throws Exception {
        Future<Object> thrower = pool.submit(() -> {
            throw new IllegalStateException("x".repeat(2_000_000));
        });
        CodecException e = assertInstanceOf(CodecException.class, failureOf(thrower));
        assertTrue(e.getMessage().matches("exception too large to send back: class=java.lang.IllegalStateException, "
                + "bytes=\\d{7}, maxResultBytes=1000000"), e.getMessage());
        assertWorkerSurvived();
    }

    @Test
    void shouldRefuseTheResultsOfAChunkThatTogetherExceedTheLimit() throws Exception {
        Future<List<byte[]>> run = pool.mapAsync(n -> new byte[n], List.of(400_000, 400_000, 400_000), 3);
        CodecException e = assertInstanceOf(CodecException.class, failureOf(run));
        assertEquals("result too large to send back: bytes=400001, chunk total with its 2 earlier results=1200003, "
                + "maxResultBytes=1000000", e.getMessage());
        assertWorkerSurvived();
    }

    @Test
    void shouldFailOnlyTheTaskWhoseResultThisJvmCannotAllocate() throws Exception {
        // a pool of its own: the shared pool's collector may keep a buffer large enough already
        try (ProcessPool small = ProcessPool.builder().workers(1).maxResultBytes(MAX_RESULT).start()) {
            long pid = small.workerPids().get(0);
            small.engine().setResultBuffers(n -> {
                if (n > 256 << 10) {
                    throw new OutOfMemoryError("test: Java heap space");
                }
                return ByteBuffer.allocate(n);
            });
            Future<byte[]> big = small.submit(() -> new byte[500_000]);
            Future<Integer> after = small.submit(() -> 8);
            CodecException e = assertInstanceOf(CodecException.class, failureOf(big));
            // 24 bytes of header, 5 of outcome framing, 1 of value tag
            String expected = "cannot receive the result of task \\d+ \\(submit\\): " + Pattern.quote("500030 bytes "
                    + "do not fit in this JVM's heap (java.lang.OutOfMemoryError: test: Java heap space); the result "
                    + "was discarded (maxResultBytes=1000000)");
            assertTrue(e.getMessage().matches(expected), e.getMessage());
            assertInstanceOf(OutOfMemoryError.class, e.getCause());
            assertEquals(8, after.get(20, TimeUnit.SECONDS));
            // a result the heap can take still arrives, and a refused one again fails alone
            assertEquals(200_000, small.submit(() -> new byte[200_000]).get(20, TimeUnit.SECONDS).length);
            assertInstanceOf(CodecException.class, failureOf(small.submit(() -> new byte[300_000])));
            assertEquals(List.of(2, 4, 6), small.map(x -> 2 * x, List.of(1, 2, 3), 1));
            assertEquals(List.of(pid), small.workerPids());
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldFailOnlyTheTaskWhoseResultOverflowsARealSmallHeap() throws Exception {
        // the issue's case: 100 MiB into a pool JVM run with -Xmx64m
        JvmProcess parent = children.start(JvmProcess.builder(SmallHeapPoolChild.class).args("100")
                .jvmOptions("-Xmx64m").captureOutput());
        ChildJvms.awaitSuccess(parent, 120);
        String[] lines = parent.output().strip().split("\\R");
        assertEquals(3, lines.length, parent.output());
        String expected = "big failed: io.interproc.core.CodecException: cannot receive the result of task \\d+ "
                + "\\(submit\\): " + Pattern.quote("104857630 bytes do not fit in this JVM's heap "
                + "(java.lang.OutOfMemoryError: Java heap space); the result was discarded (maxResultBytes=419430400)");
        assertTrue(lines[0].matches(expected), parent.output() + parent.errorOutput());
        assertEquals("after: 42", lines[1]);
        assertEquals("same worker: true", lines[2]);
    }

    /** Sends {@code argument}, a hand-made {@link PoolCodec} encoding, to the identity function. */
    private static Future<Object> applyRaw(byte[] argument) {
        long id = pool.engine().nextTaskId();
        byte[] fn = pool.engine().codec().encodeTask((SerializableFunction<Object, Object>) x -> x);
        byte[] message = PoolWire.apply(id, fn, new byte[][] {argument}, 1);
        PoolFuture<Object> future = new PoolFuture<>(pool, id, message, "task " + id + " (applyAsync)", () -> {
        }, false, null, null, null, false);
        pool.engine().enqueue(future);
        return future;
    }

    private static byte[] java(byte[] stream) {
        byte[] out = new byte[1 + stream.length];
        out[0] = PoolCodec.JAVA;
        System.arraycopy(stream, 0, out, 1, stream.length);
        return out;
    }

    @Test
    void shouldSurviveAnArgumentDeclaringAHugeArray() throws Exception {
        Future<Object> hostile = applyRaw(java(MaliciousStreams.longArrayDeclaring(Integer.MAX_VALUE - 8)));
        CodecException e = assertInstanceOf(CodecException.class, failureOf(hostile));
        assertEquals("cannot deserialize: array too long: class=long[], length=2147483639, maxarray=1000",
                e.getMessage());
        assertWorkerSurvived();
    }

    @Test
    void shouldApplyTheConfiguredLimitsInTheWorkerAndHere() throws Exception {
        // an argument: refused by the worker
        Future<Object> argument = pool.applyAsync(x -> x, new long[1001]);
        CodecException e = assertInstanceOf(CodecException.class, failureOf(argument));
        assertEquals("cannot deserialize: array too long: class=long[], length=1001, maxarray=1000", e.getMessage());
        // a result: refused by this JVM
        Future<long[]> result = pool.submit(() -> new long[1001]);
        e = assertInstanceOf(CodecException.class, failureOf(result));
        assertTrue(e.getMessage().matches("cannot receive the result of task \\d+ \\(submit\\): cannot deserialize: "
                + "array too long: class=long\\[\\], length=1001, maxarray=1000"), e.getMessage());
        assertEquals(1000, pool.submit(() -> new long[1000]).get(20, TimeUnit.SECONDS).length);
        assertWorkerSurvived();
    }

    @Test
    void shouldSurviveAnArgumentNestedThousandsDeep() throws Exception {
        Future<Object> hostile = applyRaw(java(MaliciousStreams.nestedObjectArrays(3_000)));
        // the worker's CodecException has a stack trace over 500 levels deep: more frames than this
        // pool's maxarray=1000 lets this JVM deserialize, so it arrives as a RemoteTaskException
        RemoteTaskException e = assertInstanceOf(RemoteTaskException.class, failureOf(hostile));
        assertEquals(CodecException.class.getName(), e.remoteClassName());
        assertEquals("cannot deserialize: nesting too deep: depth=501, maxdepth=500", e.remoteMessage());
        assertTrue(e.getSuppressed()[0].getMessage().startsWith("cannot deserialize: array too long: "
                + "class=java.lang.StackTraceElement[], length="), e.getSuppressed()[0].getMessage());
        assertWorkerSurvived();
    }
}
