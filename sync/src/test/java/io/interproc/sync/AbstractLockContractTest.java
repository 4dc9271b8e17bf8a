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

/**
 * The contract both {@link ConditionLock}s keep, run against each by a subclass: factories,
 * mutual exclusion, timeouts, misuse, a closed segment, interrupts, owner death and sleeping.
 * What a nested acquisition does, and everything else specific, is tested in the subclass.
 */
abstract class AbstractLockContractTest {
    static final long PID = ProcessHandle.current().pid();

    @RegisterExtension
    final TempSegments segments = new TempSegments();

    /** @return a new lock of the type under test */
    abstract ConditionLock create(Segment segment, String name);

    /** @return an existing lock of the type under test */
    abstract ConditionLock open(Segment segment, String name);

    /** @return a lock of the type under test, created if missing */
    abstract ConditionLock openOrCreate(Segment segment, String name);

    /** Creates a lock of the other type. */
    abstract void createOtherType(Segment segment, String name);

    /** @return e.g. {@code SharedLock} */
    abstract String typeName();

    /** @return the other lock type's name */
    abstract String otherTypeName();

    Segment segment() {
        return segments.create(1 << 20);
    }

    Segment attach(Segment segment) {
        return segments.track(Segment.open(segment.name(), segments.options()));
    }

    @Test
    void shouldCreateOpenAndOpenOrCreateTheSameLock() {
        Segment s = segment();
        ConditionLock created = create(s, "l");
        ConditionLock opened = open(s, "l");
        ConditionLock either = openOrCreate(s, "l");
        created.lock();
        assertTrue(opened.isLocked());
        assertTrue(either.isHeldByCurrentThread());
        either.unlock();
        assertFalse(created.isLocked());
        assertEquals("l", opened.name());
        assertEquals(typeName() + "[" + s.name() + "/l]", opened.toString());
    }

    @Test
    void shouldRefuseToCreateAnExistingNameOrOpenAMissingOne() {
        Segment s = segment();
        create(s, "l");
        assertThrows(ObjectExistsException.class, () -> create(s, "l"));
        assertThrows(NoSuchObjectException.class, () -> open(s, "missing"));
    }

    @Test
    void shouldRefuseToOpenAnotherKindAsALock() {
        Segment s = segment();
        createOtherType(s, "r");
        KindMismatchException e = assertThrows(KindMismatchException.class, () -> open(s, "r"));
        assertEquals("object 'r' in segment '" + s.name() + "' is a " + otherTypeName() + ", not a " + typeName(),
                e.getMessage());
    }

    @Test
    void shouldLockAndUnlockWhenUncontended() {
        Segment s = segment();
        ConditionLock lock = create(s, "l");
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
    void shouldHonourTheTimeoutWhenHeldElsewhere() throws Exception {
        Segment s = segment();
        ConditionLock lock = create(s, "l");
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
        ConditionLock lock = create(s, "l");
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
        ConditionLock lock = create(s, "l");
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
        ConditionLock a = create(s, "l");
        ConditionLock b = open(other, "l");
        a.lock();
        assertFalse(b.tryLock(), "another attachment holds it");
        assertFalse(b.isHeldByCurrentThread(), "same thread, but another attachment");
        assertEquals(PID, b.holderPid());
        a.unlock();
        assertTrue(b.tryLock());
        assertFalse(a.isHeldByCurrentThread());
        b.unlock();
    }

    @Test
    void shouldRefuseToUnlockAFreeLock() {
        Segment s = segment();
        ConditionLock lock = create(s, "orders");
        IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, lock::unlock);
        assertEquals(typeName() + " 'orders' is not locked: unlock() called by " + me(), e.getMessage());
    }

