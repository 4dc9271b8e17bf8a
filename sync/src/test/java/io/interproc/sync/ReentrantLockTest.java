package io.interproc.sync;

import static io.interproc.sync.LockTesting.eventually;
import static io.interproc.sync.LockTesting.lockWaiters;
import static io.interproc.sync.LockTesting.me;
import static io.interproc.sync.LockTesting.offsetOf;
import static io.interproc.sync.LockTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.ObjectExistsException;
import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.sync.internal.ReentrantLockDescriptor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@link SharedReentrantLock}: the lock contract, and what is its own (hold counts, full release for conditions). */
class ReentrantLockTest extends AbstractLockContractTest {
    @Override
    ConditionLock create(Segment segment, String name) {
        return SharedReentrantLock.create(segment, name);
    }

    @Override
    ConditionLock open(Segment segment, String name) {
        return SharedReentrantLock.open(segment, name);
    }

    @Override
    ConditionLock openOrCreate(Segment segment, String name) {
        return SharedReentrantLock.openOrCreate(segment, name);
    }

    @Override
    void createOtherType(Segment segment, String name) {
        SharedLock.create(segment, name);
    }

    @Override
    String typeName() {
        return "SharedReentrantLock";
    }

    @Override
    String otherTypeName() {
        return "SharedLock";
    }

    @Test
    void shouldShareTheHoldsOfOneLockAcrossItsHandles() {
        Segment s = segment();
        SharedReentrantLock created = SharedReentrantLock.create(s, "r");
        SharedReentrantLock opened = SharedReentrantLock.open(s, "r");
        SharedReentrantLock either = SharedReentrantLock.openOrCreate(s, "r");
        created.lock();
        opened.lock();
        assertEquals(2, either.getHoldCount(), "one lock, three handles");
        either.unlock();
        either.unlock();
        assertFalse(created.isLocked());
        assertThrows(ObjectExistsException.class, () -> SharedReentrantLock.create(s, "r"));
        assertEquals("SharedReentrantLock[" + s.name() + "/r]", opened.toString());
        assertEquals("r", opened.name());
    }

    @Test
    void shouldCountNestedHoldsAndFreeOnTheLastUnlock() throws Exception {
        Segment s = segment();
        SharedReentrantLock lock = SharedReentrantLock.create(s, "r");
        assertEquals(0, lock.getHoldCount());
        lock.lock();
        lock.lockInterruptibly();
        assertTrue(lock.tryLock());
        assertTrue(lock.tryLock(0, TimeUnit.SECONDS));
        assertTrue(lock.tryLock(1, TimeUnit.SECONDS));
        assertEquals(5, lock.getHoldCount());
        assertEquals(PID, lock.holderPid());
        for (int holds = 4; holds >= 1; holds--) {
            lock.unlock();
            assertEquals(holds, lock.getHoldCount());
            assertTrue(lock.isLocked());
            assertFalse(start("other", lock::tryLock).result(), "still held with " + holds + " holds");
        }
        lock.unlock();
        assertEquals(0, lock.getHoldCount());
        assertFalse(lock.isLocked());
        assertFalse(lock.isHeldByCurrentThread());
        assertEquals(-1, lock.holderPid());
    }

    @Test
    void shouldReportZeroHoldsToOtherThreads() throws Exception {
        Segment s = segment();
        SharedReentrantLock lock = SharedReentrantLock.create(s, "r");
        lock.lock();
        lock.lock();
        assertEquals(0, start("other", lock::getHoldCount).result());
        assertFalse(start("other", lock::isHeldByCurrentThread).result());
        assertEquals(2, lock.getHoldCount());
    }

