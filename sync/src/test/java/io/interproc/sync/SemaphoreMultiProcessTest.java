package io.interproc.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.process.JvmProcess;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A semaphore of 2 permits shared by 4 JVMs never has more than 2 holders at once. */
class SemaphoreMultiProcessTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    @Test
    void shouldNeverAdmitMoreHoldersThanPermitsAcrossFourJvms() throws Exception {
        int permits = 2;
        int jvms = 4;
        int iterations = 300;
        Segment s = segments.create(1 << 20);
        SharedSemaphore sem = SharedSemaphore.createBounded(s, "sem", permits);
        SharedLong inside = SharedLong.create(s, "inside");
        SharedLong max = SharedLong.create(s, "max");
        SharedLong passes = SharedLong.create(s, "passes");
        SharedEvent go = SharedEvent.create(s, "go");
        List<JvmProcess> holders = new ArrayList<>();
        for (int i = 0; i < jvms; i++) {
            holders.add(children.start(SemaphoreHolderMain.class, s.name(), String.valueOf(iterations)));
        }
        go.set();
        for (JvmProcess p : holders) {
            ChildJvms.awaitSuccess(p, 120);
        }
        assertEquals((long) jvms * iterations, passes.get(), "every pass counted");
        assertTrue(max.get() <= permits, "never more holders than permits: max=" + max.get());
        assertTrue(max.get() > 1, "holders overlapped, so the bound was exercised: max=" + max.get());
        assertEquals(0, inside.get());
        assertEquals(permits, sem.availablePermits(), "every permit returned");
    }
}
