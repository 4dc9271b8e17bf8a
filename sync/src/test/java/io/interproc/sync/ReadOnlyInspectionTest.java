package io.interproc.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.ObjectInfo;
import io.interproc.core.Segment;
import io.interproc.core.SegmentOptions;
import io.interproc.core.segment.Inspection;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.sync.internal.BarrierDescriptor;
import io.interproc.sync.internal.BarrierInspector;
import io.interproc.sync.internal.EventInspector;
import io.interproc.sync.internal.SemaphoreInspector;
import io.interproc.sync.internal.SyncKinds;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReadOnlyInspectionTest {
    private static final long PID = ProcessHandle.current().pid();

    @RegisterExtension
    final TempSegments segments = new TempSegments();

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS), "test threads ended");
    }

    private Map<String, Map<String, Object>> inspect(Segment s) {
        Map<String, Map<String, Object>> described = new TreeMap<>();
        try (Segment view = Segment.inspect(s.name(), SegmentOptions.defaults())) {
            for (ObjectInfo info : view.objects()) {
                described.put(info.name(), Inspection.describe(view, info));
            }
        }
        return described;
    }

    @Test
    void shouldBeFoundForEveryKindOfThisPart() {
        assertTrue(Inspection.canDescribe(SyncKinds.SEMAPHORE));
        assertTrue(Inspection.canDescribe(SyncKinds.EVENT));
        assertTrue(Inspection.canDescribe(SyncKinds.BARRIER));
        assertEquals(Set.of(SyncKinds.SEMAPHORE), new SemaphoreInspector().kinds());
        assertEquals(Set.of(SyncKinds.EVENT), new EventInspector().kinds());
        assertEquals(Set.of(SyncKinds.BARRIER), new BarrierInspector().kinds());
    }

    @Test
    void shouldDescribeSemaphoresEventsAndBarriersThroughAReadOnlyView() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedSemaphore bounded = SharedSemaphore.createBounded(s, "bounded", 3);
        SharedSemaphore.create(s, "plain", 0);
        SharedEvent set = SharedEvent.create(s, "set");
        SharedEvent.create(s, "clear");
        SharedBarrier barrier = SharedBarrier.create(s, "barrier", 3);
        SharedBarrier broken = SharedBarrier.create(s, "broken", 2);
        bounded.acquire(2);
        set.set();
        set.clear();
        set.set();
        Future<Integer> party = threads.submit(() -> barrier.await());
        ChildJvms.awaitCondition("one party waits", 10, () -> barrier.numberWaiting() == 1);
        broken.abort();

        Map<String, Map<String, Object>> d = inspect(s);
        assertEquals(map("bounded", true, "maxPermits", 3, "availablePermits", 1, "sleepers", 0), d.get("bounded"));
        assertEquals(map("bounded", false, "availablePermits", 0, "sleepers", 0), d.get("plain"));
        assertEquals(map("set", true, "timesSet", 2L, "sleepers", 0), d.get("set"));
        assertEquals(map("set", false, "timesSet", 0L, "sleepers", 0), d.get("clear"));
        Map<String, Object> b = d.get("barrier");
        assertEquals(List.of("parties", "generation", "phase", "waiting", "arrived", "sleepers"), List.copyOf(b.keySet()));
        assertEquals(3, b.get("parties"));
        assertEquals(0L, b.get("generation"));
        assertEquals("filling", b.get("phase"));
        assertEquals(1, b.get("waiting"));
        assertEquals(List.of("pid " + PID + " (alive)"), b.get("arrived"));
        assertEquals(map("parties", 2, "generation", 0L, "phase", "broken", "waiting", 0, "notYetSeenTheBreak",
                List.of(), "sleepers", 0), d.get("broken"));

        barrier.reset();
        Throwable t = assertThrows(ExecutionException.class, () -> party.get(10, TimeUnit.SECONDS)).getCause();
        assertTrue(t instanceof BrokenBarrierException, "reset broke the waiting party: " + t);
        assertEquals(1L, inspect(s).get("barrier").get("generation"));
    }

    @Test
    void shouldReportACorruptBarrier() {
        Segment s = segments.create(1 << 20);
        SharedBarrier.create(s, "b", 2);
        int at = s.objects().get(0).offset();
        s.buffer().setIntVolatile(at + BarrierDescriptor.PARTIES_OFFSET, 5000);
        try (Segment view = Segment.inspect(s.name(), SegmentOptions.defaults())) {
            assertEquals("SharedBarrier 'b' in segment '" + s.name() + "' is corrupt: parties=5000 is outside [1, 1024]",
                    assertThrows(CorruptSegmentException.class,
                            () -> Inspection.describe(view, view.objects().get(0))).getMessage());
        }
    }

    private static Map<String, Object> map(Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], pairs[i + 1]);
        }
        return out;
    }
}
