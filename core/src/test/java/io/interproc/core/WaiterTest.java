package io.interproc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.testing.TempSegments;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
        assertFalse(WaitLoop.await(b, at, at + 4, never, WaitLoop.SliceCheck.NONE, 0));
        assertFalse(WaitLoop.await(b, at, at + 4, never, WaitLoop.SliceCheck.NONE, -5));
        long start = System.nanoTime();
        assertFalse(WaitLoop.await(b, at, at + 4, never, WaitLoop.SliceCheck.NONE, TimeUnit.MILLISECONDS.toNanos(150)));
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
                WaitLoop.await(b, at, at + 4, () -> b.getIntVolatile(at), WaitLoop.SliceCheck.NONE, WaitLoop.FOREVER);
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
            boolean ok = WaitLoop.awaitUninterruptibly(b, at, at + 4,
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
    void shouldAdaptTheSpinBudgetToHowLongSleepsLast() {
        long[] budget = {WaitLoop.SPIN_NANOS};
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
    void shouldRunTheSliceCheckAndPropagateItsException() {
        Segment s = segments.create(1 << 20);
        SharedIntArray.create(s, "w", 2);
        int at = s.objects().get(0).offset() + ArrayDescriptor.DATA_OFFSET;
        SharedBuffer b = s.buffer();
        PeerDiedException e = assertThrows(PeerDiedException.class, () -> WaitLoop.await(b, at, at + 4,
                () -> b.getIntVolatile(at), () -> {
                    throw new PeerDiedException("peer pid=1 died");
                }, WaitLoop.FOREVER));
        assertEquals("peer pid=1 died", e.getMessage());
        assertEquals(0, b.getIntVolatile(at + 4));
    }
}
