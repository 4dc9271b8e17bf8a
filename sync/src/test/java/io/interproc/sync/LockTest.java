package io.interproc.sync;

import static io.interproc.sync.LockTesting.eventually;
import static io.interproc.sync.LockTesting.lockWaiters;
import static io.interproc.sync.LockTesting.me;
import static io.interproc.sync.LockTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.KindMismatchException;
import io.interproc.core.NoSuchObjectException;
import io.interproc.core.ObjectExistsException;
import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.core.testing.TempSegments;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

class LockTest {
    private static final long PID = ProcessHandle.current().pid();

    @RegisterExtension
    final TempSegments segments = new TempSegments();

    private Segment segment() {
        return segments.create(1 << 20);
    }

    private Segment attach(Segment segment) {
        return segments.track(Segment.open(segment.name(), segments.options()));
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

    // ---------------------------------------------------------------- factories

    @Test
    void shouldCreateOpenAndOpenOrCreateTheSameLock() {
        Segment s = segment();
        SharedLock created = SharedLock.create(s, "l");
        SharedLock opened = SharedLock.open(s, "l");
        SharedLock either = SharedLock.openOrCreate(s, "l");
        created.lock();
        assertTrue(opened.isLocked());
        assertTrue(either.isHeldByCurrentThread());
        either.unlock();
        assertFalse(created.isLocked());
        assertEquals("l", opened.name());
        assertEquals("SharedLock[" + s.name() + "/l]", opened.toString());
    }

    @Test
    void shouldRefuseToCreateAnExistingNameOrOpenAMissingOne() {
        Segment s = segment();
        SharedLock.create(s, "l");
        assertThrows(ObjectExistsException.class, () -> SharedLock.create(s, "l"));
        assertThrows(NoSuchObjectException.class, () -> SharedLock.open(s, "missing"));
    }

    @Test
    void shouldRefuseToOpenAnotherKindAsALock() {
        Segment s = segment();
        SharedReentrantLock.create(s, "r");
        KindMismatchException e = assertThrows(KindMismatchException.class, () -> SharedLock.open(s, "r"));
        assertEquals("object 'r' in segment '" + s.name() + "' is a SharedReentrantLock, not a SharedLock",
                e.getMessage());
    }

    // ---------------------------------------------------------------- basic semantics

    @Test
    void shouldLockAndUnlockWhenUncontended() {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        assertFalse(lock.isLocked());
        assertEquals(-1, lock.holderPid());
        lock.lock();
        assertTrue(lock.isLocked());
        assertTrue(lock.isHeldByCurrentThread());
        assertEquals(PID, lock.holderPid());
        assertFalse(lock.lockRecovered());
        lock.unlock();
        assertFalse(lock.isLocked());
        assertFalse(lock.isHeldByCurrentThread());
        assertEquals(-1, lock.holderPid());
        assertEquals(0, lock.recoveries());
    }

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

    @Test
    void shouldHonourTheTimeoutWhenHeldElsewhere() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        lock.lock();
        long waitedNanos = start("other", () -> {
            long t0 = System.nanoTime();
            boolean got = lock.tryLock(200, TimeUnit.MILLISECONDS);
            assertFalse(got);
            return System.nanoTime() - t0;
        }).result();
        assertTrue(waitedNanos >= TimeUnit.MILLISECONDS.toNanos(200), "waited " + waitedNanos + " ns");
        assertTrue(lock.isHeldByCurrentThread());
    }

    @Test
    void shouldAcquireWithinTheTimeoutOnceReleased() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        lock.lock();
        LockTesting.Worker<Boolean> waiter = start("waiter", () -> {
            boolean got = lock.tryLock(LockTesting.DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
            if (got) {
                lock.unlock();
            }
            return got;
        });
        eventually("the waiter sleeps", () -> lockWaiters(s, "l") == 1);
        lock.unlock();
        assertTrue(waiter.result());
    }

