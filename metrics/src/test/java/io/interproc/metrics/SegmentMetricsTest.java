package io.interproc.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.core.jmx.ObjectFigures;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.queue.SharedQueue;

import java.util.Map;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Micrometer binder shows every numeric figure of inspect, counters as function counters. */
class SegmentMetricsTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    @Test
    void shouldExposeTheFiguresInspectShows() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedQueue<String> q = SharedQueue.create(s, "orders", 4096, Codec.utf8());
        q.put("a");
        q.put("b");
        q.put("c");
        assertEquals("a", q.take());
        SharedLong.create(s, "count", 7);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new SegmentMetrics(s, Tags.of("app", "test")).bindTo(registry);

        FunctionCounter put = registry.get("interproc.messages.put")
                .tags("segment", s.name(), "object", "orders", "kind", "SharedQueue", "app", "test").functionCounter();
        assertEquals(3.0, put.count());
        assertEquals(2.0, registry.get("interproc.messages").tag("object", "orders").gauge().value());
        assertEquals(7.0, registry.get("interproc.value").tag("object", "count").gauge().value());
        assertEquals(2.0, registry.get("interproc.segment.objects").tag("segment", s.name()).gauge().value());
        assertEquals(1.0, registry.get("interproc.segment.processes.alive").gauge().value());

        for (String object : new String[] {"orders", "count"}) {
            Map<String, Object> inspected = segments.describe(s, object); // as interproc inspect reads it
            ObjectFigures figures = ObjectFigures.read(s, s.objects().stream()
                    .filter(o -> o.name().equals(object)).findFirst().orElseThrow());
            assertEquals(inspected, figures.figures());
            for (Map.Entry<String, Number> e : figures.numbers().entrySet()) {
                Meter meter = registry.find(SegmentMetrics.meterName(e.getKey())).tag("object", object).meter();
                assertNotNull(meter, object + "." + e.getKey());
                double value = meter instanceof FunctionCounter c ? c.count() : ((Gauge) meter).value();
                assertEquals(e.getValue().doubleValue(), value, object + "." + e.getKey());
                assertEquals(figures.counters().contains(e.getKey()), meter instanceof FunctionCounter,
                        object + "." + e.getKey() + " is a counter exactly when the inspector says so");
            }
            for (Map.Entry<String, Object> e : inspected.entrySet()) {
                if (e.getValue() instanceof String) {
                    assertNull(registry.find(SegmentMetrics.meterName(e.getKey())).tag("object", object).meter(),
                            "text figures have no meter: " + e.getKey());
                }
            }
        }

        q.put("d");
        assertEquals(4.0, put.count(), "read afresh");
        s.close();
        assertTrue(Double.isNaN(registry.get("interproc.messages").tag("object", "orders").gauge().value()));
    }

    @Test
    void shouldBindObjectsCreatedLaterOnRefresh() {
        Segment s = segments.create(1 << 20);
        SegmentMetrics metrics = new SegmentMetrics(s);
        SimpleMeterRegistry first = new SimpleMeterRegistry();
        metrics.bindTo(first);
        assertEquals(0, metrics.refresh());
        SharedLong.create(s, "later", 3);
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        metrics.bindTo(second);
        assertEquals(3.0, first.get("interproc.value").tag("object", "later").gauge().value());
        assertEquals(3.0, second.get("interproc.value").tag("object", "later").gauge().value());
        SharedLong.create(s, "latest", 4);
        assertEquals(1, metrics.refresh());
        assertEquals(4.0, first.get("interproc.value").tag("object", "latest").gauge().value());
        assertEquals(4.0, second.get("interproc.value").tag("object", "latest").gauge().value());
        assertFalse(first.getMeters().isEmpty());
    }

    @Test
    void shouldNameMetersFromFigures() {
        assertEquals("interproc.messages.put", SegmentMetrics.meterName("messagesPut"));
        assertEquals("interproc.b.to.a.bytes.used", SegmentMetrics.meterName("bToA.bytesUsed"));
        assertEquals("interproc.value", SegmentMetrics.meterName("value"));
    }
}
