package io.interproc.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.KindMismatchException;
import io.interproc.core.Segment;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.sync.internal.SemaphoreDescriptor;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

class SemaphoreTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS), "test threads ended");
    }

    private static int base(Segment s, String name) {
        return s.objects().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow().offset();
    }

    /** Waits until {@code n} threads sleep on the semaphore's permit word, counting both waiter counts. */
    private static void awaitSleepers(Segment s, String name, int n) throws InterruptedException {
        int at = base(s, name);
        ChildJvms.awaitCondition(n + " sleepers on " + name, 10,
                () -> s.buffer().getIntVolatile(at + SemaphoreDescriptor.WAITERS_OFFSET)
                        + s.buffer().getIntVolatile(at + SemaphoreDescriptor.MULTI_WAITERS_OFFSET) == n);
    }

    private static <T> T result(Future<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldStartWithTheInitialPermits() {
        Segment s = segments.create(1 << 20);
        assertEquals(3, SharedSemaphore.create(s, "a", 3).availablePermits());
        assertEquals(0, SharedSemaphore.create(s, "b", 0).availablePermits());
        assertEquals(3, SharedSemaphore.open(s, "a").availablePermits());
        assertEquals(3, SharedSemaphore.openOrCreate(s, "a", 9).availablePermits(), "permits of an existing one ignored");
        assertEquals(5, SharedSemaphore.openOrCreate(s, "c", 5).availablePermits());
        assertEquals("a", SharedSemaphore.open(s, "a").name());
    }

    @Test
    void shouldRejectNegativeInitialPermits() {
        Segment s = segments.create(1 << 20);
        assertEquals("initial permits must be >= 0: permits=-1",
                assertThrows(IllegalArgumentException.class, () -> SharedSemaphore.create(s, "a", -1)).getMessage());
        assertEquals("initial permits must be >= 0: permits=-2",
                assertThrows(IllegalArgumentException.class, () -> SharedSemaphore.createBounded(s, "a", -2)).getMessage());
        assertEquals("initial permits must be >= 0: permits=-3",
                assertThrows(IllegalArgumentException.class, () -> SharedSemaphore.openOrCreate(s, "a", -3)).getMessage());
        assertEquals("initial permits must be >= 0: permits=-4",
                assertThrows(IllegalArgumentException.class,
                        () -> SharedSemaphore.openOrCreateBounded(s, "a", -4)).getMessage());
        assertTrue(s.objects().isEmpty(), "nothing was created");
    }

    @Test
    void shouldAcquireAndReleasePermits() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedSemaphore sem = SharedSemaphore.create(s, "sem", 3);
        assertTrue(sem.tryAcquire());
        assertTrue(sem.tryAcquire(2));
        assertEquals(0, sem.availablePermits());
        assertFalse(sem.tryAcquire());
        sem.release(2);
        assertEquals(2, sem.availablePermits());
        sem.acquire();
        sem.acquire(1);
        assertEquals(0, sem.availablePermits());
        sem.release();
        sem.acquireUninterruptibly();
        sem.release(3);
        sem.acquireUninterruptibly(3);
        assertEquals(0, sem.availablePermits());
        sem.acquire(0);
        assertTrue(sem.tryAcquire(0), "zero permits are always available");
        sem.release(0);
        assertEquals(0, sem.availablePermits());
        sem.release(10);
        assertEquals(10, sem.availablePermits(), "an unbounded semaphore can grow above its initial permits");
    }

    @Test
    void shouldLeaveTheCountUnchangedWhenTryAcquireFails() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedSemaphore sem = SharedSemaphore.create(s, "sem", 2);
        assertFalse(sem.tryAcquire(3));
        assertFalse(sem.tryAcquire(3, 0, TimeUnit.SECONDS));
        assertFalse(sem.tryAcquire(3, Duration.ofMillis(20)));
        assertEquals(2, sem.availablePermits());
    }

    @Test
    void shouldTryOnceWhenTheTimeoutIsNotPositive() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedSemaphore sem = SharedSemaphore.create(s, "sem", 2);
        assertTrue(sem.tryAcquire(0, TimeUnit.SECONDS));
        assertTrue(sem.tryAcquire(-5, TimeUnit.MILLISECONDS));
        assertFalse(sem.tryAcquire(0, TimeUnit.SECONDS));
        assertFalse(sem.tryAcquire(Duration.ZERO));
        assertFalse(sem.tryAcquire(Duration.ofSeconds(-1)));
        assertFalse(sem.tryAcquire(1, Long.MIN_VALUE, TimeUnit.NANOSECONDS));
        assertEquals(0, s.buffer().getIntVolatile(base(s, "sem") + SemaphoreDescriptor.WAITERS_OFFSET),
                "a try-once never registers as a sleeper");
    }

    @Test
    void shouldTimeOutWhenNoPermitComes() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedSemaphore sem = SharedSemaphore.create(s, "sem", 0);
        long t0 = System.nanoTime();
        assertFalse(sem.tryAcquire(150, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(150), "waited the whole timeout");
        assertFalse(sem.tryAcquire(Duration.ofMillis(30)));
        assertFalse(sem.tryAcquire(2, 30, TimeUnit.MILLISECONDS));
        assertEquals(0, sem.availablePermits());
        int at = base(s, "sem");
        assertEquals(0, s.buffer().getIntVolatile(at + SemaphoreDescriptor.WAITERS_OFFSET), "waiter count back to 0");
        assertEquals(0, s.buffer().getIntVolatile(at + SemaphoreDescriptor.MULTI_WAITERS_OFFSET));
    }

    @Test
    void shouldBlockUntilAnotherAttachmentReleases() throws Exception {
        Segment a = segments.create(1 << 20);
        Segment b = segments.track(Segment.open(a.name(), segments.options()));
        SharedSemaphore semA = SharedSemaphore.create(a, "sem", 0);
        SharedSemaphore semB = SharedSemaphore.open(b, "sem");
        Future<Boolean> waiter = threads.submit(() -> semB.tryAcquire(30, TimeUnit.SECONDS));
        awaitSleepers(a, "sem", 1);
        assertFalse(waiter.isDone());
        semA.release();
        assertTrue(result(waiter), "acquired the released permit");
        assertEquals(0, semA.availablePermits());
    }

    @Test
    void shouldWakeAsManyWaitersAsPermitsReleased() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedSemaphore sem = SharedSemaphore.create(s, "sem", 0);
        Future<?>[] waiters = new Future<?>[3];
        for (int i = 0; i < waiters.length; i++) {
            waiters[i] = threads.submit(() -> {
                sem.acquire();
                return null;
            });
        }
        awaitSleepers(s, "sem", 3);
        sem.release(2);
        ChildJvms.awaitCondition("two waiters acquired", 10,
                () -> (waiters[0].isDone() ? 1 : 0) + (waiters[1].isDone() ? 1 : 0) + (waiters[2].isDone() ? 1 : 0) == 2);
        sem.release();
        for (Future<?> w : waiters) {
            result(w);
        }
        assertEquals(0, sem.availablePermits());
    }

    @Test
    void shouldNotLetAWaiterForManyPermitsSwallowTheWakeUpOfOne() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedSemaphore sem = SharedSemaphore.create(s, "sem", 0);
        Future<?> many = threads.submit(() -> {
            sem.acquire(3);
            return null;
        });
        awaitSleepers(s, "sem", 1);
        Future<?> one = threads.submit(() -> {
            sem.acquire();
            return null;
        });
        awaitSleepers(s, "sem", 2);
        sem.release();
        result(one);
        assertFalse(many.isDone(), "one permit is not enough for three");
        sem.release(2);
        assertFalse(many.isDone(), "two permits are not enough either");
        sem.release();
        result(many);
        assertEquals(0, sem.availablePermits());
    }

    @Test
    void shouldThrowInterruptedExceptionAndClearTheStatus() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedSemaphore sem = SharedSemaphore.create(s, "sem", 0);
        Thread[] waiter = new Thread[1];
        Future<Boolean> f = threads.submit(() -> {
            waiter[0] = Thread.currentThread();
            try {
                sem.acquire();
                return false;
            } catch (InterruptedException e) {
                return !Thread.currentThread().isInterrupted();
            }
        });
        awaitSleepers(s, "sem", 1);
        waiter[0].interrupt();
        assertTrue(result(f), "InterruptedException with the interrupt status cleared");
        assertEquals(0, sem.availablePermits());
        awaitSleepers(s, "sem", 0);
    }

    @Test
    void shouldThrowInterruptedExceptionWhenInterruptedOnEntryEvenIfPermitsAreFree() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedSemaphore sem = SharedSemaphore.create(s, "sem", 5);
        Executable[] calls = {
            sem::acquire,
            () -> sem.acquire(2),
            () -> sem.tryAcquire(1, TimeUnit.SECONDS),
            () -> sem.tryAcquire(2, 1, TimeUnit.SECONDS),
            () -> sem.tryAcquire(Duration.ofSeconds(1)),
            () -> sem.tryAcquire(0, TimeUnit.SECONDS),
        };
        for (Executable call : calls) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, call);
            assertFalse(Thread.interrupted(), "status cleared");
        }
        assertEquals(5, sem.availablePermits());
        Thread.currentThread().interrupt();
        assertTrue(sem.tryAcquire(), "the untimed tryAcquire ignores interrupts");
        assertTrue(Thread.interrupted(), "and leaves the status alone");
    }

    @Test
    void shouldKeepWaitingUninterruptibly() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedSemaphore sem = SharedSemaphore.create(s, "sem", 0);
        Thread[] waiter = new Thread[1];
        Future<Boolean> f = threads.submit(() -> {
            waiter[0] = Thread.currentThread();
            sem.acquireUninterruptibly(2);
            return Thread.currentThread().isInterrupted();
        });
        awaitSleepers(s, "sem", 1);
        waiter[0].interrupt();
        sem.release();
        assertFalse(f.isDone());
        sem.release();
        assertTrue(result(f), "acquired, with the interrupt status set again");
        assertEquals(0, sem.availablePermits());
    }

    @Test
    void shouldDrainPermits() {
        Segment s = segments.create(1 << 20);
        SharedSemaphore sem = SharedSemaphore.create(s, "sem", 4);
        assertEquals(4, sem.drainPermits());
        assertEquals(0, sem.drainPermits());
        assertEquals(0, sem.availablePermits());
    }

    @Test
    void shouldRefuseAReleaseAboveTheMaximumOfABoundedSemaphore() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedSemaphore sem = SharedSemaphore.createBounded(s, "slots", 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
        assertEquals("bounded semaphore 'slots' released too many times: availablePermits=3, permits=1, maxPermits=3",
                e.getMessage());
        assertEquals(3, sem.availablePermits(), "count unchanged");
        sem.acquire(2);
        e = assertThrows(IllegalStateException.class, () -> sem.release(3));
        assertEquals("bounded semaphore 'slots' released too many times: availablePermits=1, permits=3, maxPermits=3",
                e.getMessage());
        assertEquals(1, sem.availablePermits(), "count unchanged by the refused release");
        sem.release(2);
        assertEquals(3, sem.availablePermits());
        assertEquals(3, sem.drainPermits());
        sem.release(3);
        assertEquals(3, sem.availablePermits());
    }

    @Test
    void shouldDescribeBoundedness() {
        Segment s = segments.create(1 << 20);
        SharedSemaphore bounded = SharedSemaphore.createBounded(s, "b", 2);
        SharedSemaphore plain = SharedSemaphore.create(s, "p", 2);
        assertTrue(bounded.isBounded());
        assertEquals(2, bounded.maxPermits());
        assertFalse(plain.isBounded());
        assertEquals("semaphore 'p' is not bounded: maxPermits is undefined",
                assertThrows(IllegalStateException.class, plain::maxPermits).getMessage());
        assertTrue(SharedSemaphore.open(s, "b").isBounded(), "open keeps the kind of semaphore");
        assertFalse(SharedSemaphore.openOrCreateBounded(s, "p", 5).isBounded(),
                "creation parameters of an existing semaphore are ignored");
        assertTrue(SharedSemaphore.openOrCreate(s, "b", 5).isBounded());
        assertEquals(2, SharedSemaphore.openOrCreate(s, "b", 5).maxPermits());
        SharedSemaphore fresh = SharedSemaphore.openOrCreateBounded(s, "f", 1);
        assertTrue(fresh.isBounded());
        assertEquals(1, fresh.maxPermits());
        assertEquals(0, SharedSemaphore.createBounded(s, "zero", 0).maxPermits());
    }

    @Test
    void shouldRejectAnAcquireThatABoundedSemaphoreCanNeverSatisfy() {
        Segment s = segments.create(1 << 20);
        SharedSemaphore sem = SharedSemaphore.createBounded(s, "slots", 2);
        String msg = "bounded semaphore 'slots' can never have that many permits: permits=3, maxPermits=2";
        assertEquals(msg, assertThrows(IllegalArgumentException.class, () -> sem.acquire(3)).getMessage());
        assertEquals(msg, assertThrows(IllegalArgumentException.class, () -> sem.tryAcquire(3)).getMessage());
        assertEquals(msg, assertThrows(IllegalArgumentException.class,
                () -> sem.tryAcquire(3, 1, TimeUnit.SECONDS)).getMessage());
        assertEquals(msg, assertThrows(IllegalArgumentException.class, () -> sem.acquireUninterruptibly(3)).getMessage());
        assertEquals(2, sem.availablePermits());
    }

    @Test
    void shouldRejectNegativePermitCounts() {
        Segment s = segments.create(1 << 20);
        SharedSemaphore sem = SharedSemaphore.create(s, "sem", 1);
        String msg = "permits must be >= 0: permits=-1";
        assertEquals(msg, assertThrows(IllegalArgumentException.class, () -> sem.acquire(-1)).getMessage());
        assertEquals(msg, assertThrows(IllegalArgumentException.class, () -> sem.acquireUninterruptibly(-1)).getMessage());
        assertEquals(msg, assertThrows(IllegalArgumentException.class, () -> sem.tryAcquire(-1)).getMessage());
        assertEquals(msg, assertThrows(IllegalArgumentException.class,
                () -> sem.tryAcquire(-1, 1, TimeUnit.SECONDS)).getMessage());
        assertEquals(msg, assertThrows(IllegalArgumentException.class,
                () -> sem.tryAcquire(-1, Duration.ofSeconds(1))).getMessage());
        assertEquals(msg, assertThrows(IllegalArgumentException.class, () -> sem.release(-1)).getMessage());
        assertEquals(1, sem.availablePermits());
    }

    @Test
    void shouldRefuseAPermitCountOverflow() {
        Segment s = segments.create(1 << 20);
        SharedSemaphore sem = SharedSemaphore.create(s, "sem", Integer.MAX_VALUE - 1);
        sem.release();
        IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
        assertEquals("semaphore 'sem' permit count would overflow: availablePermits=2147483647, permits=1, "
                + "max=2147483647", e.getMessage());
        assertEquals(Integer.MAX_VALUE, sem.availablePermits());
    }

    @Test
    void shouldThrowIllegalStateExceptionOnAClosedSegment() {
        Segment s = segments.create(1 << 20);
        SharedSemaphore sem = SharedSemaphore.createBounded(s, "sem", 2);
        s.close();
        String msg = "segment '" + s.name() + "' is closed";
        Executable[] calls = {
            sem::acquire, () -> sem.acquire(1), sem::acquireUninterruptibly, () -> sem.acquireUninterruptibly(1),
            sem::tryAcquire, () -> sem.tryAcquire(1), () -> sem.tryAcquire(1, TimeUnit.SECONDS),
            () -> sem.tryAcquire(1, 1, TimeUnit.SECONDS), () -> sem.tryAcquire(Duration.ofSeconds(1)),
            () -> sem.tryAcquire(1, Duration.ofSeconds(1)), sem::release, () -> sem.release(1),
            sem::availablePermits, sem::drainPermits,
            () -> SharedSemaphore.open(s, "sem"), () -> SharedSemaphore.create(s, "other", 1),
        };
        for (Executable call : calls) {
            assertEquals(msg, assertThrows(IllegalStateException.class, call).getMessage());
        }
        assertTrue(sem.isBounded(), "the fixed description stays readable");
        assertEquals(2, sem.maxPermits());
    }

    @Test
    void shouldFailABlockedAcquireWhenItsSegmentIsClosed() throws Exception {
        Segment a = segments.create(1 << 20);
        Segment b = segments.track(Segment.open(a.name(), segments.options()));
        SharedSemaphore.create(a, "sem", 0);
        SharedSemaphore semB = SharedSemaphore.open(b, "sem");
        Future<?> f = threads.submit(() -> {
            semB.acquire();
            return null;
        });
        awaitSleepers(a, "sem", 1);
        b.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> result(f));
        assertTrue(e.getCause() instanceof IllegalStateException, "cause: " + e.getCause());
        assertEquals("segment '" + a.name() + "' is closed", e.getCause().getMessage());
    }

    @Test
    void shouldNotGiveBackThePermitsOfADetachedHolder() throws Exception {
        Segment a = segments.create(1 << 20);
        Segment b = segments.track(Segment.open(a.name(), segments.options()));
        SharedSemaphore semA = SharedSemaphore.create(a, "sem", 2);
        SharedSemaphore.open(b, "sem").acquire();
        b.close();
        assertFalse(a.isAlive(b.ownerId()));
        assertEquals(1, semA.availablePermits(), "permits are not owned: a holder that is gone keeps its permit");
    }

    @Test
    void shouldPassOnAWakeUpWhenAWokenWaiterIsInterrupted() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedSemaphore sem = SharedSemaphore.create(s, "sem", 0);
        AtomicBoolean gotIt = new AtomicBoolean();
        Thread[] first = new Thread[1];
        Future<?> interrupted = threads.submit(() -> {
            first[0] = Thread.currentThread();
            try {
                sem.acquire();
                gotIt.set(true);
            } catch (InterruptedException expected) {
                // the permit stays for the other waiter
            }
            return null;
        });
        awaitSleepers(s, "sem", 1);
        Future<Boolean> second = threads.submit(() -> sem.tryAcquire(30, TimeUnit.SECONDS));
        awaitSleepers(s, "sem", 2);
        first[0].interrupt();
        sem.release();
        result(interrupted);
        if (!gotIt.get()) {
            assertTrue(result(second), "the other waiter got the permit");
        } else {
            sem.release();
            assertTrue(result(second));
        }
        assertEquals(0, sem.availablePermits());
    }

    @Test
    void shouldRefuseToOpenAnotherKindAsASemaphore() {
        Segment s = segments.create(1 << 20);
        SharedSemaphore.create(s, "sem", 1);
        SharedEvent.create(s, "ev");
        assertEquals("object 'ev' in segment '" + s.name() + "' is a SharedEvent, not a SharedSemaphore",
                assertThrows(KindMismatchException.class, () -> SharedSemaphore.open(s, "ev")).getMessage());
        assertEquals("object 'sem' in segment '" + s.name() + "' is a SharedSemaphore, not a SharedEvent",
                assertThrows(KindMismatchException.class, () -> SharedEvent.open(s, "sem")).getMessage());
    }

    @Test
    void shouldReportACorruptPermitCount() {
        Segment s = segments.create(1 << 20);
        SharedSemaphore sem = SharedSemaphore.createBounded(s, "sem", 2);
        int at = base(s, "sem");
        s.buffer().setIntVolatile(at + SemaphoreDescriptor.PERMITS_OFFSET, -5);
        assertEquals("SharedSemaphore 'sem' in segment '" + s.name() + "' is corrupt: permits=-5 is outside [0, 2]",
                assertThrows(CorruptSegmentException.class, sem::availablePermits).getMessage());
        assertThrows(CorruptSegmentException.class, sem::tryAcquire);
        s.buffer().setIntVolatile(at + SemaphoreDescriptor.MAX_PERMITS_OFFSET, -1);
        assertEquals("SharedSemaphore 'sem' in segment '" + s.name() + "' is corrupt: maxPermits=-1 is outside [0, "
                + Integer.MAX_VALUE + "]",
                assertThrows(CorruptSegmentException.class, () -> SharedSemaphore.open(s, "sem")).getMessage());
        s.buffer().setIntVolatile(at + SemaphoreDescriptor.FLAGS_OFFSET, 6);
        assertEquals("SharedSemaphore 'sem' in segment '" + s.name() + "' is corrupt: flags=6 is outside [0, 1]",
                assertThrows(CorruptSegmentException.class, () -> SharedSemaphore.open(s, "sem")).getMessage());
    }
}
