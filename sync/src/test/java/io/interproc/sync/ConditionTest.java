package io.interproc.sync;

import static io.interproc.sync.LockTesting.eventually;
import static io.interproc.sync.LockTesting.me;
import static io.interproc.sync.LockTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.KindMismatchException;
import io.interproc.core.NoSuchObjectException;
import io.interproc.core.ObjectExistsException;
import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.core.testing.TempSegments;
import io.interproc.sync.internal.ConditionDescriptor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

class ConditionTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    private Segment segment() {
        return segments.create(1 << 20);
    }

    private Segment attach(Segment segment) {
        return segments.track(Segment.open(segment.name(), segments.options()));
    }

    /** Starts a thread that waits on {@code cond} until {@code flag} is non-zero, counting its wake-ups. */
    private static LockTesting.Worker<Integer> waiterFor(SharedLock lock, SharedCondition cond, SharedLong flag) {
        return start("waiter", () -> {
            int wakeUps = 0;
            lock.lock();
            try {
                while (flag.get() == 0) {
                    cond.await();
                    wakeUps++;
                }
                return wakeUps;
            } finally {
                lock.unlock();
            }
        });
    }

    private static void awaitWaiters(SharedCondition cond, int n) {
        eventually(n + " waiter(s) registered", () -> cond.waiterCount() == n);
    }

    // ---------------------------------------------------------------- factories and binding

    @Test
    void shouldCreateOpenAndNewConditionTheSameCondition() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        SharedCondition created = SharedCondition.create(s, "c", lock);
        SharedCondition opened = SharedCondition.open(s, "c", lock);
        SharedCondition either = lock.newCondition("c");
        SharedLong flag = SharedLong.create(s, "flag");
        LockTesting.Worker<Integer> waiter = waiterFor(lock, created, flag);
        awaitWaiters(opened, 1);
        lock.lock();
        flag.set(1);
        either.signal();
        lock.unlock();
        assertEquals(1, waiter.result());
        assertEquals("c", opened.name());
        assertEquals("SharedCondition[" + s.name() + "/c, lock=SharedLock 'l']", opened.toString());
        assertThrows(ObjectExistsException.class, () -> SharedCondition.create(s, "c", lock));
        assertThrows(NoSuchObjectException.class, () -> SharedCondition.open(s, "missing", lock));
        assertThrows(KindMismatchException.class, () -> SharedCondition.open(s, "l", lock));
    }

    @Test
    void shouldRefuseAnotherLockThanTheBoundOne() {
        Segment s = segment();
        SharedLock bound = SharedLock.create(s, "bound");
        SharedLock other = SharedLock.create(s, "other");
        SharedReentrantLock reentrant = SharedReentrantLock.create(s, "reentrant");
        SharedCondition.create(s, "c", bound);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SharedCondition.open(s, "c", other));
        assertEquals("SharedCondition 'c' is bound to SharedLock 'bound', not to SharedLock 'other'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> reentrant.newCondition("c"));
        assertEquals("SharedCondition 'c' is bound to SharedLock 'bound', not to SharedReentrantLock 'reentrant'",
                e.getMessage());
        SharedCondition.open(attach(s), "c", SharedLock.open(s, "bound")); // same lock, another handle: fine
    }

    @Test
    void shouldRefuseALockOfAnotherSegment() {
        Segment s = segment();
        Segment elsewhere = segment();
        SharedLock lock = SharedLock.create(elsewhere, "l");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SharedCondition.create(s, "c", lock));
        assertEquals("SharedCondition 'c' must live in the segment of its lock: segment='" + s.name()
                + "', lock=SharedLock 'l' in segment '" + elsewhere.name() + "'", e.getMessage());
        assertThrows(NoSuchObjectException.class, () -> SharedCondition.open(s, "c", SharedLock.create(s, "l")));
    }

    // ---------------------------------------------------------------- ownership

    @Test
    void shouldRequireTheLockForEveryAwaitAndSignal() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "orders");
        SharedCondition cond = SharedCondition.create(s, "ready", lock);
        String prefix = "SharedCondition 'ready' requires SharedLock 'orders' to be held by the current thread: ";
        List<String> operations = List.of("await()", "awaitUninterruptibly()", "awaitNanos(long)",
                "await(long, TimeUnit)", "awaitUntil(Date)", "awaitUntil(BooleanSupplier)",
                "awaitUntil(BooleanSupplier, long, TimeUnit)", "awaitUntil(BooleanSupplier, Duration)",
                "signal()", "signalAll()");
        List<Executable> calls = List.of(cond::await, cond::awaitUninterruptibly, () -> cond.awaitNanos(1),
                () -> cond.await(1, TimeUnit.SECONDS), () -> cond.awaitUntil(new Date()),
                () -> cond.awaitUntil(() -> true), () -> cond.awaitUntil(() -> true, 1, TimeUnit.SECONDS),
                () -> cond.awaitUntil(() -> true, Duration.ofSeconds(1)), cond::signal, cond::signalAll);
        for (int i = 0; i < calls.size(); i++) {
            IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, calls.get(i));
            assertEquals(prefix + operations.get(i) + " called by " + me(), e.getMessage());
        }
        lock.lock(); // held by another thread is not enough either
        Throwable t = start("other", () -> {
            cond.signal();
            return null;
        }).failure();
        assertInstanceOf(IllegalMonitorStateException.class, t);
        lock.unlock();
    }

    @Test
    void shouldThrowIllegalStateOnceTheSegmentIsClosed() {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        SharedCondition cond = SharedCondition.create(s, "c", lock);
        s.close();
        List<Executable> calls = List.of(cond::await, cond::awaitUninterruptibly, () -> cond.awaitNanos(1),
                cond::signal, cond::signalAll, cond::waiterCount, () -> cond.awaitUntil(() -> false));
        for (Executable call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertEquals("segment '" + s.name() + "' is closed", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- signalling

    @Test
    void shouldWakeOneWaiterPerSignal() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        SharedCondition cond = SharedCondition.create(s, "c", lock);
        AtomicInteger returned = new AtomicInteger();
        List<LockTesting.Worker<Void>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(start("waiter-" + i, () -> {
                lock.lock();
                try {
                    cond.await();
                    returned.incrementAndGet();
                } finally {
                    lock.unlock();
                }
                return null;
            }));
        }
        awaitWaiters(cond, 3);
        for (int signals = 1; signals <= 3; signals++) {
            lock.lock();
            cond.signal();
            assertEquals(3 - signals, cond.waiterCount());
            lock.unlock();
            int expected = signals;
            eventually(expected + " waiter(s) returned", () -> returned.get() == expected);
        }
        for (LockTesting.Worker<Void> w : waiters) {
            w.result();
        }
        assertEquals(3, returned.get());
    }

    @Test
    void shouldWakeEveryWaiterOnSignalAll() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        SharedCondition cond = SharedCondition.create(s, "c", lock);
        SharedLong flag = SharedLong.create(s, "flag");
        List<LockTesting.Worker<Integer>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(waiterFor(lock, cond, flag));
        }
        awaitWaiters(cond, 3);
        lock.lock();
        flag.set(1);
        cond.signalAll();
        assertEquals(0, cond.waiterCount());
        lock.unlock();
        for (LockTesting.Worker<Integer> w : waiters) {
            assertEquals(1, w.result(), "one wake-up, no spurious ones");
        }
    }

    @Test
    void shouldIgnoreASignalWithoutWaiters() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        SharedCondition cond = SharedCondition.create(s, "c", lock);
        lock.lock();
        cond.signal();
        cond.signalAll();
        assertFalse(cond.await(50, TimeUnit.MILLISECONDS), "an earlier signal does not wake a later waiter");
        assertTrue(lock.isHeldByCurrentThread());
        lock.unlock();
    }

    @Test
    void shouldNotLeaveASignalBehindForATimedOutWaiter() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        SharedCondition cond = SharedCondition.create(s, "c", lock);
        lock.lock();
        assertFalse(cond.await(20, TimeUnit.MILLISECONDS));
        assertEquals(0, cond.waiterCount(), "the timed-out waiter withdrew");
        cond.signal(); // nobody waits: must not be stored
        assertFalse(cond.await(50, TimeUnit.MILLISECONDS));
        lock.unlock();
    }

    // ---------------------------------------------------------------- timeouts

    @Test
    void shouldHonourTimeouts() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        SharedCondition cond = SharedCondition.create(s, "c", lock);
        lock.lock();
        long t0 = System.nanoTime();
        long left = cond.awaitNanos(TimeUnit.MILLISECONDS.toNanos(100));
        long waited = System.nanoTime() - t0;
        assertTrue(left <= 0, "left=" + left);
        assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(100), "waited " + waited);
        t0 = System.nanoTime();
        assertFalse(cond.await(100, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(100));
        assertFalse(cond.awaitUntil(new Date(System.currentTimeMillis() + 50)));
        assertFalse(cond.awaitUntil(new Date(0)), "a past deadline tries once");
        assertTrue(cond.awaitNanos(0) <= 0);
        assertTrue(cond.awaitNanos(-10) <= 0);
        assertFalse(cond.await(0, TimeUnit.SECONDS));
        assertTrue(lock.isHeldByCurrentThread());
        assertEquals(0, cond.waiterCount());
        lock.unlock();
    }

    @Test
    void shouldReleaseTheLockWhileWaiting() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        SharedCondition cond = SharedCondition.create(s, "c", lock);
        LockTesting.Worker<Boolean> waiter = start("waiter", () -> {
            lock.lock();
            try {
                return cond.await(LockTesting.DEADLINE_MILLIS, TimeUnit.MILLISECONDS) && lock.isHeldByCurrentThread();
            } finally {
                lock.unlock();
            }
        });
        awaitWaiters(cond, 1);
        assertTrue(lock.tryLock(), "the waiter released the lock");
        cond.signal();
        lock.unlock();
        assertTrue(waiter.result(), "signalled, and holding the lock again");
    }

    // ---------------------------------------------------------------- wait_for

    @Test
    void shouldWaitForAPredicate() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        SharedCondition cond = SharedCondition.create(s, "c", lock);
        SharedLong value = SharedLong.create(s, "v");
        LockTesting.Worker<Long> waiter = start("waiter", () -> {
            lock.lock();
            try {
                cond.awaitUntil(() -> value.get() >= 3);
                return value.get();
            } finally {
                lock.unlock();
            }
        });
        for (int i = 1; i <= 3; i++) {
            awaitWaiters(cond, 1);
            lock.lock();
            value.set(i);
            cond.signal();
            lock.unlock();
        }
        assertEquals(3, waiter.result());
    }

    @Test
    void shouldReturnThePredicatesLastValueFromTimedWaitFor() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        SharedCondition cond = SharedCondition.create(s, "c", lock);
        lock.lock();
        AtomicInteger evaluations = new AtomicInteger();
        assertFalse(cond.awaitUntil(() -> evaluations.incrementAndGet() < 0, 0, TimeUnit.SECONDS));
        assertEquals(1, evaluations.get(), "a zero timeout evaluates once");
        assertTrue(cond.awaitUntil(() -> true, Duration.ofDays(1)));
        long t0 = System.nanoTime();
        assertFalse(cond.awaitUntil(() -> false, Duration.ofMillis(100)));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(100));
        assertFalse(cond.awaitUntil(() -> false, Duration.ofSeconds(Long.MIN_VALUE)), "saturates");
        lock.unlock();

        SharedLong value = SharedLong.create(s, "v");
        LockTesting.Worker<Boolean> waiter = start("waiter", () -> {
            lock.lock();
            try {
                return cond.awaitUntil(() -> value.get() == 1, LockTesting.DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
            } finally {
                lock.unlock();
            }
        });
        awaitWaiters(cond, 1);
        lock.lock();
        value.set(1);
        cond.signalAll();
        lock.unlock();
        assertTrue(waiter.result());
    }

    // ---------------------------------------------------------------- interrupts

    @Test
    void shouldThrowWhenInterruptedWhileWaitingAndHoldTheLockAgain() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        SharedCondition cond = SharedCondition.create(s, "c", lock);
        LockTesting.Worker<String> waiter = start("waiter", () -> {
            lock.lock();
            try {
                cond.await();
                return "returned";
            } catch (InterruptedException e) {
                return "interrupted, status=" + Thread.currentThread().isInterrupted() + ", held="
                        + lock.isHeldByCurrentThread();
            } finally {
                lock.unlock();
            }
        });
        awaitWaiters(cond, 1);
        waiter.thread.interrupt();
        assertEquals("interrupted, status=false, held=true", waiter.result());
        assertEquals(0, cond.waiterCount(), "the interrupted waiter withdrew");
    }

    @Test
    void shouldThrowWhenInterruptedOnEntryWithoutReleasingTheLock() {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        SharedCondition cond = SharedCondition.create(s, "c", lock);
        lock.lock();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, cond::await);
        assertFalse(Thread.currentThread().isInterrupted());
        assertTrue(lock.isHeldByCurrentThread());
        assertEquals(0, cond.waiterCount());
        lock.unlock();
    }

    @Test
    void shouldIgnoreInterruptsInAwaitUninterruptiblyAndKeepTheStatus() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        SharedCondition cond = SharedCondition.create(s, "c", lock);
        LockTesting.Worker<Boolean> waiter = start("waiter", () -> {
            lock.lock();
            try {
                cond.awaitUninterruptibly();
                return Thread.currentThread().isInterrupted();
            } finally {
                lock.unlock();
            }
        });
        awaitWaiters(cond, 1);
        waiter.thread.interrupt();
        eventually("the interrupt is absorbed", () -> !waiter.thread.isInterrupted());
        assertEquals(1, cond.waiterCount(), "still waiting");
        lock.lock();
        cond.signal();
        lock.unlock();
        assertTrue(waiter.result(), "interrupt status set on return");
    }

    // ---------------------------------------------------------------- reentrant lock

    @Test
    void shouldReleaseEveryHoldOfAReentrantLockAndRestoreThem() throws Exception {
        Segment s = segment();
        SharedReentrantLock lock = SharedReentrantLock.create(s, "r");
        SharedCondition cond = SharedCondition.create(s, "c", lock);
        LockTesting.Worker<Integer> waiter = start("waiter", () -> {
            lock.lock();
            lock.lock();
            lock.lock();
            try {
                cond.await();
                return lock.getHoldCount();
            } finally {
                lock.unlock();
                lock.unlock();
                lock.unlock();
            }
        });
        awaitWaiters(cond, 1);
        // The waiter registers, then releases its holds: wait for the release, not just the count.
        eventually("the waiter released the lock", () -> !lock.isLocked());
        assertTrue(lock.tryLock(), "all three holds were released");
        cond.signal();
        lock.unlock();
        assertEquals(3, waiter.result());
        assertFalse(lock.isLocked());
    }

    // ---------------------------------------------------------------- recovery

    @Test
    void shouldTakeTheLockOverWhenItsHolderDiesAfterSignalling() throws Exception {
        Segment s = segment();
        Segment dying = attach(s);
        SharedLock lock = SharedLock.create(s, "l");
        SharedCondition cond = SharedCondition.create(s, "c", lock);
        LockTesting.Worker<Boolean> waiter = start("waiter", () -> {
            lock.lock();
            try {
                cond.await();
                return lock.lockRecovered();
            } finally {
                lock.unlock();
            }
        });
        awaitWaiters(cond, 1);
        SharedLock theirLock = SharedLock.open(dying, "l");
        SharedCondition theirCond = SharedCondition.open(dying, "c", theirLock);
        theirLock.lock();
        theirCond.signal();
        dying.close(); // dies holding the lock
        assertTrue(waiter.result(), "the waiter took the lock over on its way out of await");
        assertEquals(1, lock.recoveries());
    }

    @Test
    void shouldForgetAWaiterOfAClosedAttachmentOnSignalAll() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        SharedCondition cond = SharedCondition.create(s, "c", lock);
        // A registered waiter that will never take its signal, as a killed one.
        int base = LockTesting.offsetOf(s, "c");
        s.buffer().getAndAddInt(base + ConditionDescriptor.UNSIGNALLED_OFFSET, 1);
        SharedLong flag = SharedLong.create(s, "flag");
        LockTesting.Worker<Integer> live = waiterFor(lock, cond, flag);
        awaitWaiters(cond, 2);
        lock.lock();
        flag.set(1);
        cond.signalAll();
        assertEquals(0, cond.waiterCount(), "the ghost is forgotten");
        lock.unlock();
        assertEquals(1, live.result());
        lock.lock();
        assertFalse(cond.await(50, TimeUnit.MILLISECONDS), "no stale signal left over");
        lock.unlock();
    }
}
