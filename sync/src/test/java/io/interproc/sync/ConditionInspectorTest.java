package io.interproc.sync;

import static io.interproc.sync.LockTesting.eventually;
import static io.interproc.sync.LockTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.ObjectInfo;
import io.interproc.core.Segment;
import io.interproc.core.segment.Inspection;
import io.interproc.core.testing.TempSegments;
import io.interproc.sync.internal.ConditionInspector;
import io.interproc.sync.internal.SyncKinds;

import java.util.LinkedHashMap;
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

    /** Describes one object through a read-only, non-attached view, as the interproc command does. */
    private Map<String, Object> inspect(Segment s, String name) {
        try (Segment view = Segment.inspect(s.name(), segments.options())) {
            for (ObjectInfo info : view.objects()) {
                if (info.name().equals(name)) {
                    return Inspection.describe(view, info);
                }
            }
        }
        throw new AssertionError("no object " + name);
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
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
        assertEquals(map("sequence", 0L, "waiters", 0, "pendingSignals", 0, "lock", "SharedLock 'orders'"),
                inspect(s, "ready"));
        assertEquals("SharedReentrantLock 'r'", inspect(s, "reentrant-ready").get("lock"));

        LockTesting.Worker<Void> waiter = start("waiter", () -> {
            lock.lock();
            try {
                cond.await();
            } finally {
                lock.unlock();
            }
            return null;
        });
        eventually("one condition waiter shown", () -> Integer.valueOf(1).equals(inspect(s, "ready").get("waiters")));
        lock.lock();
        try {
            cond.signal();
            Map<String, Object> signalled = inspect(s, "ready");
            assertEquals(1L, signalled.get("sequence"));
            assertEquals(0, signalled.get("waiters"));
        } finally {
            lock.unlock();
        }
        waiter.result();
        assertEquals(map("sequence", 1L, "waiters", 0, "pendingSignals", 0, "lock", "SharedLock 'orders'"),
                inspect(s, "ready"));
    }
}
