package io.interproc.ipc.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.testing.TempSegments;
import io.interproc.sync.SharedEvent;
import io.interproc.sync.SharedSemaphore;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 10,000 virtual threads blocked at once in {@code SharedQueue.take()}, {@code SharedEvent.await()}
 * and {@code SharedSemaphore.acquire()}, released by producers and setters that are virtual
 * threads too: everything completes (no carrier is pinned in a kernel wait), and the blocked
 * threads cost next to no CPU. Runs on JDK 21+ (CI runs the suite on Temurin 25).
 */
@Timeout(value = 600, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VirtualThreadsTest {
    private static final int TAKERS = 4_000;
    private static final int AWAITERS = 3_000;
    private static final int ACQUIRERS = 3_000;

    @RegisterExtension
    final TempSegments segments = new TempSegments();

    @BeforeEach
    void virtualThreadsExist() {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+: java.version="
                + System.getProperty("java.version"));
    }

    @Test
    void shouldCompleteTenThousandBlockedVirtualThreadsReleasedByVirtualThreads() throws Exception {
        Segment s = segments.create(16 << 20);
        SharedQueue<String> q = SharedQueue.create(s, "q", 1 << 20, Codec.utf8());
        SharedEvent ev = SharedEvent.create(s, "ev");
        SharedSemaphore sem = SharedSemaphore.create(s, "sem", 0);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        ConcurrentHashMap<String, Boolean> taken = new ConcurrentHashMap<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < TAKERS; i++) {
            threads.add(virtual(() -> {
                started.incrementAndGet();
                taken.put(q.take(), Boolean.TRUE);
                done.incrementAndGet();
            }, failures));
        }
        for (int i = 0; i < AWAITERS; i++) {
            threads.add(virtual(() -> {
                started.incrementAndGet();
                ev.await();
                done.incrementAndGet();
            }, failures));
        }
        for (int i = 0; i < ACQUIRERS; i++) {
            threads.add(virtual(() -> {
                started.incrementAndGet();
                sem.acquire();
                done.incrementAndGet();
            }, failures));
        }
        int all = TAKERS + AWAITERS + ACQUIRERS;
        awaitCondition("all started", () -> started.get() == all);
        awaitCondition("all blocked (no carrier pinned: the producers below still run)", () -> blocked(threads) == all);
        assertEquals(0, done.get());

        // While they are blocked: next to no CPU (a generous bound: JIT and GC threads count too).
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(1000);
        double cpuShare = (double) (processCpuNanos() - cpu0) / (System.nanoTime() - t0);
        assertTrue(cpuShare < 0.5, "10,000 blocked virtual threads used " + cpuShare + " of a core");

        List<Thread> wakers = new ArrayList<>();
        wakers.add(virtual(() -> {
            for (int i = 0; i < TAKERS; i++) {
                q.put("m" + i);
            }
        }, failures));
        wakers.add(virtual(ev::set, failures));
        wakers.add(virtual(() -> {
            for (int i = 0; i < ACQUIRERS; i++) {
                sem.release();
            }
        }, failures));
        for (Thread t : wakers) {
            t.join(TimeUnit.MINUTES.toMillis(5));
            assertTrue(!t.isAlive(), "a waker did not finish: " + t);
        }
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(5));
            assertTrue(!t.isAlive(), "a blocked virtual thread never completed");
        }
        assertEquals(List.of(), failures);
        assertEquals(all, done.get());
        assertEquals(TAKERS, taken.size(), "every message taken exactly once");
        assertEquals(0, q.size());
        assertEquals(0, sem.availablePermits());
    }

    /** Starts a virtual thread (JDK 21+ API through reflection: this module compiles for 17). */
    private static Thread virtual(ThrowingRunnable body, List<Throwable> failures) throws Exception {
        Runnable r = () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failures.add(t);
            }
        };
        Method ofVirtual = Thread.class.getMethod("ofVirtual");
        Object builder = ofVirtual.invoke(null);
        Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
        return (Thread) start.invoke(builder, r);
    }

    private static long blocked(List<Thread> threads) {
        return threads.stream().filter(t -> t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING).count();
    }

    private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out waiting for: " + what);
            Thread.sleep(10);
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }
}
