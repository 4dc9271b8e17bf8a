package io.interproc.sync;

import static io.interproc.sync.LockTesting.me;
import static io.interproc.sync.LockTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** {@link SharedLock}: the lock contract, and what is its own (no nesting, unlockAfterOperation). */
class LockTest extends AbstractLockContractTest {
    @Override
    ConditionLock create(Segment segment, String name) {
        return SharedLock.create(segment, name);
    }

    @Override
    ConditionLock open(Segment segment, String name) {
        return SharedLock.open(segment, name);
    }

    @Override
    ConditionLock openOrCreate(Segment segment, String name) {
        return SharedLock.openOrCreate(segment, name);
    }

    @Override
    void createOtherType(Segment segment, String name) {
        SharedReentrantLock.create(segment, name);
    }

    @Override
    String typeName() {
        return "SharedLock";
    }

    @Override
    String otherTypeName() {
        return "SharedReentrantLock";
    }

    // ---------------------------------------------------------------- unlockAfterOperation

    @Test
    void shouldReleaseAfterTheSegmentClosedOnlyForTheHoldingThread() throws Exception {
        Segment s = segment();
        Segment other = attach(s);
        SharedLock mine = SharedLock.create(s, "l");
        SharedLock theirs = SharedLock.open(other, "l");
        assertFalse(mine.unlockAfterOperation(), "not held: nothing changes");
        mine.lock();
        boolean[] byAnotherThread = {true};
        Thread t = new Thread(() -> byAnotherThread[0] = mine.unlockAfterOperation());
        t.start();
        t.join();
        assertFalse(byAnotherThread[0], "another thread cannot release it");
        s.close();
        assertThrows(IllegalStateException.class, mine::unlock);
        assertTrue(theirs.isLocked());
        assertTrue(mine.unlockAfterOperation(), "the holder releases it although the segment is closed");
        assertFalse(theirs.isLocked());
        assertTrue(theirs.tryLock());
        assertEquals(0, theirs.recoveries(), "released, not taken over");
        theirs.unlock();
    }

    // ---------------------------------------------------------------- basic semantics

    @Test
    void shouldTryLockOnlyWhenFree() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        assertTrue(lock.tryLock());
        assertFalse(lock.tryLock(), "not reentrant: the holder's tryLock fails");
        assertFalse(start("other", lock::tryLock).result(), "held by another thread");
        lock.unlock();
        assertTrue(start("other", () -> {
            boolean got = lock.tryLock();
            lock.unlock();
            return got;
        }).result());
    }

    @Test
    void shouldTryOnceWhenTheTimeoutIsZeroOrNegative() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        assertTrue(lock.tryLock(0, TimeUnit.SECONDS), "free: acquired by the single try");
        assertFalse(lock.tryLock(0, TimeUnit.SECONDS), "held by the caller");
        assertFalse(start("other", () -> lock.tryLock(0, TimeUnit.NANOSECONDS)).result());
        assertFalse(start("other", () -> lock.tryLock(-5, TimeUnit.SECONDS)).result());
        lock.unlock();
        assertTrue(start("other", () -> {
            boolean got = lock.tryLock(-1, TimeUnit.MILLISECONDS);
            lock.unlock();
            return got;
        }).result());
    }

    // ---------------------------------------------------------------- misuse

    @Test
    void shouldRefuseToRelockFromTheHoldingThread() {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "orders");
        lock.lock();
        IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, lock::lock);
        assertEquals("SharedLock 'orders' is not reentrant and is already held by the current thread: lock() called by "
                + me() + "; use SharedReentrantLock for nested locking", e.getMessage());
        e = assertThrows(IllegalMonitorStateException.class, lock::lockInterruptibly);
        assertEquals("SharedLock 'orders' is not reentrant and is already held by the current thread: "
                + "lockInterruptibly() called by " + me() + "; use SharedReentrantLock for nested locking",
                e.getMessage());
        assertTrue(lock.isHeldByCurrentThread());
    }

    // ---------------------------------------------------------------- sleeping
}
