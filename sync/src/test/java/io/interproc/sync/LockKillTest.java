package io.interproc.sync;

import static io.interproc.sync.LockTesting.eventually;
import static io.interproc.sync.LockTesting.lockWaiters;
import static io.interproc.sync.LockTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.process.JvmProcess;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A child JVM takes a lock and is killed with SIGKILL while holding it: a waiter in this JVM
 * acquires it within the recovery bound and can tell it recovered the lock.
 */
class LockKillTest {
    /** The deadline for a take-over after the kill: the bound is about one wait slice (100 ms). */
    private static final long RECOVERY_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(5);

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    @Test
    void shouldRecoverASharedLockWhoseHolderWasKilled() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedLock lock = SharedLock.create(s, "lock");
        JvmProcess holder = startHolder(s, "lock", 1);
        assertTrue(lock.isLocked());
        assertEquals(holder.pid(), lock.holderPid());
        assertFalse(lock.tryLock(), "a live holder's lock is not taken over");

        LockTesting.Worker<String> waiter = start("waiter", () -> {
            if (!lock.tryLock(60, TimeUnit.SECONDS)) {
                return "timed out";
            }
            long acquiredAt = System.nanoTime();
            try {
                return "recovered=" + lock.lockRecovered() + ", recoveries=" + lock.recoveries() + ", at=" + acquiredAt;
            } finally {
                lock.unlock();
            }
        });
        eventually("the waiter sleeps", () -> lockWaiters(s, "lock") == 1);
        long killedAt = System.nanoTime();
        holder.kill();
        String seen = waiter.result();
        assertTrue(seen.startsWith("recovered=true, recoveries=1, at="), seen);
        long tookNanos = Long.parseLong(seen.substring(seen.indexOf("at=") + 3)) - killedAt;
        assertTrue(tookNanos < RECOVERY_DEADLINE_NANOS, "took over " + tookNanos / 1_000_000 + " ms after the kill");
        assertFalse(lock.isLocked());
        assertFalse(lock.lockRecovered(), "cleared by the unlock");
        assertEquals(1, lock.recoveries());

        // And a lock killed while nobody waits is taken over by the next caller.
        JvmProcess second = startHolder(s, "lock", 1);
        second.kill();
        assertTrue(second.join(30, TimeUnit.SECONDS));
        assertTrue(lock.tryLock(5, TimeUnit.SECONDS));
        assertTrue(lock.lockRecovered());
        assertEquals(2, lock.recoveries());
        lock.unlock();
    }

    @Test
    void shouldRecoverASharedReentrantLockWhoseHolderWasKilledWithOneHold() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedReentrantLock lock = SharedReentrantLock.create(s, "lock");
        JvmProcess holder = startHolder(s, "reentrant", 3);
        assertEquals(holder.pid(), lock.holderPid());

        LockTesting.Worker<String> waiter = start("waiter", () -> {
            if (!lock.tryLock(60, TimeUnit.SECONDS)) {
                return "timed out";
            }
            long acquiredAt = System.nanoTime();
            try {
                return "holds=" + lock.getHoldCount() + ", recovered=" + lock.lockRecovered() + ", recoveries="
                        + lock.recoveries() + ", at=" + acquiredAt;
            } finally {
                lock.unlock();
            }
        });
        eventually("the waiter sleeps", () -> lockWaiters(s, "lock") == 1);
        long killedAt = System.nanoTime();
        holder.kill();
        String seen = waiter.result();
        assertTrue(seen.startsWith("holds=1, recovered=true, recoveries=1, at="), seen);
        long tookNanos = Long.parseLong(seen.substring(seen.indexOf("at=") + 3)) - killedAt;
        assertTrue(tookNanos < RECOVERY_DEADLINE_NANOS, "took over " + tookNanos / 1_000_000 + " ms after the kill");
        assertFalse(lock.isLocked(), "one unlock freed it: the dead owner's three holds are gone");

        JvmProcess second = startHolder(s, "reentrant", 2);
        second.kill();
        assertTrue(second.join(30, TimeUnit.SECONDS));
        lock.lock();
        assertEquals(1, lock.getHoldCount());
        assertTrue(lock.lockRecovered());
        assertEquals(2, lock.recoveries());
        lock.unlock();
        assertFalse(lock.isLocked());
    }

    private JvmProcess startHolder(Segment s, String kind, int holds) throws InterruptedException {
        SharedLong held = SharedLong.openOrCreate(s, "held");
        held.set(0);
        JvmProcess holder = children.start(LockHolderMain.class, s.name(), kind, String.valueOf(holds));
        ChildJvms.awaitCondition("the child holds the lock", 60, () -> held.get() != 0 || !holder.isAlive());
        assertTrue(holder.isAlive(), () -> "child died: " + holder.errorOutput());
        assertEquals(holder.pid(), held.get());
        return holder;
    }
}
