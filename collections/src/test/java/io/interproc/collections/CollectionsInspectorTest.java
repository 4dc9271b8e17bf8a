package io.interproc.collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.interproc.collections.internal.MapDescriptor;
import io.interproc.core.Codec;
import io.interproc.core.CorruptSegmentException;
import io.interproc.core.Segment;
import io.interproc.core.testing.TempSegments;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What {@code interproc inspect} shows of maps, lists and namespaces, and of damaged ones. */
class CollectionsInspectorTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    @Test
    void shouldDescribeEveryKind() {
        Segment s = segments.create(1 << 20);
        SharedMap<String, Long> m = SharedMap.create(s, "map", Codec.utf8(), Codec.longs(), 100, 8, 8);
        m.put("a", 1L);
        SharedNamespace ns = SharedNamespace.create(s, "ns", 8, 8);
        ns.set("x", 1L);
        ns.set("y", "why");
        Map<String, Object> d = segments.describe(s, "map");
        assertEquals(java.util.List.of("entries", "capacity", "bytesUsed", "bytesFree", "stripes", "stripesHeld",
                "recoveries", "leakedBytes"), java.util.List.copyOf(d.keySet()));
        assertEquals(1L, d.get("entries"));
        assertEquals(2L, segments.describe(s, "ns").get("entries"));
        assertEquals(m.usedBytes() + m.freeBytes(), (Long) d.get("bytesUsed") + (Long) d.get("bytesFree"));
    }

    @Test
    void shouldReportADamagedMapAsCorrupt() {
        Segment s = segments.create(1 << 20);
        SharedMap.create(s, "map", Codec.utf8(), Codec.longs(), 100, 8, 8);
        int base = s.objects().stream().filter(o -> o.name().equals("map")).findFirst().orElseThrow().offset();
        s.buffer().setInt(base + MapDescriptor.STRIPES_OFFSET, 3); // not a power of two
        assertThrows(CorruptSegmentException.class, () -> segments.describe(s, "map"));
        assertThrows(CorruptSegmentException.class, () -> SharedMap.open(s, "map", Codec.utf8(), Codec.longs()));
        s.buffer().setInt(base + MapDescriptor.MAGIC_OFFSET, 0);
        assertThrows(CorruptSegmentException.class, () -> segments.describe(s, "map"));
    }
}