    @Test
    void shouldRefuseToUnlockALockHeldByAnotherThread() throws Exception {
        Segment s = segment();
        ConditionLock lock = create(s, "orders");
        lock.lock();
        long holder = Thread.currentThread().getId();
        String[] expected = new String[1];
        Throwable e = start("intruder", () -> {
            expected[0] = typeName() + " 'orders' is held by another thread: holderThreadId=" + holder
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
        ConditionLock mine = create(s, "orders");
        ConditionLock theirs = open(other, "orders");
        theirs.lock();
        IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, mine::unlock);
        assertEquals(typeName() + " 'orders' is held by another process: holderPid=" + PID + ", holderOwnerId="
                + other.ownerId() + ", ownerId=" + s.ownerId() + "; unlock() called by " + me(), e.getMessage());
        assertTrue(theirs.isHeldByCurrentThread());
    }

    @Test
    void shouldPointNewConditionToSharedCondition() {
        Segment s = segment();
        Lock lock = create(s, "orders");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, lock::newCondition);
        assertEquals(typeName() + " 'orders' cannot create an unnamed condition: use "
                + "newCondition(name) so that other processes can open it by name",
                e.getMessage());
    }

    @Test
    void shouldRejectANullTimeUnit() {
        Segment s = segment();
        ConditionLock lock = create(s, "l");
        assertThrows(NullPointerException.class, () -> lock.tryLock(1, null));
    }

    @Test
    void shouldThrowIllegalStateOnEveryMethodOnceTheSegmentIsClosed() {
        Segment s = segment();
        ConditionLock lock = create(s, "l");
        s.close();
        String message = "segment '" + s.name() + "' is closed";
        List<Executable> calls = List.of(lock::lock, lock::lockInterruptibly, lock::tryLock,
                () -> lock.tryLock(1, TimeUnit.SECONDS), lock::unlock, lock::isLocked, lock::isHeldByCurrentThread,
                lock::holderPid, lock::recoveries, lock::lockRecovered);
        for (Executable call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertEquals(message, e.getMessage());
        }
        assertThrows(IllegalStateException.class, () -> open(s, "l"));
    }

    @Test
    void shouldStopAWaiterWhoseSegmentIsClosed() throws Exception {
        Segment s = segment();
        Segment other = attach(s);
        create(s, "l").lock();
        ConditionLock theirs = open(other, "l");
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

    @Test
    void shouldThrowFromLockInterruptiblyWhenInterruptedWhileWaiting() throws Exception {
        Segment s = segment();
        ConditionLock lock = create(s, "l");
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
        ConditionLock lock = create(s, "l");
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
        ConditionLock lock = create(s, "l");
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
        ConditionLock lock = create(s, "l");
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

    @Test
    void shouldRecoverALockHeldByAClosedAttachmentInLock() {
        Segment s = segment();
        Segment dying = attach(s);
        ConditionLock survivor = create(s, "l");
        open(dying, "l").lock();
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
        ConditionLock survivor = create(s, "l");
        open(dying, "l").lock();
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
        assertEquals(1, open(attach(s), "l").recoveries(), "stored in shared memory");
    }

    @Test
    void shouldRecoverADeadOwnersLockInTryLockAndInATimeoutShorterThanASlice() {
        Segment s = segment();
        ConditionLock survivor = create(s, "l");
        Segment first = attach(s);
        open(first, "l").lock();
        first.close();
        assertTrue(survivor.tryLock(), "tryLock() checks the owner's liveness");
        assertTrue(survivor.lockRecovered());
        survivor.unlock();
        Segment second = attach(s);
        open(second, "l").lock();
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
        ConditionLock mine = create(s, "l");
        open(other, "l").lock();
        assertFalse(mine.tryLock());
        assertFalse(mine.tryLock(300, TimeUnit.MILLISECONDS), "a while, owner alive");
        assertEquals(0, mine.recoveries());
        assertNotEquals(s.ownerId(), other.ownerId());
    }

    @Test
    void shouldNotBurnCpuWhileWaiting() throws Exception {
        Segment s = segment();
        ConditionLock lock = create(s, "l");
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

    interface InterruptibleBoolean {
        boolean get() throws InterruptedException;
    }

    static boolean assertDoesNotThrowInterrupted(InterruptibleBoolean call) {
        try {
            return call.get();
        } catch (InterruptedException e) {
            throw new AssertionError("not interrupted", e);
        }
    }
}
