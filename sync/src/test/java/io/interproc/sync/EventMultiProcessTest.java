package io.interproc.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.core.SharedLongArray;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.process.JvmProcess;
import io.interproc.sync.internal.EventDescriptor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One set() in this JVM releases waiters sleeping in three other JVMs. */
class EventMultiProcessTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    @Test
    void shouldReleaseSleepingWaitersInThreeJvmsWithOneSet() throws Exception {
        int jvms = 3;
        Segment s = segments.create(1 << 20);
        SharedEvent ev = SharedEvent.create(s, "ev");
        SharedLongArray report = SharedLongArray.create(s, "report", 4 * jvms);
        SharedLong.create(s, "payload");
        int payloadAt = s.objects().stream().filter(o -> o.name().equals("payload")).findFirst().orElseThrow().offset();
        int waitersAt = s.objects().stream().filter(o -> o.name().equals("ev")).findFirst().orElseThrow().offset()
                + EventDescriptor.WAITERS_OFFSET;
        List<JvmProcess> waiters = new ArrayList<>();
        for (int i = 0; i < jvms; i++) {
            waiters.add(children.start(EventWaiterMain.class, s.name(), String.valueOf(i)));
        }
        ChildJvms.awaitCondition("3 JVMs asleep on the event", 60, () -> s.buffer().getIntVolatile(waitersAt) == jvms);
        long sleepingSince = System.nanoTime();
        while (System.nanoTime() - sleepingSince < TimeUnit.SECONDS.toNanos(1)) {
            Thread.sleep(50); // let them sleep a measurable while: their CPU use is checked below
        }
        for (int i = 0; i < jvms; i++) {
            assertEquals(0, report.get(4 * i), "child " + i + " still waiting before set()");
        }
        s.buffer().setLong(payloadAt, 42); // a plain write, published by set()
        ev.set();
        ChildJvms.awaitCondition("every child reports it woke", 10, () -> {
            for (int i = 0; i < jvms; i++) {
                if (report.get(4 * i) == 0) {
                    return false;
                }
            }
            return true;
        });
        for (int i = 0; i < jvms; i++) {
            assertEquals(1, report.get(4 * i), "child " + i + " woke because the event was set");
            assertEquals(42, report.get(4 * i + 1), "child " + i + " sees what was written before set()");
            long cpu = report.get(4 * i + 2);
            long wall = report.get(4 * i + 3);
            assertTrue(wall >= TimeUnit.SECONDS.toNanos(1), "child " + i + " waited over a second: " + wall);
            assertTrue(cpu < EventTest.maxWaitingCpuNanos(),
                    "child " + i + " slept while waiting: cpu=" + cpu + " ns over wall=" + wall + " ns");
        }
        for (JvmProcess p : waiters) {
            ChildJvms.awaitSuccess(p, 30);
        }
    }
}
