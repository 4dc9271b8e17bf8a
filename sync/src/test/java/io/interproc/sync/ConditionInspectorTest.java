package io.interproc.sync;

import static io.interproc.sync.LockTesting.eventually;
import static io.interproc.sync.LockTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.core.segment.Inspection;
import io.interproc.core.testing.TempSegments;
import io.interproc.sync.internal.ConditionInspector;
import io.interproc.sync.internal.SyncKinds;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConditionInspectorTest {
    private static final long PID = ProcessHandle.current().pid();

    @RegisterExtension
    final TempSegments segments = new TempSegments();

    private Segment segment() {
        return segments.create(1 << 20);
    }

    @Test
    void shouldBeFoundByTheServiceLoader() {
        assertTrue(Inspection.canDescribe(SyncKinds.CONDITION));
        assertEquals(java.util.Set.of(SyncKinds.CONDITION), new ConditionInspector().kinds());
    }

    @Test
    void shouldDescribeAConditionItsWaitersAndItsLock() throws Exception {
        Segment s = segment();
        SharedLock lock = SharedLock.create(s, "orders");
        SharedCondition cond = SharedCondition.create(s, "ready", lock);
        SharedCondition.create(s, "reentrant-ready", SharedReentrantLock.create(s, "r"));
        assertEquals(TempSegments.map("sequence", 0L, "waiters", 0, "pendingSignals", 0, "lock", "SharedLock 'orders'"),
                segments.describe(s, "ready"));
        assertEquals("SharedReentrantLock 'r'", segments.describe(s, "reentrant-ready").get("lock"));

        LockTesting.Worker<Void> waiter = start("waiter", () -> {
            lock.lock();
            try {
                cond.await();
            } finally {
                lock.unlock();
            }
            return null;
        });
        eventually("one condition waiter shown", () -> Integer.valueOf(1).equals(segments.describe(s, "ready").get("waiters")));
        lock.lock();
        try {
            cond.signal();
            Map<String, Object> signalled = segments.describe(s, "ready");
            assertEquals(1L, signalled.get("sequence"));
            assertEquals(0, signalled.get("waiters"));
        } finally {
            lock.unlock();
        }
        waiter.result();
        assertEquals(TempSegments.map("sequence", 1L, "waiters", 0, "pendingSignals", 0, "lock", "SharedLock 'orders'"),
                segments.describe(s, "ready"));
    }
}
