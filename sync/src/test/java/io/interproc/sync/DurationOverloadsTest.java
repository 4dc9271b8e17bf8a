package io.interproc.sync;

import static io.interproc.sync.LockTesting.eventually;
import static io.interproc.sync.LockTesting.start;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.core.testing.TempSegments;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@link Duration} forms of the sync module's timeouts ({@code tryLock(Duration)} of both
 * locks, {@code SharedCondition.await(Duration)}): each times out, succeeds, and refuses null.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DurationOverloadsTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    private interface DurationTryLock {
        boolean tryLock(Duration timeout) throws InterruptedException;
    }

    /** Times out while another thread holds {@code lock}, then takes it once that thread lets go. */
    private static void checkTryLock(Lock lock, DurationTryLock timed) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LockTesting.Worker<Void> holder = start("holder", () -> {
            lock.lock();
            try {
                held.countDown();
                release.await();
            } finally {
                lock.unlock();
            }
            return null;
        });
        assertTrue(held.await(30, TimeUnit.SECONDS));
        assertFalse(timed.tryLock(Duration.ofMillis(20)));
        assertFalse(timed.tryLock(Duration.ZERO));
        assertFalse(timed.tryLock(Duration.ofSeconds(-1)));
        release.countDown();
        holder.result();
        assertTrue(timed.tryLock(Duration.ofSeconds(30)));
        lock.unlock();
        assertThrows(NullPointerException.class, () -> timed.tryLock(null));
    }

    @Test
    void shouldTryLockWithADuration() throws Exception {
        Segment s = segments.create(1 << 16);
        SharedLock lock = SharedLock.create(s, "l");
        checkTryLock(lock, lock::tryLock);
        SharedReentrantLock reentrant = SharedReentrantLock.create(s, "r");
        checkTryLock(reentrant, reentrant::tryLock);
        assertTrue(reentrant.tryLock(Duration.ZERO));
        assertTrue(reentrant.tryLock(Duration.ofMillis(1))); // held by this thread: taken again
        reentrant.unlock();
        reentrant.unlock();
    }

    @Test
    void shouldAwaitAConditionWithADuration() throws Exception {
        Segment s = segments.create(1 << 16);
        SharedLock lock = SharedLock.create(s, "l");
        SharedCondition cond = SharedCondition.create(s, "c", lock);
        lock.lock();
        try {
            assertFalse(cond.await(Duration.ofMillis(20)));
            assertThrows(NullPointerException.class, () -> cond.await((Duration) null));
        } finally {
            lock.unlock();
        }
        assertThrows(IllegalMonitorStateException.class, () -> cond.await(Duration.ofMillis(1)));
        LockTesting.Worker<Boolean> waiter = start("waiter", () -> {
            lock.lock();
            try {
                return cond.await(Duration.ofSeconds(30));
            } finally {
                lock.unlock();
            }
        });
        eventually("the waiter waits", () -> cond.waiterCount() == 1);
        lock.lock();
        try {
            cond.signal();
        } finally {
            lock.unlock();
        }
        assertTrue(waiter.result());
    }
}
