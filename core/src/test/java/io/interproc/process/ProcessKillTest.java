package io.interproc.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.core.SegmentInfo;
import io.interproc.core.SegmentOptions;
import io.interproc.core.SharedInt;
import io.interproc.core.children.AttachChild;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A process killed with kill -9 while attached: its slot is found dead and reused with a new generation. */
class ProcessKillTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    @Test
    void shouldReclaimTheSlotOfAKilledProcess() throws Exception {
        SegmentOptions options = SegmentOptions.defaults().withProcessTableSize(2);
        Segment s = segments.track(Segment.create(segments.newName(), 1 << 20, options));
        SharedInt childId = SharedInt.create(s, "child-id");
        JvmProcess child = children.start(AttachChild.class, s.name());
        ChildJvms.awaitCondition("child attached", 30, () -> childId.get() != 0);
        int id = childId.get();
        assertTrue(s.isAlive(id));
        assertEquals(child.pid(), s.pidOf(id));
        SegmentInfo before = Segment.list().stream().filter(i -> i.name().equals(s.name())).findFirst().orElseThrow();
        assertEquals(2, before.processesAlive());
        assertEquals(0, before.processesDead());

        child.kill();
        assertTrue(child.join(30, TimeUnit.SECONDS));
        ChildJvms.awaitCondition("killed child seen dead", 10, () -> !s.isAlive(id));
        SegmentInfo info = Segment.list().stream().filter(i -> i.name().equals(s.name())).findFirst().orElseThrow();
        assertEquals(1, info.processesAlive());
        assertEquals(1, info.processesDead());

        // The table has two slots, both occupied: the dead one is reaped and reused with a fresh id.
        int deadSlot = s.file().table().slotOf(id);
        Segment again = segments.track(Segment.open(s.name(), options));
        assertEquals(deadSlot, s.file().table().slotOf(again.ownerId()));
        assertTrue(again.ownerId() > id, "a fresh owner id: " + again.ownerId() + " after " + id);
        assertFalse(s.isAlive(id), "the dead id stays dead after its slot is reused");
        assertEquals(-1, s.pidOf(id));
    }
}
