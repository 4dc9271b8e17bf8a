package io.interproc.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.NoSuchObjectException;
import io.interproc.core.Segment;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.core.wait.WaitLoop;
import io.interproc.sync.internal.EventDescriptor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

class EventTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS), "test threads ended");
    }

    private static int waitersAt(Segment s, String name) {
        return s.objects().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow().offset()
                + EventDescriptor.WAITERS_OFFSET;
    }

    private static void awaitSleepers(Segment s, String name, int n) throws InterruptedException {
        int at = waitersAt(s, name);
        ChildJvms.awaitCondition(n + " sleepers on " + name, 10, () -> s.buffer().getIntVolatile(at) == n);
    }

    /**
     * CPU a thread may use while blocked about a second: a futex sleeper wakes once per 100 ms
     * slice; the portable parking waiter (-Dinterproc.waiter=parking) wakes every millisecond.
     */
    static long maxWaitingCpuNanos() {
        return TimeUnit.MILLISECONDS.toNanos(WaitLoop.waiter().name().equals("futex") ? 200 : 400);
    }

    private static <T> T result(Future<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldSetAndClear() {
        Segment s = segments.create(1 << 20);
        SharedEvent ev = SharedEvent.create(s, "ev");
        assertEquals("ev", ev.name());
        assertFalse(ev.isSet(), "created clear");
        ev.set();
        assertTrue(ev.isSet());
        ev.set();
        assertTrue(ev.isSet(), "set twice is set");
        assertTrue(SharedEvent.open(s, "ev").isSet(), "another handle sees it");
        assertTrue(SharedEvent.openOrCreate(s, "ev").isSet(), "openOrCreate opens the existing one");
        ev.clear();
        assertFalse(ev.isSet());
        ev.clear();
        assertFalse(ev.isSet(), "clear twice is clear");
        assertFalse(SharedEvent.openOrCreate(s, "new").isSet());
        assertEquals("no object named 'none' in segment '" + s.name() + "'",
                assertThrows(NoSuchObjectException.class, () -> SharedEvent.open(s, "none")).getMessage());
    }

    @Test
    void shouldReturnAtOnceWhenSet() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedEvent ev = SharedEvent.create(s, "ev");
        ev.set();
        ev.await();
        assertTrue(ev.await(0, TimeUnit.SECONDS));
        assertTrue(ev.await(-1, TimeUnit.SECONDS));
        assertTrue(ev.await(Duration.ZERO));
        assertTrue(ev.await(1, TimeUnit.HOURS));
        assertTrue(ev.await(Duration.ofDays(1)));
    }

    @Test
    void shouldCheckOnceWhenTheTimeoutIsNotPositive() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedEvent ev = SharedEvent.create(s, "ev");
        assertFalse(ev.await(0, TimeUnit.SECONDS));
        assertFalse(ev.await(-1, TimeUnit.MILLISECONDS));
        assertFalse(ev.await(Duration.ZERO));
        assertFalse(ev.await(Duration.ofSeconds(-3)));
        assertEquals(0, s.buffer().getIntVolatile(waitersAt(s, "ev")), "never registered as a sleeper");
    }

    @Test
    void shouldTimeOutWhileClear() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedEvent ev = SharedEvent.create(s, "ev");
        long t0 = System.nanoTime();
        assertFalse(ev.await(150, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(150), "waited the whole timeout");
        assertFalse(ev.await(Duration.ofMillis(20)));
        assertEquals(0, s.buffer().getIntVolatile(waitersAt(s, "ev")), "waiter count back to 0");
    }

    @Test
    void shouldWakeEveryWaiterInEveryAttachment() throws Exception {
        Segment a = segments.create(1 << 20);
        Segment b = segments.track(Segment.open(a.name(), segments.options()));
        SharedEvent evA = SharedEvent.create(a, "ev");
        SharedEvent evB = SharedEvent.open(b, "ev");
        List<Future<Boolean>> waiters = new ArrayList<>();
        for (SharedEvent ev : new SharedEvent[] {evA, evB}) {
            waiters.add(threads.submit(() -> {
                ev.await();
                return true;
            }));
            waiters.add(threads.submit(() -> ev.await(30, TimeUnit.SECONDS)));
            waiters.add(threads.submit(() -> ev.await(Duration.ofSeconds(30))));
        }
        awaitSleepers(a, "ev", 6);
        for (Future<Boolean> w : waiters) {
            assertFalse(w.isDone());
        }
        evB.set();
        for (Future<Boolean> w : waiters) {
            assertTrue(result(w));
        }
        assertTrue(evA.isSet());
    }

    @Test
    void shouldReleaseWaitersWhenTheEventIsClearedRightAfterItIsSet() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedEvent ev = SharedEvent.create(s, "ev");
        Future<Boolean> timed = threads.submit(() -> ev.await(30, TimeUnit.SECONDS));
        Future<Boolean> untimed = threads.submit(() -> {
            ev.await();
            return true;
        });
        awaitSleepers(s, "ev", 2);
        ev.set();
        ev.clear();
        assertTrue(result(timed), "it was set while the thread waited");
        assertTrue(result(untimed));
        assertFalse(ev.isSet());
        assertFalse(ev.await(10, TimeUnit.MILLISECONDS), "a later wait blocks again");
    }

    @Test
    void shouldThrowInterruptedExceptionAndClearTheStatus() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedEvent ev = SharedEvent.create(s, "ev");
        Thread[] waiter = new Thread[1];
        Future<Boolean> f = threads.submit(() -> {
            waiter[0] = Thread.currentThread();
            try {
                ev.await();
                return false;
            } catch (InterruptedException e) {
                return !Thread.currentThread().isInterrupted();
            }
        });
        awaitSleepers(s, "ev", 1);
        waiter[0].interrupt();
        assertTrue(result(f), "InterruptedException with the interrupt status cleared");
        awaitSleepers(s, "ev", 0);
        assertFalse(ev.isSet());
    }

    @Test
    void shouldThrowInterruptedExceptionWhenInterruptedOnEntry() {
        Segment s = segments.create(1 << 20);
        SharedEvent ev = SharedEvent.create(s, "ev");
        ev.set();
        Executable[] calls = {ev::await, () -> ev.await(1, TimeUnit.SECONDS), () -> ev.await(Duration.ZERO)};
        for (Executable call : calls) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, call);
            assertFalse(Thread.interrupted(), "status cleared");
        }
    }

    @Test
    void shouldThrowIllegalStateExceptionOnAClosedSegment() {
        Segment s = segments.create(1 << 20);
        SharedEvent ev = SharedEvent.create(s, "ev");
        s.close();
        String msg = "segment '" + s.name() + "' is closed";
        Executable[] calls = {ev::set, ev::clear, ev::isSet, ev::await, () -> ev.await(1, TimeUnit.SECONDS),
            () -> ev.await(Duration.ofSeconds(1)), () -> SharedEvent.open(s, "ev"), () -> SharedEvent.create(s, "x"),
            () -> SharedEvent.openOrCreate(s, "y")};
        for (Executable call : calls) {
            assertEquals(msg, assertThrows(IllegalStateException.class, call).getMessage());
        }
    }

    @Test
    void shouldFailABlockedAwaitWhenItsSegmentIsClosed() throws Exception {
        Segment a = segments.create(1 << 20);
        Segment b = segments.track(Segment.open(a.name(), segments.options()));
        SharedEvent.create(a, "ev");
        SharedEvent evB = SharedEvent.open(b, "ev");
        Future<?> f = threads.submit(() -> {
            evB.await();
            return null;
        });
        awaitSleepers(a, "ev", 1);
        b.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> result(f));
        assertTrue(e.getCause() instanceof IllegalStateException, "cause: " + e.getCause());
        assertEquals("segment '" + a.name() + "' is closed", e.getCause().getMessage());
    }

    @Test
    void shouldSleepWhileWaiting() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx.isCurrentThreadCpuTimeSupported(), "thread CPU time measurable");
        Segment s = segments.create(1 << 20);
        SharedEvent ev = SharedEvent.create(s, "ev");
        Future<long[]> f = threads.submit(() -> {
            long cpu0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            ev.await();
            return new long[] {System.nanoTime() - t0, mx.getCurrentThreadCpuTime() - cpu0};
        });
        awaitSleepers(s, "ev", 1);
        long sleepingSince = System.nanoTime();
        while (System.nanoTime() - sleepingSince < TimeUnit.SECONDS.toNanos(1)) {
            Thread.sleep(50); // let it block a measurable while: the property under test is its CPU use
        }
        ev.set();
        long[] wallAndCpu = result(f);
        assertTrue(wallAndCpu[0] >= TimeUnit.MILLISECONDS.toNanos(1000), "blocked about a second: " + wallAndCpu[0]);
        assertTrue(wallAndCpu[1] < maxWaitingCpuNanos(),
                "a blocked waiter sleeps: cpu=" + wallAndCpu[1] + " ns over wall=" + wallAndCpu[0] + " ns");
    }
}
