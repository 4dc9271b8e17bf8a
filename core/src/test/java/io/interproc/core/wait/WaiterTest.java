package io.interproc.core.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.PeerDiedException;
import io.interproc.core.Segment;
import io.interproc.core.SharedIntArray;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.testing.TempSegments;
import io.interproc.core.value.ArrayDescriptor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** In-process tests of the waiting protocol, for both waiters; cross-JVM ones are in CrossProcessWaitTest. */
class WaiterTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    @Test
    void shouldUseFutexOnLinux() {
        assertEquals("futex", Waiter.get().name());
        assertEquals("parking", Waiter.choose("parking").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Waiter.choose("spin"));
        assertEquals("unknown waiter: interproc.waiter=spin (expected futex or parking)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"futex", "parking"})
    void shouldWakeASleeperWhenTheWordChanges(String kind) throws Exception {
        Waiter waiter = Waiter.choose(kind);
        Segment s = segments.create(1 << 20);
        SharedBuffer b = s.buffer();
        int word = s.objects().isEmpty() ? (int) s.usedBytes() : 0;
        SharedIntArray.create(s, "w", 2); // reserve the memory the word lives in
        int at = s.objects().get(0).offset() + ArrayDescriptor.DATA_OFFSET;
        CompletableFuture<Long> slept = CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            while (b.getIntVolatile(at) == 0) {
                waiter.await(b, at, 0, TimeUnit.SECONDS.toNanos(30));
            }
            return System.nanoTime() - start;
        });
        b.setIntVolatile(at, 1);
        waiter.wake(b, at, Integer.MAX_VALUE);
        assertTrue(slept.get(10, TimeUnit.SECONDS) < TimeUnit.SECONDS.toNanos(10));
        assertTrue(word >= 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"futex", "parking"})
    void shouldReturnAtOnceIfTheWordAlreadyDiffers(String kind) {
        Waiter waiter = Waiter.choose(kind);
        Segment s = segments.create(1 << 20);
        SharedIntArray.create(s, "w", 1);
        int at = s.objects().get(0).offset() + ArrayDescriptor.DATA_OFFSET;
        s.buffer().setIntVolatile(at, 5);
        long start = System.nanoTime();
        waiter.await(s.buffer(), at, 4, TimeUnit.SECONDS.toNanos(30));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "did not sleep the full 30 s");
    }

    @Test
    void shouldTimeOutAndTryOnceInTheWaitLoop() throws InterruptedException {
        Segment s = segments.create(1 << 20);
        SharedIntArray.create(s, "w", 2);
        int at = s.objects().get(0).offset() + ArrayDescriptor.DATA_OFFSET;
        SharedBuffer b = s.buffer();
        WaitLoop.Attempt never = () -> b.getIntVolatile(at);
        assertFalse(WaitLoop.await(s, at, at + 4, never, WaitLoop.SliceCheck.NONE, 0));
        assertFalse(WaitLoop.await(s, at, at + 4, never, WaitLoop.SliceCheck.NONE, -5));
        long start = System.nanoTime();
        assertFalse(WaitLoop.await(s, at, at + 4, never, WaitLoop.SliceCheck.NONE, TimeUnit.MILLISECONDS.toNanos(150)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150), "waited the whole timeout");
        assertEquals(0, b.getIntVolatile(at + 4), "the waiter count is back to 0");
    }

    @Test
    void shouldHonourInterruptsInTheWaitLoop() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedIntArray.create(s, "w", 2);
        int at = s.objects().get(0).offset() + ArrayDescriptor.DATA_OFFSET;
        SharedBuffer b = s.buffer();
        AtomicReference<Thread> thread = new AtomicReference<>();
        CompletableFuture<Throwable> result = CompletableFuture.supplyAsync(() -> {
            thread.set(Thread.currentThread());
            try {
                WaitLoop.await(s, at, at + 4, () -> b.getIntVolatile(at), WaitLoop.SliceCheck.NONE, WaitLoop.FOREVER);
                return null;
            } catch (InterruptedException e) {
                return Thread.currentThread().isInterrupted() ? new AssertionError("status not cleared") : e;
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (b.getIntVolatile(at + 4) == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(1, b.getIntVolatile(at + 4), "the thread registered as a waiter");
        thread.get().interrupt();
        assertTrue(result.get(10, TimeUnit.SECONDS) instanceof InterruptedException);

        // The uninterruptible form keeps waiting and re-asserts the interrupt.
        CompletableFuture<Boolean> unint = CompletableFuture.supplyAsync(() -> {
            Thread.currentThread().interrupt();
            boolean ok = WaitLoop.awaitUninterruptibly(s, at, at + 4,
                    () -> b.getIntVolatile(at) == 1 ? WaitLoop.DONE : b.getIntVolatile(at),
                    WaitLoop.SliceCheck.NONE, WaitLoop.FOREVER);
            return ok && Thread.interrupted();
        });
        while (b.getIntVolatile(at + 4) == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        b.setIntVolatile(at, 1);
        WaitLoop.wakeIfWaiting(b, at, at + 4, Integer.MAX_VALUE);
        assertTrue(unint.get(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldSpinPatientlyWithSeveralPausesPerAttemptAndStillSucceedOrTimeOut() throws InterruptedException {
        Segment s = segments.create(1 << 20);
        int at = word(s);
        SharedBuffer b = s.buffer();
        int[] tries = {0};
        WaitLoop.Attempt fifth = () -> ++tries[0] >= 5 ? WaitLoop.DONE : b.getIntVolatile(at);
        assertTrue(WaitLoop.await(s, at, at + 4, fifth, WaitLoop.SliceCheck.NONE, WaitLoop.FOREVER, 32));
        assertEquals(5, tries[0], "one attempt per 32 pauses, the fifth succeeds");
        WaitLoop.Attempt never = () -> b.getIntVolatile(at);
        assertFalse(WaitLoop.await(s, at, at + 4, never, WaitLoop.SliceCheck.NONE, 0, 32), "try once");
        long start = System.nanoTime();
        assertFalse(WaitLoop.await(s, at, at + 4, never, WaitLoop.SliceCheck.NONE, TimeUnit.MILLISECONDS.toNanos(50), 32));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50), "waited the whole timeout");
        assertEquals(0, b.getIntVolatile(at + 4), "the waiter count is back to 0");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class,
                () -> WaitLoop.await(s, at, at + 4, never, WaitLoop.SliceCheck.NONE, WaitLoop.FOREVER, 32));
    }

    @Test
    void shouldAdaptTheSpinBudgetToHowLongSleepsLast() {
        long[] budget = {WaitLoop.SPIN_NANOS, WaitLoop.MAX_SPIN_NANOS};
        WaitLoop.adapt(budget, 2 * WaitLoop.SPIN_NANOS); // woken soon after sleeping: spin longer
        assertEquals(2 * WaitLoop.SPIN_NANOS, budget[0]);
        for (int i = 0; i < 20; i++) {
            WaitLoop.adapt(budget, 1);
        }
        assertEquals(WaitLoop.MAX_SPIN_NANOS, budget[0], "capped");
        WaitLoop.adapt(budget, 5 * WaitLoop.MAX_SPIN_NANOS); // neither short nor long: unchanged
        assertEquals(WaitLoop.MAX_SPIN_NANOS, budget[0]);
        WaitLoop.adapt(budget, TimeUnit.SECONDS.toNanos(1)); // a long sleep: spinning longer would not help
        assertEquals(WaitLoop.MAX_SPIN_NANOS / 2, budget[0]);
        for (int i = 0; i < 20; i++) {
            WaitLoop.adapt(budget, TimeUnit.SECONDS.toNanos(1));
        }
        assertEquals(WaitLoop.SPIN_NANOS, budget[0], "back to the start, not below");
    }

    @Test
    void shouldKeepACappedThreadsSpinWithinItsCap() throws Exception {
        long[] capped = {3_000, 3_000};
        for (int i = 0; i < 20; i++) {
            WaitLoop.adapt(capped, 1); // short sleeps would grow it
        }
        assertEquals(3_000, capped[0], "never above the cap");
        WaitLoop.adapt(capped, TimeUnit.SECONDS.toNanos(1));
        assertEquals(3_000, capped[0], "nor raised to the default start by a long sleep");
        long[] none = {0, 0};
        WaitLoop.adapt(none, 0);
        assertEquals(0, none[0], "a cap of 0 stays 0");
        assertThrows(IllegalArgumentException.class, () -> WaitLoop.capSpin(-1));
        // capSpin acts on the calling thread only: a fresh thread caps itself, then still waits and wakes.
        Segment s = segments.create(1 << 20);
        int at = word(s);
        SharedBuffer b = s.buffer();
        CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> {
            WaitLoop.capSpin(0);
            try {
                return WaitLoop.await(s, at, at + 4, () -> b.getIntVolatile(at) == 1 ? WaitLoop.DONE : 0,
                        WaitLoop.SliceCheck.NONE, TimeUnit.SECONDS.toNanos(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, r -> new Thread(r).start());
        awaitWaiters(b, at + 4, 1); // the capped waiter went to sleep
        b.setIntVolatile(at, 1);
        WaitLoop.wakeIfWaiting(b, at, at + 4, Integer.MAX_VALUE);
        assertTrue(waited.get(10, TimeUnit.SECONDS));
    }

    /** A word and its waiter count (the next int) in a fresh array of segment s. */
    private static int word(Segment s) {
        SharedIntArray.create(s, "w", 2);
        return s.objects().get(0).offset() + ArrayDescriptor.DATA_OFFSET;
    }

    /** Spins (with a deadline) until {@code n} threads are registered in the waiter count at {@code at}. */
    private static void awaitWaiters(SharedBuffer b, int at, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (b.getIntVolatile(at) != n && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        assertEquals(n, b.getIntVolatile(at), "threads registered as waiters");
    }

    @Test
    void shouldRunTheCheckOnlyOnANoticeAndPropagateItsException() throws Exception {
        Segment s = segments.create(1 << 20);
        Segment other = segments.create(1 << 20);
        int at = word(s);
        SharedBuffer b = s.buffer();
        AtomicInteger checks = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture<Throwable> result = CompletableFuture.supplyAsync(() -> {
            try {
                WaitLoop.await(s, at, at + 4, () -> b.getIntVolatile(at), () -> {
                    checks.incrementAndGet();
                    if (armed.get()) {
                        throw new PeerDiedException("peer pid=1 died");
                    }
                }, WaitLoop.FOREVER);
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        awaitWaiters(b, at + 4, 1);
        Thread.sleep(300);
        WaitLoop.wakeSleepers(other.buffer()); // another mapping: not for this sleeper
        Thread.sleep(100);
        assertEquals(1, checks.get(), "one check before the first sleep, none without a notice for its mapping: no slices");
        assertFalse(result.isDone());
        armed.set(true);
        WaitLoop.wakeSleepers(b);
        Throwable e = result.get(10, TimeUnit.SECONDS);
        assertTrue(e instanceof PeerDiedException, "the check's exception: " + e);
        assertEquals("peer pid=1 died", e.getMessage());
        assertEquals(2, checks.get());
        assertEquals(0, b.getIntVolatile(at + 4), "waiter count back to 0");
        assertEquals(0, Sleeper.registered(), "no thread left registered as sleeping");
    }

    @Test
    void shouldTakeWhatTheCheckFoundAfterANotice() throws Exception {
        Segment s = segments.create(1 << 20);
        int at = word(s);
        SharedBuffer b = s.buffer();
        AtomicInteger checks = new AtomicInteger();
        AtomicInteger found = new AtomicInteger(); // what a check found (a dead owner, say), taken by the next attempt
        java.util.concurrent.atomic.AtomicBoolean dead = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture<Boolean> result = CompletableFuture.supplyAsync(() -> WaitLoop.awaitUninterruptibly(s, at,
                at + 4, () -> found.get() != 0 ? WaitLoop.DONE : b.getIntVolatile(at), () -> {
                    checks.incrementAndGet();
                    if (dead.get()) {
                        found.set(1);
                    }
                }, WaitLoop.FOREVER));
        awaitWaiters(b, at + 4, 1);
        WaitLoop.wakeSleepers(b); // a notice about nothing: the check finds nothing, the thread sleeps again
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (checks.get() == 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
        Thread.sleep(100);
        assertFalse(result.isDone(), "sleeps again after a check that found nothing");
        int before = checks.get();
        assertTrue(before >= 1 && before <= 2, "the check before the first sleep and the first notice's: " + before);
        dead.set(true);
        WaitLoop.wakeSleepers(b);
        assertTrue(result.get(10, TimeUnit.SECONDS));
        assertEquals(before + 1, checks.get());
    }

    @Test
    void shouldWakeOnCloseOfItsAttachment() throws Exception {
        Segment s = segments.create(1 << 20);
        int at = word(s);
        Segment mine = segments.track(Segment.open(s.name(), segments.options()));
        SharedBuffer b = mine.buffer();
        CompletableFuture<Throwable> result = CompletableFuture.supplyAsync(() -> {
            try {
                WaitLoop.awaitUninterruptibly(mine, at, at + 4, () -> b.getIntVolatile(at), mine::ensureOpen,
                        WaitLoop.FOREVER);
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        awaitWaiters(b, at + 4, 1);
        mine.close();
        assertTrue(result.get(10, TimeUnit.SECONDS) instanceof IllegalStateException);
        // Closed before the wait: the thread finds it closed once registered, runs the check, leaves.
        assertThrows(IllegalStateException.class, () -> WaitLoop.awaitUninterruptibly(mine, at, at + 4,
                () -> b.getIntVolatile(at), mine::ensureOpen, WaitLoop.FOREVER));
    }

    @Test
    void shouldHonourTheTimeoutThroughNotices() throws Exception {
        Segment s = segments.create(1 << 20);
        int at = word(s);
        SharedBuffer b = s.buffer();
        AtomicInteger checks = new AtomicInteger();
        long timeout = TimeUnit.MILLISECONDS.toNanos(400);
        CompletableFuture<Long> result = CompletableFuture.supplyAsync(() -> {
            long t0 = System.nanoTime();
            try {
                boolean ok = WaitLoop.await(s, at, at + 4, () -> b.getIntVolatile(at), checks::incrementAndGet, timeout);
                return ok ? -1 : System.nanoTime() - t0;
            } catch (InterruptedException e) {
                return -2L;
            }
        });
        awaitWaiters(b, at + 4, 1);
        for (int i = 0; i < 3; i++) {
            Thread.sleep(50);
            WaitLoop.wakeSleepers(b);
        }
        long elapsed = result.get(10, TimeUnit.SECONDS);
        assertTrue(elapsed >= timeout, "timed out after the whole timeout, not before: " + elapsed);
        assertTrue(checks.get() >= 1, "the notices ran the check: " + checks.get());
        assertEquals(0, b.getIntVolatile(at + 4));
    }

    @Test
    void shouldUseAlmostNoCpuWhileBlocked() throws Exception {
        Segment s = segments.create(1 << 20);
        int at = word(s);
        SharedBuffer b = s.buffer();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assertTrue(mx.isThreadCpuTimeSupported());
        WaitLoop.Attempt set = () -> b.getIntVolatile(at) != 0 ? WaitLoop.DONE : b.getIntVolatile(at);
        // Warm up the classes of the sleeping path once, so that the measured wait is a plain one.
        CompletableFuture<Boolean> warm = CompletableFuture.supplyAsync(() -> WaitLoop.awaitUninterruptibly(s, at,
                at + 4, set, WaitLoop.SliceCheck.NONE, WaitLoop.FOREVER));
        awaitWaiters(b, at + 4, 1);
        b.setIntVolatile(at, 1);
        WaitLoop.wakeIfWaiting(b, at, at + 4, Integer.MAX_VALUE);
        assertTrue(warm.get(10, TimeUnit.SECONDS));
        b.setIntVolatile(at, 0);

        Thread waiter = new Thread(() -> WaitLoop.awaitUninterruptibly(s, at, at + 4, set, WaitLoop.SliceCheck.NONE,
                WaitLoop.FOREVER), "blocked-waiter");
        waiter.start();
        awaitWaiters(b, at + 4, 1);
        Thread.sleep(50);
        long cpu0 = mx.getThreadCpuTime(waiter.getId());
        long t0 = System.nanoTime();
        Thread.sleep(1200);
        long cpu = mx.getThreadCpuTime(waiter.getId()) - cpu0;
        long wall = System.nanoTime() - t0;
        b.setIntVolatile(at, 1);
        WaitLoop.wakeIfWaiting(b, at, at + 4, Integer.MAX_VALUE);
        waiter.join(10_000);
        assertFalse(waiter.isAlive());
        // Target 0.05 ms per second; allow some noise of the measurement itself.
        assertTrue(cpu <= TimeUnit.MILLISECONDS.toNanos(2), "blocked thread used cpu=" + cpu + " ns over wall=" + wall + " ns");
    }

    @Test
    void shouldEndAnUntimedWaitOnInterruptPromptly() throws Exception {
        Segment s = segments.create(1 << 20);
        int at = word(s);
        SharedBuffer b = s.buffer();
        for (int round = 0; round < 20; round++) { // also interrupts landing around the moment it sleeps
            AtomicReference<Thread> thread = new AtomicReference<>();
            CompletableFuture<Throwable> result = CompletableFuture.supplyAsync(() -> {
                thread.set(Thread.currentThread());
                try {
                    WaitLoop.await(s, at, at + 4, () -> b.getIntVolatile(at), WaitLoop.SliceCheck.NONE,
                            WaitLoop.FOREVER);
                    return null;
                } catch (InterruptedException e) {
                    return Thread.currentThread().isInterrupted() ? new AssertionError("status not cleared") : e;
                }
            });
            while (thread.get() == null) {
                Thread.onSpinWait();
            }
            if (round % 2 == 0) {
                awaitWaiters(b, at + 4, 1);
            }
            thread.get().interrupt();
            Throwable e = result.get(10, TimeUnit.SECONDS);
            assertTrue(e instanceof InterruptedException, "round " + round + ": " + e);
            awaitWaiters(b, at + 4, 0);
        }
    }
}
