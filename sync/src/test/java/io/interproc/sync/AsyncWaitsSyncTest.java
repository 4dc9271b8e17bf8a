package io.interproc.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.core.wait.AsyncWaits;
import io.interproc.sync.internal.EventDescriptor;
import io.interproc.sync.internal.SemaphoreDescriptor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link SharedEvent#awaitAsync()} and {@link SharedSemaphore#acquireAsync()}: futures completed
 * from other JVMs, with no thread per pending wait, cancellable without losing a permit.
 */
class AsyncWaitsSyncTest {
    private static final long LONG_SECONDS = 60;

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    private static int offsetOf(Segment s, String name) {
        return s.objects().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow().offset();
    }

    private static void awaitWaiters(Segment s, int at, int n) throws InterruptedException {
        ChildJvms.awaitCondition(n + " registered waiters", LONG_SECONDS, () -> s.buffer().getIntVolatile(at) == n);
    }

    private static void awaitNothingPending(Segment s, int waitersAt) throws InterruptedException {
        ChildJvms.awaitCondition("no asynchronous wait left", LONG_SECONDS,
                () -> AsyncWaits.pending() == 0 && s.buffer().getIntVolatile(waitersAt) == 0);
    }

    // ---------------------------------------------------------------- event

    @Test
    void anEventSetInAnotherJvmCompletesAThousandPendingAwaitsWithoutAThreadEach() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedEvent ev = SharedEvent.create(s, "ev");
        int waitersAt = offsetOf(s, "ev") + EventDescriptor.WAITERS_OFFSET;
        int threadsBefore = Thread.activeCount();
        List<CompletableFuture<Boolean>> futures = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            futures.add(i % 2 == 0 ? ev.awaitAsync() : ev.awaitAsync(Duration.ofSeconds(LONG_SECONDS)));
        }
        awaitWaiters(s, waitersAt, 1000);
        int threadsDuring = Thread.activeCount();
        assertTrue(threadsDuring - threadsBefore <= 10,
                "a few threads (one helper, the async-waits thread), not one per wait: before=" + threadsBefore
                        + ", during=" + threadsDuring);
        assertTrue(futures.stream().noneMatch(CompletableFuture::isDone));
        ChildJvms.awaitSuccess(children.start(AsyncPeerMain.class, s.name(), "set", "ev", "1"), LONG_SECONDS);
        for (CompletableFuture<Boolean> f : futures) {
            assertTrue(f.get(LONG_SECONDS, TimeUnit.SECONDS));
        }
        awaitNothingPending(s, waitersAt);
    }

    @Test
    void aPulseInAnotherJvmCompletesAPendingAwait() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedEvent ev = SharedEvent.create(s, "ev");
        int waitersAt = offsetOf(s, "ev") + EventDescriptor.WAITERS_OFFSET;
        CompletableFuture<Boolean> f = ev.awaitAsync();
        awaitWaiters(s, waitersAt, 1);
        ChildJvms.awaitSuccess(children.start(AsyncPeerMain.class, s.name(), "pulse", "ev", "1"), LONG_SECONDS);
        assertTrue(f.get(LONG_SECONDS, TimeUnit.SECONDS), "set then cleared still releases, as await() does");
        assertFalse(ev.isSet());
    }

    @Test
    void eventAwaitsCompleteAtOnceTimeOutCancelAndFailOnClose() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedEvent ev = SharedEvent.create(s, "ev");
        int waitersAt = offsetOf(s, "ev") + EventDescriptor.WAITERS_OFFSET;
        assertFalse(ev.awaitAsync(50, TimeUnit.MILLISECONDS).get(LONG_SECONDS, TimeUnit.SECONDS), "timed out");
        assertFalse(ev.awaitAsync(Duration.ZERO).get(), "a zero timeout checks once");
        CompletableFuture<Boolean> cancelled = ev.awaitAsync();
        awaitWaiters(s, waitersAt, 1);
        assertTrue(cancelled.cancel(false));
        awaitNothingPending(s, waitersAt);
        ev.set();
        assertTrue(ev.awaitAsync().isDone(), "set now: completed at once");
        ev.clear();
        CompletableFuture<Boolean> pending = ev.awaitAsync();
        awaitWaiters(s, waitersAt, 1);
        s.close();
        ExecutionException x = assertThrows(ExecutionException.class,
                () -> pending.get(LONG_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, x.getCause());
        assertEquals(0, AsyncWaits.pending());
    }

    // ---------------------------------------------------------------- semaphore

    @Test
    void permitsReleasedInAnotherJvmCompletePendingAcquiresOnePermitEach() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedSemaphore sem = SharedSemaphore.create(s, "sem", 0);
        int waitersAt = offsetOf(s, "sem") + SemaphoreDescriptor.WAITERS_OFFSET;
        int n = 1000;
        int threadsBefore = Thread.activeCount();
        List<CompletableFuture<Boolean>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(sem.acquireAsync());
        }
        awaitWaiters(s, waitersAt, n);
        assertTrue(Thread.activeCount() - threadsBefore <= 10, "no thread per pending acquire");
        ChildJvms.awaitSuccess(children.start(AsyncPeerMain.class, s.name(), "release", "sem", String.valueOf(n - 1)),
                LONG_SECONDS);
        ChildJvms.awaitCondition(n - 1 + " acquired", LONG_SECONDS,
                () -> futures.stream().filter(CompletableFuture::isDone).count() == n - 1);
        assertEquals(0, sem.availablePermits(), "each completed future holds one permit");
        CompletableFuture<Boolean> last = futures.stream().filter(f -> !f.isDone()).findFirst().orElseThrow();
        sem.release();
        assertTrue(last.get(LONG_SECONDS, TimeUnit.SECONDS));
        for (CompletableFuture<Boolean> f : futures) {
            assertTrue(f.get());
        }
        assertEquals(0, sem.availablePermits());
        awaitNothingPending(s, waitersAt);
    }

    @Test
    void cancellingAnAcquireRacingWithAReleaseNeverLosesThePermit() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedSemaphore sem = SharedSemaphore.create(s, "sem", 0);
        int waitersAt = offsetOf(s, "sem") + SemaphoreDescriptor.WAITERS_OFFSET;
        int acquired = 0;
        int cancelled = 0;
        for (int i = 0; i < 2000; i++) {
            CompletableFuture<Boolean> f = sem.acquireAsync();
            sem.release();
            if (f.cancel(false)) {
                cancelled++;
                assertEquals(1, sem.availablePermits(), "round " + i + ": a cancelled acquire took nothing");
                assertTrue(sem.tryAcquire());
            } else {
                acquired++;
                assertTrue(f.get(LONG_SECONDS, TimeUnit.SECONDS));
                assertEquals(0, sem.availablePermits(), "round " + i + ": the future holds the permit");
            }
        }
        assertEquals(2000, acquired + cancelled);
        awaitNothingPending(s, waitersAt);
    }

    @Test
    void timedAcquiresTimeOutWithNothingAcquiredAndBadRequestsThrowAtOnce() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedSemaphore sem = SharedSemaphore.createBounded(s, "sem", 2);
        assertTrue(sem.tryAcquireAsync(2, Duration.ZERO).get());
        assertFalse(sem.tryAcquireAsync(50, TimeUnit.MILLISECONDS).get(LONG_SECONDS, TimeUnit.SECONDS));
        assertFalse(sem.tryAcquireAsync(Duration.ofMillis(-1)).get());
        sem.release(2);
        assertEquals(2, sem.availablePermits());
        assertThrows(IllegalArgumentException.class, () -> sem.acquireAsync(-1));
        assertThrows(IllegalArgumentException.class, () -> sem.acquireAsync(3));
        assertThrows(NullPointerException.class, () -> sem.tryAcquireAsync(1, (Duration) null));
        CompletableFuture<Boolean> two = sem.acquireAsync(2);
        assertTrue(two.isDone());
        CompletableFuture<Boolean> pending = sem.acquireAsync(1);
        s.close();
        ExecutionException x = assertThrows(ExecutionException.class,
                () -> pending.get(LONG_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, x.getCause());
    }
}