    @Test
    void shouldExcludeThreadsOfOneProcess() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        SharedLong counter = SharedLong.create(s, "n");
        int threads = 4;
        int perThread = 20_000;
        List<LockTesting.Worker<Void>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(start("incrementer-" + t, () -> {
                for (int i = 0; i < perThread; i++) {
                    lock.lock();
                    try {
                        counter.set(counter.get() + 1); // not atomic on its own
                    } finally {
                        lock.unlock();
                    }
                }
                return null;
            }));
        }
        for (LockTesting.Worker<Void> w : workers) {
            w.result();
        }
        assertEquals((long) threads * perThread, counter.get());
        assertFalse(lock.isLocked());
    }

    @Test
    void shouldExcludeTwoAttachmentsOfOneSegment() throws Exception {
        Segment s = segment();
        Segment other = attach(s);
        SharedLock a = SharedLock.create(s, "l");
        SharedLock b = SharedLock.open(other, "l");
        a.lock();
        assertFalse(b.tryLock(), "another attachment holds it");
        assertFalse(b.isHeldByCurrentThread(), "same thread, but another attachment");
        assertEquals(PID, b.holderPid());
        a.unlock();
        assertTrue(b.tryLock());
        assertFalse(a.isHeldByCurrentThread());
        b.unlock();
    }

    // ---------------------------------------------------------------- misuse

    @Test
    void shouldRefuseToUnlockAFreeLock() {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "orders");
        IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, lock::unlock);
        assertEquals("SharedLock 'orders' is not locked: unlock() called by " + me(), e.getMessage());
    }

    @Test
    void shouldRefuseToUnlockALockHeldByAnotherThread() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "orders");
        lock.lock();
        long holder = Thread.currentThread().getId();
        String[] expected = new String[1];
        Throwable e = start("intruder", () -> {
            expected[0] = "SharedLock 'orders' is held by another thread: holderThreadId=" + holder
                    + "; unlock() called by " + me();
            lock.unlock();
            return null;
        }).failure();
        assertInstanceOf(IllegalMonitorStateException.class, e);
        assertEquals(expected[0], e.getMessage());
        assertTrue(lock.isHeldByCurrentThread(), "still held by its owner");
    }

    @Test
    void shouldRefuseToUnlockALockHeldByAnotherAttachment() {
        Segment s = segment();
        Segment other = attach(s);
        SharedLock mine = SharedLock.create(s, "orders");
        SharedLock theirs = SharedLock.open(other, "orders");
        theirs.lock();
        IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, mine::unlock);
        assertEquals("SharedLock 'orders' is held by another process: holderPid=" + PID + ", holderOwnerId="
                + other.ownerId() + ", ownerId=" + s.ownerId() + "; unlock() called by " + me(), e.getMessage());
        assertTrue(theirs.isHeldByCurrentThread());
    }

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

    @Test
    void shouldPointNewConditionToSharedCondition() {
        Segment s = segment();
        Lock lock = SharedLock.create(s, "orders");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, lock::newCondition);
        assertEquals("SharedLock 'orders' cannot create an unnamed condition: use "
                + "SharedCondition.openOrCreate(segment, name, lock) so that other processes can open it by name",
                e.getMessage());
    }

    @Test
    void shouldRejectANullTimeUnit() {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        assertThrows(NullPointerException.class, () -> lock.tryLock(1, null));
    }

    @Test
    void shouldThrowIllegalStateOnEveryMethodOnceTheSegmentIsClosed() {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        s.close();
        String message = "segment '" + s.name() + "' is closed";
        List<Executable> calls = List.of(lock::lock, lock::lockInterruptibly, lock::tryLock,
                () -> lock.tryLock(1, TimeUnit.SECONDS), lock::unlock, lock::isLocked, lock::isHeldByCurrentThread,
                lock::holderPid, lock::recoveries, lock::lockRecovered);
        for (Executable call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertEquals(message, e.getMessage());
        }
        assertThrows(IllegalStateException.class, () -> SharedLock.open(s, "l"));
    }

    @Test
    void shouldStopAWaiterWhoseSegmentIsClosed() throws Exception {
        Segment s = segment();
        Segment other = attach(s);
        SharedLock.create(s, "l").lock();
        SharedLock theirs = SharedLock.open(other, "l");
        LockTesting.Worker<Void> waiter = start("waiter", () -> {
            theirs.lock();
            return null;
        });
        eventually("the waiter sleeps", () -> lockWaiters(s, "l") == 1);
        other.close();
        Throwable e = waiter.failure();
        assertInstanceOf(IllegalStateException.class, e);
        assertEquals("segment '" + other.name() + "' is closed", e.getMessage());
    }

    // ---------------------------------------------------------------- interrupts

    @Test
    void shouldThrowFromLockInterruptiblyWhenInterruptedWhileWaiting() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        lock.lock();
        LockTesting.Worker<Boolean> waiter = start("waiter", () -> {
            try {
                lock.lockInterruptibly();
                return false;
            } catch (InterruptedException e) {
                return !Thread.currentThread().isInterrupted() && !lock.isHeldByCurrentThread();
            }
        });
        eventually("the waiter sleeps", () -> lockWaiters(s, "l") == 1);
        waiter.thread.interrupt();
        assertTrue(waiter.result(), "InterruptedException with the status cleared and the lock not held");
        assertTrue(lock.isHeldByCurrentThread());
    }

    @Test
    void shouldThrowFromTimedTryLockWhenInterruptedWhileWaiting() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        lock.lock();
        LockTesting.Worker<Boolean> waiter = start("waiter", () -> {
            try {
                lock.tryLock(1, TimeUnit.HOURS);
                return false;
            } catch (InterruptedException e) {
                return !Thread.currentThread().isInterrupted();
            }
        });
        eventually("the waiter sleeps", () -> lockWaiters(s, "l") == 1);
        waiter.thread.interrupt();
        assertTrue(waiter.result());
    }

    @Test
    void shouldThrowWhenInterruptedOnEntryEvenIfFree() {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, lock::lockInterruptibly);
        assertFalse(Thread.currentThread().isInterrupted(), "status cleared");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> lock.tryLock(0, TimeUnit.SECONDS));
        assertFalse(Thread.currentThread().isInterrupted());
        assertFalse(lock.isLocked());
    }

    @Test
    void shouldKeepWaitingInLockWhenInterruptedAndKeepTheStatus() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        lock.lock();
        LockTesting.Worker<Boolean> waiter = start("waiter", () -> {
            lock.lock();
            boolean interrupted = Thread.currentThread().isInterrupted();
            lock.unlock();
            return interrupted;
        });
        eventually("the waiter sleeps", () -> lockWaiters(s, "l") == 1);
        waiter.thread.interrupt();
        eventually("the interrupt is seen and the waiter sleeps again",
                () -> !waiter.thread.isInterrupted() && lockWaiters(s, "l") == 1);
        assertFalse(waiter.task.isDone(), "an interrupt does not end lock()");
        lock.unlock();
        assertTrue(waiter.result(), "interrupt status set again on return");
    }

    // ---------------------------------------------------------------- owner death

    @Test
    void shouldRecoverALockHeldByAClosedAttachmentInLock() {
        Segment s = segment();
        Segment dying = attach(s);
        SharedLock survivor = SharedLock.create(s, "l");
        SharedLock.open(dying, "l").lock();
        dying.close(); // frees its process slot: its owner id is dead
        survivor.lock();
        assertTrue(survivor.isHeldByCurrentThread());
        assertTrue(survivor.lockRecovered());
        assertEquals(1, survivor.recoveries());
        assertEquals(PID, survivor.holderPid());
        survivor.unlock();
        assertFalse(survivor.lockRecovered(), "cleared on unlock");
        assertEquals(1, survivor.recoveries(), "the count stays");
        survivor.lock();
        assertFalse(survivor.lockRecovered(), "an ordinary acquisition is not a recovery");
        survivor.unlock();
    }

    @Test
    void shouldRecoverALockWhoseOwnerDiesWhileWaiting() throws Exception {
        Segment s = segment();
        Segment dying = attach(s);
        SharedLock survivor = SharedLock.create(s, "l");
        SharedLock.open(dying, "l").lock();
        LockTesting.Worker<Boolean> waiter = start("waiter", () -> {
            survivor.lock();
            boolean recovered = survivor.lockRecovered();
            survivor.unlock();
            return recovered;
        });
        eventually("the waiter sleeps", () -> lockWaiters(s, "l") == 1);
        dying.close();
        assertTrue(waiter.result());
        assertEquals(1, survivor.recoveries());
        assertEquals(1, SharedLock.open(attach(s), "l").recoveries(), "stored in shared memory");
    }

    @Test
    void shouldRecoverADeadOwnersLockInTryLockAndInATimeoutShorterThanASlice() {
        Segment s = segment();
        SharedLock survivor = SharedLock.create(s, "l");
        Segment first = attach(s);
        SharedLock.open(first, "l").lock();
        first.close();
        assertTrue(survivor.tryLock(), "tryLock() checks the owner's liveness");
        assertTrue(survivor.lockRecovered());
        survivor.unlock();
        Segment second = attach(s);
        SharedLock.open(second, "l").lock();
        second.close();
        assertTrue(assertDoesNotThrowInterrupted(() -> survivor.tryLock(1, TimeUnit.MILLISECONDS)),
                "a timed tryLock checks once more before failing");
        assertTrue(survivor.lockRecovered());
        assertEquals(2, survivor.recoveries());
        survivor.unlock();
    }

    @Test
    void shouldNotTakeOverALiveOwnersLock() throws Exception {
        Segment s = segment();
        Segment other = attach(s);
        SharedLock mine = SharedLock.create(s, "l");
        SharedLock.open(other, "l").lock();
        assertFalse(mine.tryLock());
        assertFalse(mine.tryLock(300, TimeUnit.MILLISECONDS), "a while, owner alive");
        assertEquals(0, mine.recoveries());
        assertNotEquals(s.ownerId(), other.ownerId());
    }

    // ---------------------------------------------------------------- sleeping

    @Test
    void shouldNotBurnCpuWhileWaiting() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        lock.lock();
        LockTesting.Worker<Void> waiter = start("waiter", () -> {
            lock.lock();
            lock.unlock();
            return null;
        });
        eventually("the waiter sleeps", () -> lockWaiters(s, "l") == 1);
        long cpuBefore = waiter.cpuNanos();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() - end < 0) {
            Thread.sleep(50); // the interval being measured, not a wait for a condition
        }
        long cpuUsed = waiter.cpuNanos() - cpuBefore;
        lock.unlock();
        waiter.result();
        assertTrue(cpuUsed < TimeUnit.MILLISECONDS.toNanos(200),
                "a thread blocked in lock() for 1 s used " + cpuUsed / 1_000_000 + " ms of CPU");
    }

    private interface InterruptibleBoolean {
        boolean get() throws InterruptedException;
    }

    private static boolean assertDoesNotThrowInterrupted(InterruptibleBoolean call) {
        try {
            return call.get();
        } catch (InterruptedException e) {
            throw new AssertionError("not interrupted", e);
        }
    }
}