    @Test
    void shouldExcludeThreadsTakingTheLockTwicePerUpdate() throws Exception {
        Segment s = segment();
        SharedReentrantLock lock = SharedReentrantLock.create(s, "r");
        SharedLong counter = SharedLong.create(s, "n");
        int threads = 4;
        int perThread = 10_000;
        List<LockTesting.Worker<Void>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(start("incrementer-" + t, () -> {
                for (int i = 0; i < perThread; i++) {
                    lock.lock();
                    try {
                        lock.lock();
                        try {
                            counter.set(counter.get() + 1);
                        } finally {
                            lock.unlock();
                        }
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
    }

    @Test
    void shouldWaitForTheHolderAndHonourTimeouts() throws Exception {
        Segment s = segment();
        SharedReentrantLock lock = SharedReentrantLock.create(s, "r");
        lock.lock();
        long waited = start("other", () -> {
            long t0 = System.nanoTime();
            assertFalse(lock.tryLock(150, TimeUnit.MILLISECONDS));
            assertFalse(lock.tryLock(0, TimeUnit.MILLISECONDS));
            assertFalse(lock.tryLock(-1, TimeUnit.MILLISECONDS));
            return System.nanoTime() - t0;
        }).result();
        assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(150), "waited " + waited + " ns");
        LockTesting.Worker<Integer> waiter = start("waiter", () -> {
            lock.lock();
            int holds = lock.getHoldCount();
            lock.unlock();
            return holds;
        });
        eventually("the waiter sleeps", () -> lockWaiters(s, "r") == 1);
        lock.unlock();
        assertEquals(1, waiter.result());
    }

    // ---------------------------------------------------------------- misuse

    @Test
    void shouldRefuseToUnlockWhenNotHeld() throws Exception {
        Segment s = segment();
        Segment other = attach(s);
        SharedReentrantLock lock = SharedReentrantLock.create(s, "r");
        IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, lock::unlock);
        assertEquals("SharedReentrantLock 'r' is not locked: unlock() called by " + me(), e.getMessage());

        lock.lock();
        long holder = Thread.currentThread().getId();
        String[] expected = new String[1];
        Throwable t = start("intruder", () -> {
            expected[0] = "SharedReentrantLock 'r' is held by another thread: holderThreadId=" + holder
                    + "; unlock() called by " + me();
            lock.unlock();
            return null;
        }).failure();
        assertInstanceOf(IllegalMonitorStateException.class, t);
        assertEquals(expected[0], t.getMessage());

        SharedReentrantLock theirs = SharedReentrantLock.open(other, "r");
        e = assertThrows(IllegalMonitorStateException.class, theirs::unlock);
        assertEquals("SharedReentrantLock 'r' is held by another process: holderPid=" + PID + ", holderOwnerId="
                + s.ownerId() + ", ownerId=" + other.ownerId() + "; unlock() called by " + me(), e.getMessage());
        assertEquals(1, lock.getHoldCount());
    }

    @Test
    void shouldRefuseAHoldCountOverflow() {
        Segment s = segment();
        SharedReentrantLock lock = SharedReentrantLock.create(s, "r");
        lock.lock();
        int holdsAt = offsetOf(s, "r") + ReentrantLockDescriptor.HOLD_COUNT_OFFSET;
        s.buffer().setIntVolatile(holdsAt, Integer.MAX_VALUE);
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::lock);
        assertEquals("SharedReentrantLock 'r' hold count would overflow: holdCount=2147483647; lock() called by "
                + me(), e.getMessage());
        assertEquals(Integer.MAX_VALUE, lock.getHoldCount());
        s.buffer().setIntVolatile(holdsAt, 1);
        lock.unlock();
        assertFalse(lock.isLocked());
    }

    @Test
    void shouldThrowIllegalStateFromGetHoldCountTooOnceTheSegmentIsClosed() {
        Segment s = segment();
        SharedReentrantLock lock = SharedReentrantLock.create(s, "r");
        s.close();
        List<Executable> calls = List.of(lock::lock, lock::lockInterruptibly, lock::tryLock,
                () -> lock.tryLock(1, TimeUnit.SECONDS), lock::unlock, lock::isLocked, lock::isHeldByCurrentThread,
                lock::getHoldCount, lock::holderPid, lock::recoveries, lock::lockRecovered);
        for (Executable call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertEquals("segment '" + s.name() + "' is closed", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- interrupts

    @Test
    void shouldHonourInterruptsInLockInterruptiblyOnly() throws Exception {
        Segment s = segment();
        SharedReentrantLock lock = SharedReentrantLock.create(s, "r");
        lock.lock();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, lock::lockInterruptibly, "checked on entry, as ReentrantLock");
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(1, lock.getHoldCount());
        LockTesting.Worker<Boolean> waiter = start("waiter", () -> {
            try {
                lock.lockInterruptibly();
                return false;
            } catch (InterruptedException e) {
                return !Thread.currentThread().isInterrupted() && lock.getHoldCount() == 0;
            }
        });
        eventually("the waiter sleeps", () -> lockWaiters(s, "r") == 1);
        waiter.thread.interrupt();
        assertTrue(waiter.result());
        lock.unlock();
    }

    // ---------------------------------------------------------------- owner death

    @Test
    void shouldRecoverALockHeldByAClosedAttachmentWithOneHold() {
        Segment s = segment();
        Segment dying = attach(s);
        SharedReentrantLock survivor = SharedReentrantLock.create(s, "r");
        SharedReentrantLock theirs = SharedReentrantLock.open(dying, "r");
        theirs.lock();
        theirs.lock();
        theirs.lock();
        dying.close();
        survivor.lock();
        assertEquals(1, survivor.getHoldCount(), "the dead owner's three holds are gone");
        assertTrue(survivor.lockRecovered());
        assertEquals(1, survivor.recoveries());
        survivor.lock();
        survivor.unlock();
        assertTrue(survivor.lockRecovered(), "still held: one hold left");
        survivor.unlock();
        assertFalse(survivor.isLocked());
        assertFalse(survivor.lockRecovered());
    }

    @Test
    void shouldRecoverWithOneHoldALockWhoseOwnerDiesWhileWaiting() throws Exception {
        Segment s = segment();
        Segment dying = attach(s);
        SharedReentrantLock survivor = SharedReentrantLock.create(s, "r");
        SharedReentrantLock theirs = SharedReentrantLock.open(dying, "r");
        theirs.lock();
        theirs.lock();
        LockTesting.Worker<String> waiter = start("waiter", () -> {
            survivor.lock();
            String seen = survivor.getHoldCount() + "/" + survivor.lockRecovered();
            survivor.unlock();
            return seen;
        });
        eventually("the waiter sleeps", () -> lockWaiters(s, "r") == 1);
        dying.close();
        assertEquals("1/true", waiter.result());
        assertEquals(1, survivor.recoveries());
        assertTrue(survivor.tryLock());
        survivor.unlock();
    }

    @Test
    void shouldRecoverInTryLock() {
        Segment s = segment();
        Segment dying = attach(s);
        SharedReentrantLock survivor = SharedReentrantLock.create(s, "r");
        SharedReentrantLock.open(dying, "r").lock();
        dying.close();
        assertTrue(survivor.tryLock());
        assertEquals(1, survivor.getHoldCount());
        assertTrue(survivor.lockRecovered());
        survivor.unlock();
    }

    // ---------------------------------------------------------------- condition support

    @Test
    void shouldReleaseFullyAndRestoreTheHolds() throws Exception {
        Segment s = segment();
        SharedReentrantLock lock = SharedReentrantLock.create(s, "r");
        lock.lock();
        lock.lock();
        lock.lock();
        int saved = lock.core().releaseForWait();
        assertEquals(3, saved);
        assertFalse(lock.isLocked());
        assertTrue(start("other", () -> {
            boolean got = lock.tryLock();
            lock.unlock();
            return got;
        }).result(), "free while released");
        lock.core().reacquireAfterWait(saved);
        assertEquals(3, lock.getHoldCount());
        IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class,
                () -> start("other", () -> lock.core().releaseForWait()).result());
        assertTrue(e.getMessage().startsWith("SharedReentrantLock 'r' is held by another thread: "), e.getMessage());
        for (int i = 0; i < 3; i++) {
            lock.unlock();
        }
        assertFalse(lock.isLocked());
    }
}
