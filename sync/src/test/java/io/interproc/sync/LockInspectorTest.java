package io.interproc.sync;

import static io.interproc.sync.LockTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Inspection;
import io.interproc.core.ObjectInfo;
import io.interproc.core.ObjectKind;
import io.interproc.core.Segment;
import io.interproc.core.SegmentOptions;
import io.interproc.core.testing.TempSegments;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LockInspectorTest {
    private static final long PID = ProcessHandle.current().pid();

    @RegisterExtension
    final TempSegments segments = new TempSegments();

    @Test
    void shouldBeFoundForEveryKindOfThisPart() {
        assertTrue(Inspection.canDescribe(ObjectKind.LOCK));
        assertTrue(Inspection.canDescribe(ObjectKind.REENTRANT_LOCK));
        assertTrue(Inspection.canDescribe(ObjectKind.CONDITION));
    }

    @Test
    void shouldDescribeLocksAndConditionsThroughAReadOnlyView() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedLock free = SharedLock.create(s, "free");
        SharedLock held = SharedLock.create(s, "held");
        SharedReentrantLock nested = SharedReentrantLock.create(s, "nested");
        SharedCondition cond = SharedCondition.create(s, "cond", held);
        Segment dying = segments.track(Segment.open(s.name(), segments.options()));
        SharedLock.open(dying, "free").lock();
        dying.close();
        assertTrue(free.tryLock()); // taken over: one recovery
        free.unlock();
        held.lock();
        nested.lock();
        nested.lock();
        LockTesting.Worker<Void> waiter = start("waiter", () -> {
            held.lock();
            try {
                cond.await();
            } finally {
                held.unlock();
            }
            return null;
        });
        held.unlock();
        LockTesting.eventually("the waiter waits", () -> cond.waiterCount() == 1);
        held.lock();
        long thread = Thread.currentThread().getId();

        Map<String, Map<String, Object>> described = new TreeMap<>();
        try (Segment view = Segment.inspect(s.name(), SegmentOptions.defaults())) {
            for (ObjectInfo info : view.objects()) {
                described.put(info.name(), Inspection.describe(view, info));
            }
        }
        assertEquals(map("locked", false, "owner", "none", "waiters", 0, "recoveries", 1L), described.get("free"));
        assertEquals(map("locked", true, "owner", "pid " + PID + " (alive)", "holderThreadId", thread,
                "recovered", false, "waiters", 0, "recoveries", 0L), described.get("held"));
        assertEquals(map("locked", true, "owner", "pid " + PID + " (alive)", "holderThreadId", thread,
                "holdCount", 2, "recovered", false, "waiters", 0, "recoveries", 0L), described.get("nested"));
        Map<String, Object> condition = described.get("cond");
        assertEquals("SharedLock 'held'", condition.get("lock"));
        assertEquals(1, condition.get("waiting"));
        assertEquals(0, condition.get("pendingSignals"));
        assertEquals(0L, condition.get("epoch"));
        assertEquals(List.of("lock", "waiting", "pendingSignals", "epoch", "sleepers"), List.copyOf(condition.keySet()));

        cond.signal();
        held.unlock();
        waiter.result();
        nested.unlock();
        nested.unlock();
    }

    private static Map<String, Object> map(Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], pairs[i + 1]);
        }
        return out;
    }
}
