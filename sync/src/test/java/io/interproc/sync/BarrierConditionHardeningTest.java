package io.interproc.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.Segment;
import io.interproc.core.testing.TempSegments;
import io.interproc.sync.internal.BarrierDescriptor;
import io.interproc.sync.internal.ConditionDescriptor;
import io.interproc.sync.internal.SyncKinds;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Hardening: barrier waits honour deadlines; corrupt condition bindings are corrupt segments. */
class BarrierConditionHardeningTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    private static int base(Segment s, String name) {
        return s.objects().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow().offset();
    }

    @Test
    void shouldTimeOutPromptlyWhileAnotherLivePartySitsBetweenItsTwoCases() throws Exception {
        Segment s = segments.create(1 << 20);
        Segment other = segments.track(Segment.open(s.name())); // a live attachment for the stuck party
        SharedBarrier barrier = SharedBarrier.create(s, "b", 2);
        int base = base(s, "b");
        // The other party claimed entry 0 for generation 0 but has not yet CASed arrived 0 -> 1.
        s.buffer().setLongVolatile(base + BarrierDescriptor.ENTRIES_OFFSET, BarrierDescriptor.entry(0, other.ownerId()));

        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpuBefore = mx.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        TimeoutException e = assertThrows(TimeoutException.class, () -> barrier.await(10, TimeUnit.MILLISECONDS));
        long wallMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long cpuMillis = TimeUnit.NANOSECONDS.toMillis(mx.getCurrentThreadCpuTime() - cpuBefore);

        assertEquals("barrier 'b' timed out before this thread could arrive: the party arriving as number 0"
                + " (ownerId=" + other.ownerId() + ") had not finished arriving; timeoutNanos=10000000, parties=2;"
                + " the barrier is now broken", e.getMessage());
        assertTrue(barrier.isBroken());
        // Before the fix the claim wait ignored the deadline and spun for about 1 s (its stall limit).
        assertTrue(wallMillis < 900, "await(10 ms) took " + wallMillis + " ms");
        assertTrue(cpuMillis < 300, "await(10 ms) used " + cpuMillis + " ms of CPU");
    }

    @Test
    void shouldReportACorruptConditionBindingAsACorruptSegment() {
        Segment s = segments.create(1 << 20);
        SharedLock lock = SharedLock.create(s, "lock");
        lock.newCondition("cond");
        int base = base(s, "cond");
        s.buffer().setInt(base + ConditionDescriptor.LOCK_KIND_OFFSET, 99);
        s.buffer().setInt(base + ConditionDescriptor.LOCK_OFFSET_OFFSET, -5);
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                () -> SharedCondition.open(s, "cond", lock));
        assertEquals("SharedCondition 'cond' in segment '" + s.name() + "' is corrupt: its bound lock (kind code=99,"
                + " offset=-5) is not a SharedLock or SharedReentrantLock of the segment", e.getMessage());

        // A binding that names a lock kind at an offset holding no such lock is corrupt too.
        s.buffer().setInt(base + ConditionDescriptor.LOCK_KIND_OFFSET, SyncKinds.REENTRANT_LOCK.code());
        s.buffer().setInt(base + ConditionDescriptor.LOCK_OFFSET_OFFSET, base(s, "lock"));
        e = assertThrows(CorruptSegmentException.class, () -> lock.newCondition("cond"));
        assertEquals("SharedCondition 'cond' in segment '" + s.name() + "' is corrupt: its bound lock (kind code="
                + SyncKinds.REENTRANT_LOCK.code() + ", offset=" + base(s, "lock") + ") is not a SharedLock or"
                + " SharedReentrantLock of the segment", e.getMessage());
    }
}
