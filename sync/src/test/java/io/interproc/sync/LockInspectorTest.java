package io.interproc.sync;

import static io.interproc.sync.LockTesting.eventually;
import static io.interproc.sync.LockTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.Segment;
import io.interproc.core.segment.Inspection;
import io.interproc.core.testing.TempSegments;
import io.interproc.sync.internal.LockDescriptor;
import io.interproc.sync.internal.LockInspector;
import io.interproc.sync.internal.SyncKinds;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LockInspectorTest {
    private static final long PID = ProcessHandle.current().pid();

    @RegisterExtension
    final TempSegments segments = new TempSegments();

    private Segment segment() {
        return segments.create(1 << 20);
    }

    @Test
    void shouldBeFoundByTheServiceLoader() {
        assertTrue(Inspection.canDescribe(SyncKinds.LOCK));
        assertTrue(Inspection.canDescribe(SyncKinds.REENTRANT_LOCK));
        assertEquals(java.util.Set.of(SyncKinds.LOCK, SyncKinds.REENTRANT_LOCK), new LockInspector().kinds());
    }

    @Test
    void shouldDescribeAFreeAndAHeldLockInOrder() {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        assertEquals(TempSegments.map("owner", "none", "holderThread", 0L, "recovered", false, "recoveries", 0L, "waiters", 0),
                segments.describe(s, "l"));
        assertEquals(List.of("owner", "holderThread", "recovered", "recoveries", "waiters"),
                List.copyOf(segments.describe(s, "l").keySet()));
        lock.lock();
        try {
            assertEquals(TempSegments.map("owner", "pid " + PID + " (alive)", "holderThread", Thread.currentThread().getId(),
                    "recovered", false, "recoveries", 0L, "waiters", 0), segments.describe(s, "l"));
        } finally {
            lock.unlock();
        }
    }

    @Test
    void shouldCountAWaiterOfALock() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        lock.lock();
        LockTesting.Worker<Void> waiter = start("waiter", () -> {
            lock.lock();
            lock.unlock();
            return null;
        });
        eventually("one waiter shown", () -> Integer.valueOf(1).equals(segments.describe(s, "l").get("waiters")));
        lock.unlock();
        waiter.result();
        assertEquals(0, segments.describe(s, "l").get("waiters"));
    }

    @Test
    void shouldShowADeadOwnerAndThenTheRecovery() {
        Segment s = segment();
        SharedLock.create(s, "l");
        Segment other = segments.track(Segment.open(s.name(), segments.options()));
        int deadId = other.ownerId();
        SharedLock.open(other, "l").lock();
        other.close(); // holding the lock: its owner is now dead
        assertEquals("owner id " + deadId + " (dead: its slot was freed or reused)", segments.describe(s, "l").get("owner"));

        SharedLock lock = SharedLock.open(s, "l");
        assertTrue(lock.tryLock(), "takes the dead owner's lock over");
        try {
            assertEquals(TempSegments.map("owner", "pid " + PID + " (alive)", "holderThread", Thread.currentThread().getId(),
                    "recovered", true, "recoveries", 1L, "waiters", 0), segments.describe(s, "l"));
        } finally {
            lock.unlock();
        }
        assertEquals(TempSegments.map("owner", "none", "holderThread", 0L, "recovered", false, "recoveries", 1L, "waiters", 0),
                segments.describe(s, "l"));
    }

    @Test
    void shouldDescribeTheHoldCountOfAReentrantLock() {
        Segment s = segment();
        SharedReentrantLock lock = SharedReentrantLock.create(s, "r");
        assertEquals(TempSegments.map("owner", "none", "holderThread", 0L, "recovered", false, "recoveries", 0L, "waiters", 0,
                "holdCount", 0), segments.describe(s, "r"));
        lock.lock();
        lock.lock();
        try {
            assertEquals(TempSegments.map("owner", "pid " + PID + " (alive)", "holderThread", Thread.currentThread().getId(),
                    "recovered", false, "recoveries", 0L, "waiters", 0, "holdCount", 2), segments.describe(s, "r"));
        } finally {
            lock.unlock();
            lock.unlock();
        }
    }

    @Test
    void shouldDescribeAnEmbeddedLockAndRefuseATooSmallRegion() {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "l");
        lock.lock();
        try {
            var region = s.openObject("l", SyncKinds.LOCK);
            assertEquals("pid " + PID + " (alive)", LockInspector.describeLock(
                    region.part("l.inner", SyncKinds.LOCK, 0, LockDescriptor.SIZE)).get("owner"));
            CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                    () -> LockInspector.describeLock(region.part("l.small", SyncKinds.LOCK, 0, 64)));
            assertEquals("SharedLock 'l.small' in segment '" + s.name() + "' is corrupt: length=64 is outside [128, "
                    + Integer.MAX_VALUE + "]", e.getMessage());
        } finally {
            lock.unlock();
        }
    }
}
