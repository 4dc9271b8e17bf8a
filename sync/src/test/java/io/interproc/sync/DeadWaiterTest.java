package io.interproc.sync;

import static io.interproc.sync.LockTesting.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.core.SharedLongArray;
import io.interproc.core.segment.ProcessTableDescriptor;
import io.interproc.core.segment.SegmentHeaderDescriptor;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.process.JvmProcess;
import io.interproc.sync.internal.EventDescriptor;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A waiter killed with SIGKILL while registered in an object's waiter count: its registration is
 * subtracted once its process slot is reaped, so later uncontended wakers make no system call for
 * it. Reaping happens when a watcher of this JVM sees the death (a thread of ours sleeps on the
 * segment), or when a waker finds nobody to wake.
 */
class DeadWaiterTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    @Test
    void shouldSubtractAKilledWaitersRegistrationWhenAWatcherSeesItDie() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedEvent ev = SharedEvent.create(s, "ev");
        SharedEvent other = SharedEvent.create(s, "other");
        JvmProcess waiter = startWaiter(s);
        eventually("the child sleeps in await()", () -> waiters(s, "ev") == 1);

        // A thread of ours sleeps on the same segment: this JVM now watches the child's slot.
        LockTesting.Worker<Boolean> sleeper = LockTesting.start("sleeper", () -> other.await(60, TimeUnit.SECONDS));
        eventually("our thread sleeps", () -> waiters(s, "other") == 1);
        eventually("the child's registration is recorded", () -> recorded(s, "ev") == 1);

        waiter.kill();
        assertTrue(waiter.join(30, TimeUnit.SECONDS));
        eventually("the dead waiter's registration is subtracted", () -> waiters(s, "ev") == 0);
        other.set();
        assertEquals(true, sleeper.result());
        assertEquals(0, waiters(s, "other"));
    }

    @Test
    void shouldSubtractAKilledWaitersRegistrationWhenAWakerFindsNobody() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedEvent ev = SharedEvent.create(s, "ev");
        JvmProcess waiter = startWaiter(s);
        eventually("the child sleeps in await()", () -> waiters(s, "ev") == 1);
        // Its count is raised before its record is written (a kill in between leaves a count one
        // too high for good: a spare wake-up call, documented); kill it only once it is recorded.
        eventually("the child's registration is recorded", () -> recorded(s, "ev") == 1);
        waiter.kill();
        assertTrue(waiter.join(30, TimeUnit.SECONDS));
        assertEquals(1, waiters(s, "ev"), "nobody watched the child die: its registration is still counted");

        // The next waker's futex_wake finds nobody: it has the dead slot reaped.
        eventually("a waker that finds nobody has the dead registration subtracted", () -> {
            ev.set();
            ev.clear();
            return waiters(s, "ev") == 0;
        });
    }

    private JvmProcess startWaiter(Segment s) throws InterruptedException {
        SharedLongArray.create(s, "report", 4);
        SharedLong.create(s, "payload");
        JvmProcess waiter = children.start(EventWaiterMain.class, s.name(), "0");
        ChildJvms.awaitCondition("the child attached", 60, () -> s.processes().size() == 2 || !waiter.isAlive());
        assertTrue(waiter.isAlive(), () -> "child died: " + waiter.errorOutput());
        return waiter;
    }

    /** @return the registrations of {@code event}'s waiter count recorded in all process-table slots */
    private static int recorded(Segment s, String event) {
        int waitersOffset = LockTesting.offsetOf(s, event) + EventDescriptor.WAITERS_OFFSET;
        int table = s.buffer().getIntVolatile(SegmentHeaderDescriptor.PROCESS_TABLE_OFFSET_OFFSET);
        int capacity = s.buffer().getIntVolatile(SegmentHeaderDescriptor.PROCESS_TABLE_CAPACITY_OFFSET);
        int n = 0;
        for (int slot = 0; slot < capacity; slot++) {
            for (int r = 0; r < ProcessTableDescriptor.RECORDS; r++) {
                long rec = s.buffer().getLongVolatile(ProcessTableDescriptor.recordOffset(table, slot, r));
                if (rec != 0 && ProcessTableDescriptor.recordedOffset(rec) == waitersOffset) {
                    n += ProcessTableDescriptor.recordedCount(rec);
                }
            }
        }
        return n;
    }

    private static int waiters(Segment s, String event) {
        return s.buffer().getIntVolatile(LockTesting.offsetOf(s, event) + EventDescriptor.WAITERS_OFFSET);
    }
}
