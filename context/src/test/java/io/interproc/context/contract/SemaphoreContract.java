package io.interproc.context.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.shared.Permits;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Contract of {@code Context.semaphore} and {@code Context.boundedSemaphore}. */
public abstract class SemaphoreContract extends ContextContract {

    @Test
    void permitsAreCountedAcrossHandles() throws Exception {
        String name = unique("sem");
        Permits a = context().semaphore(name, 3);
        Permits b = context().semaphore(name, 99); // exists: the count is not changed
        assertEquals(3, b.availablePermits());
        assertTrue(a.tryAcquire(2));
        assertEquals(1, b.availablePermits());
        assertFalse(b.tryAcquire(2));
        assertFalse(b.tryAcquire(2, 20, TimeUnit.MILLISECONDS));
        assertFalse(b.tryAcquire(2, Duration.ofMillis(5)));
        assertTrue(b.tryAcquire());
        assertFalse(a.tryAcquire());
        a.release(3);
        assertEquals(3, b.drainPermits());
        assertEquals(0, a.availablePermits());
        assertFalse(a.isBounded());
        assertThrows(IllegalStateException.class, a::maxPermits);
    }

    @Test
    void aReleaseWakesAWaitingAcquirer() throws Exception {
        String name = unique("sem");
        Permits sem = context().semaphore(name, 0);
        Future<Boolean> waiter = async(() -> {
            Permits other = context().semaphore(name, 0);
            other.acquire(2);
            return true;
        });
        sem.release();
        assertFalse(waiter.isDone() && waiter.get(), "one permit is not enough for acquire(2)");
        sem.release();
        assertTrue(result(waiter));
        assertEquals(0, sem.availablePermits());
    }

    @Test
    void aBoundedSemaphoreRefusesTooManyReleases() {
        String name = unique("bsem");
        Permits sem = context().boundedSemaphore(name, 2);
        assertTrue(sem.isBounded());
        assertEquals(2, sem.maxPermits());
        IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
        assertTrue(e.getMessage().contains(name), e.getMessage());
        assertEquals(2, sem.availablePermits(), "nothing released");
        sem.acquireUninterruptibly();
        assertThrows(IllegalStateException.class, () -> sem.release(2));
        sem.release();
        assertEquals(2, sem.availablePermits());
    }
}
