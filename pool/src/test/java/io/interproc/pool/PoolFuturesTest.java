package io.interproc.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.CodecException;
import io.interproc.core.SegmentOptions;
import io.interproc.core.testing.ChildJvms;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The composable side of {@link ProcessPool} with real worker JVMs: its futures as
 * {@link CompletableFuture}s, {@code starmap}, {@code asCompleted}, {@code supplyAsync}, an
 * {@link ExecutorCompletionService} over the pool, early errors for tasks that cannot travel, and
 * the {@link Duration} forms of its timeouts. One pool of two workers for all tests.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoolFuturesTest {
    private static ProcessPool pool;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startPool() {
        pool = ProcessPool.builder().workers(2).start();
    }

    @AfterAll
    static void closePool() throws Exception {
        Path segment = SegmentOptions.defaultDirectory().resolve(pool.name());
        pool.shutdown();
        boolean terminated = pool.awaitTermination(Duration.ofSeconds(30));
        if (!terminated) {
            pool.shutdownNow();
            pool.close();
        }
        assertTrue(terminated, "awaitTermination(Duration) returned false");
        assertFalse(Files.exists(segment), "segment file left behind: " + segment);
    }

    /** A task that writes its worker's pid to {@code file}, then sleeps. */
    private static SerializableCallable<Long> pidThenSleep(Path file, long millis) {
        String path = file.toString();
        return () -> {
            long pid = ProcessHandle.current().pid();
            Files.writeString(Paths.get(path), Long.toString(pid));
            Thread.sleep(millis);
            return pid;
        };
    }

    /** A task that waits (at most 30 s) until {@code file} exists, then returns {@code value}. */
    private static SerializableCallable<String> whenExists(Path file, String value) {
        String path = file.toString();
        return () -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(Paths.get(path)) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            return value;
        };
    }

    private static long awaitPid(Path file) throws InterruptedException {
        ChildJvms.awaitCondition("a worker wrote " + file, 20, () -> {
            try {
                return Files.exists(file) && !Files.readString(file).isEmpty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- CompletableFuture

    @Test
    void shouldComposeTheFutureOfASubmittedTask() throws Exception {
        Path go = tmp.resolve("go");
        CompletableFuture<String> task = pool.submit(whenExists(go, "ab"));
        AtomicReference<String> thread = new AtomicReference<>();
        CompletableFuture<Integer> length = task.thenApply(s -> {
            thread.set(Thread.currentThread().getName());
            return s.length();
        });
        CompletableFuture<String> both = length.thenCombine(pool.supplyAsync(() -> "x"), (n, x) -> x + n);
        Files.createFile(go);
        assertEquals("x2", both.get(20, TimeUnit.SECONDS));
        // chained before the outcome came: ran on the pool's callback thread, not its collector
        assertTrue(thread.get().endsWith("-callbacks"), thread.get());
        assertSame(task, task.toCompletableFuture());
    }

    @Test
    void shouldCallWhenCompleteWithTheFailure() throws Exception {
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        CompletableFuture<Integer> bad = pool.applyAsync((String s) -> Integer.parseInt(s), "forty-two");
        bad.whenComplete((value, failure) -> seen.complete(failure));
        assertInstanceOf(NumberFormatException.class, seen.get(20, TimeUnit.SECONDS));
        ExecutionException e = assertThrows(ExecutionException.class, bad::get);
        assertInstanceOf(NumberFormatException.class, e.getCause());
        assertInstanceOf(NumberFormatException.class,
                assertThrows(CompletionException.class, bad::join).getCause());
    }

    @Test
    void shouldKillTheWorkerWhenTheCompletableFutureIsCancelled() throws Exception {
        Path file = tmp.resolve("pid");
        CompletableFuture<Long> f = pool.submit(pidThenSleep(file, 60_000));
        CompletableFuture<String> dependent = f.thenApply(pid -> "never");
        long pid = awaitPid(file);
        assertTrue(f.cancel(true));
        assertTrue(f.isCancelled());
        assertThrows(CancellationException.class, f::get);
        assertTrue(dependent.isCompletedExceptionally());
        ChildJvms.awaitCondition("worker " + pid + " killed", 10,
                () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertEquals(6, pool.submit(() -> 6).get(20, TimeUnit.SECONDS));
    }

    @Test
    void shouldDropTheTaskCompletedByHand() throws Exception {
        Path never = tmp.resolve("never");
        Path go = tmp.resolve("go");
        List<CompletableFuture<String>> blockers = List.of(pool.submit(whenExists(go, "1")),
                pool.submit(whenExists(go, "2")));
        CompletableFuture<Long> queued = pool.submit(pidThenSleep(never, 0));
        assertTrue(queued.complete(-1L));
        assertEquals(-1L, queued.get());
        assertFalse(queued.complete(-2L));
        assertThrows(UnsupportedOperationException.class, () -> queued.obtrudeValue(-3L));
        Files.createFile(go);
        for (CompletableFuture<String> b : blockers) {
            b.get(20, TimeUnit.SECONDS);
        }
        assertEquals(7, pool.submit(() -> 7).get(20, TimeUnit.SECONDS)); // the queue has moved past it
        assertFalse(Files.exists(never), "a task completed by hand before it started ran anyway");
    }

    // ---------------------------------------------------------------- starmap

    @Test
    void shouldStarmapPairsInOrder() throws Exception {
        assertEquals(List.of(3, 7, 11), pool.starmap(Integer::sum, List.of(Map.entry(1, 2), Map.entry(3, 4),
                Map.entry(5, 6))));
        assertEquals(List.of("a1", "b2"), pool.starmap((String s, Integer n) -> s + n,
                List.of(Map.entry("a", 1), Map.entry("b", 2)), 1));
        assertEquals(List.of(), pool.starmap(Integer::sum, List.<Map.Entry<Integer, Integer>>of()));
        Future<List<Integer>> async = pool.starmapAsync((Integer a, Integer b) -> a * b,
                List.of(Map.entry(2, 3), Map.entry(4, 5)));
        assertEquals(List.of(6, 20), async.get(20, TimeUnit.SECONDS));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> pool.starmap((Integer a, Integer b) -> a / b, List.of(Map.entry(1, 1), Map.entry(1, 0))));
        assertInstanceOf(ArithmeticException.class, e.getCause());
        List<Map.Entry<Integer, Integer>> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(NullPointerException.class, () -> pool.starmap(Integer::sum, withNull));
    }

    @Test
    void shouldComposeTheFutureOfAMap() throws Exception {
        CompletableFuture<Integer> sum = pool.mapAsync((Integer x) -> x * x, List.of(1, 2, 3))
                .thenApply(squares -> squares.stream().mapToInt(Integer::intValue).sum());
        assertEquals(14, sum.get(20, TimeUnit.SECONDS));
        CompletableFuture<List<Integer>> star = pool.starmapAsync(Integer::sum, List.of(Map.entry(1, 2)), 1);
        assertEquals(List.of(3), star.get(20, TimeUnit.SECONDS));
        CompletableFuture<List<Integer>> failing = pool.mapAsync((Integer x) -> 1 / x, List.of(1, 0));
        ExecutionException e = assertThrows(ExecutionException.class, () -> failing.get(20, TimeUnit.SECONDS));
        assertInstanceOf(ArithmeticException.class, e.getCause());
        assertThrows(UnsupportedOperationException.class, () -> failing.obtrudeValue(List.of()));
    }

    @Test
    void shouldCancelAMapWhoseFutureTimesOut() throws Exception {
        CompletableFuture<List<Long>> slow = pool.mapAsync((Integer x) -> {
            Thread.sleep(3_000);
            return 0L;
        }, List.of(1), 1).orTimeout(100, TimeUnit.MILLISECONDS);
        ExecutionException e = assertThrows(ExecutionException.class, () -> slow.get(20, TimeUnit.SECONDS));
        assertInstanceOf(java.util.concurrent.TimeoutException.class, e.getCause());
        // The run was dropped: the pool is free again for the next task.
        assertEquals("ok", pool.submit(() -> "ok").get(30, TimeUnit.SECONDS));
    }

    // ---------------------------------------------------------------- asCompleted

    @Test
    void shouldHandOutFuturesInCompletionOrder() throws Exception {
        Path go = tmp.resolve("go");
        CompletableFuture<String> slow = pool.submit(whenExists(go, "slow"));
        CompletableFuture<String> fast = pool.submit(() -> "fast");
        AsCompleted<CompletableFuture<String>> order = ProcessPool.asCompleted(List.of(slow, fast),
                Duration.ofSeconds(30));
        assertTrue(order.hasNext());
        assertSame(fast, order.next());
        assertThrows(TimeoutException.class, () -> order.next(Duration.ofMillis(50)));
        Files.createFile(go);
        assertSame(slow, order.next());
        assertFalse(order.hasNext());
        assertThrows(NoSuchElementException.class, order::next);
    }

    @Test
    void shouldThrowFromAsCompletedOnceItsTimeoutHasPassed() {
        CompletableFuture<String> never = new CompletableFuture<>();
        CompletableFuture<String> done = CompletableFuture.completedFuture("done");
        AsCompleted<CompletableFuture<String>> order = ProcessPool.asCompleted(List.of(never, done),
                Duration.ofMillis(100));
        assertSame(done, order.next());
        CompletionException e = assertThrows(CompletionException.class, order::next);
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertTrue(e.getCause().getMessage().startsWith("1 of 2 futures not done within"), e.getCause().getMessage());

        FutureTask<String> plain = new FutureTask<>(() -> "x");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ProcessPool.asCompleted(List.of(plain), null));
        assertTrue(bad.getMessage().contains("future 0 is a java.util.concurrent.FutureTask"), bad.getMessage());
        plain.run();
        assertSame(plain, ProcessPool.asCompleted(List.of(plain), null).next());
    }

    // ---------------------------------------------------------------- JDK executors' clients

    @Test
    void shouldRunAnExecutorCompletionServiceInWorkers() throws Exception {
        CompletionService<Long> service = new ExecutorCompletionService<>(pool);
        Set<Future<Long>> submitted = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            submitted.add(service.submit((SerializableCallable<Long>) () -> ProcessHandle.current().pid()));
        }
        Set<Future<Long>> taken = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            Future<Long> f = service.poll(20, TimeUnit.SECONDS);
            assertTrue(f != null && f.isDone(), "completion service handed out " + f);
            assertNotEquals(ProcessHandle.current().pid(), f.get()); // ran in a worker
            taken.add(f);
        }
        assertEquals(submitted, taken);
        assertEquals("r", new ExecutorCompletionService<String>(pool)
                .submit((SerializableRunnable) () -> { }, "r").get(20, TimeUnit.SECONDS));
        Callable<Long> notSerializable = () -> 1L;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> service.submit(notSerializable));
        assertTrue(e.getMessage().contains("must be Serializable"), e.getMessage());
        assertEquals(8, pool.submit(() -> 8).get(20, TimeUnit.SECONDS)); // the refused one left no hand-off behind
    }

    @Test
    void shouldRefuseCompletableFutureAsyncTasksNamingThePoolApi() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CompletableFuture.supplyAsync(() -> 1, pool));
        assertTrue(e.getMessage().contains("pool.supplyAsync(SerializableSupplier)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CompletableFuture.runAsync(() -> { }, pool));
        assertEquals(42, pool.supplyAsync(() -> 42).get(20, TimeUnit.SECONDS));
        assertTrue(pool.runAsync(() -> { }).thenApply(v -> v == null).get(20, TimeUnit.SECONDS));
    }

    // ---------------------------------------------------------------- tasks that cannot travel

    /** Serializable, but holds something that is not. */
    static final class Holder implements Serializable {
        private static final long serialVersionUID = 1L;
        final Object inside;

        Holder(Object inside) {
            this.inside = inside;
        }
    }

    @Test
    void shouldNameTheValueThatCannotBeSerializedAtSubmit() {
        Thread thread = new Thread(() -> { });
        Holder holder = new Holder(thread);
        CodecException e = assertThrows(CodecException.class,
                () -> pool.submit((SerializableCallable<String>) () -> holder.inside.toString()));
        assertTrue(e.getMessage().contains("captured value 0 of lambda PoolFuturesTest.lambda$")
                && e.getMessage().contains("field Holder.inside (java.lang.Thread is not Serializable)"), e.getMessage());
        CodecException direct = assertThrows(CodecException.class,
                () -> pool.submit((SerializableCallable<String>) () -> thread.getName()));
        assertTrue(direct.getMessage().contains("captured value 0 of lambda")
                && direct.getMessage().contains("java.lang.Thread is not Serializable"), direct.getMessage());
    }

    // ---------------------------------------------------------------- timeouts

    @Test
    void shouldTimeOutInvokeAnyAndTakeDurations() throws Exception {
        Path go = tmp.resolve("go");
        try {
            assertThrows(TimeoutException.class,
                    () -> pool.invokeAny(List.of(whenExists(go, "late")), Duration.ofMillis(200)));
            List<Future<String>> timed = pool.invokeAll(List.of(whenExists(go, "late")), Duration.ofMillis(200));
            assertTrue(timed.get(0).isCancelled());
            assertEquals("now", pool.invokeAny(List.of(whenExists(go, "late"), () -> "now"), Duration.ofSeconds(20)));
        } finally {
            Files.createFile(go); // releases the cancelled tasks' workers (cancel kills running ones anyway)
        }
        try (ResultIterator<Integer> it = pool.imap(x -> x + 1, List.of(1))) {
            assertEquals(2, it.next(Duration.ofSeconds(20)));
        }
    }
}
