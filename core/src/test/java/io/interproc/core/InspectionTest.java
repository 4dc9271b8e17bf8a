package io.interproc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.segment.Inspection;
import io.interproc.core.testing.TempSegments;
import io.interproc.core.value.CoreKinds;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class InspectionTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    @Test
    void shouldInspectWithoutAttaching() {
        Segment s = segments.create(1 << 20);
        SharedLong.create(s, "count", 42);
        SharedIntArray.create(s, "arr", 3).set(1, 7);
        SharedDouble.create(s, "ratio", 0.5);
        SharedBytes.create(s, "raw", 100);
        try (Segment view = Segment.inspect(s.name(), SegmentOptions.defaults())) {
            assertTrue(view.isInspection());
            assertEquals(0, view.ownerId());
            assertEquals(1, s.processes().size(), "the inspector took no process slot");
            Map<String, Map<String, Object>> described = new java.util.TreeMap<>();
            for (ObjectInfo info : view.objects()) {
                described.put(info.name(), Inspection.describe(view, info));
            }
            assertEquals(Map.of("value", 42L), described.get("count"));
            assertEquals(Map.of("length", 3, "elements", List.of(0, 7, 0)), described.get("arr"));
            assertEquals(Map.of("value", 0.5), described.get("ratio"));
            assertEquals(Map.of("size", 100), described.get("raw"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> SharedLong.create(view, "new"));
            assertEquals("segment '" + s.name() + "' is open for inspection only", e.getMessage());
            assertEquals(42L, SharedLong.open(view, "count").get(), "reads work through the read-only mapping");
        }
        assertEquals(1, s.processes().size());
    }

    @Test
    void shouldDescribeOwners() {
        Segment s = segments.create(1 << 20);
        assertEquals("none", Inspection.owner(s, 0));
        assertEquals("pid " + ProcessHandle.current().pid() + " (alive)", Inspection.owner(s, s.ownerId()));
        Segment other = segments.track(Segment.open(s.name()));
        int id = other.ownerId();
        other.close();
        assertEquals("owner id " + id + " (dead: its slot was freed or reused)", Inspection.owner(s, id));
        assertTrue(Inspection.canDescribe(CoreKinds.LONG));
    }
}
