package io.interproc.core.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.core.SegmentOptions;
import io.interproc.core.SharedBytes;
import io.interproc.core.SharedIntArray;
import io.interproc.core.SharedLong;
import io.interproc.core.children.CounterChild;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.core.value.ArrayDescriptor;
import io.interproc.process.JvmProcess;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The MBeans of a segment: registered, read through the platform server, equal to inspect, gone on close. */
class SegmentMBeansTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    private SegmentMBeans beans;

    @AfterEach
    void unregister() {
        if (beans != null) {
            beans.close();
        }
    }

    @Test
    void shouldShowWhatInspectShowsAndUnregisterWhenTheSegmentCloses() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedLong.create(s, "count", 42);
        SharedIntArray.create(s, "arr", 3).set(1, 7);
        SharedBytes.create(s, "raw", 100);
        beans = SegmentMBeans.register(s);

        ObjectName count = new ObjectName("io.interproc:type=SharedLong,segment=" + s.name() + ",name=count");
        ObjectName arr = new ObjectName("io.interproc:type=SharedIntArray,segment=" + s.name() + ",name=arr");
        ObjectName raw = new ObjectName("io.interproc:type=SharedBytes,segment=" + s.name() + ",name=raw");
        ObjectName seg = new ObjectName("io.interproc:type=Segment,name=" + s.name());
        assertEquals(List.of(seg, arr, count, raw).stream().sorted().toList(),
                beans.names().stream().sorted().toList());
        assertEquals(42L, SERVER.getAttribute(count, "value"));
        assertEquals("SharedLong", SERVER.getAttribute(count, "kind"));
        assertEquals(s.objects().stream().filter(o -> o.name().equals("count")).findFirst().orElseThrow().length(),
                SERVER.getAttribute(count, "bytes"));
        assertSameAsInspect(s, "count", count);
        assertSameAsInspect(s, "arr", arr);
        assertSameAsInspect(s, "raw", raw);
        assertEquals("[0, 7, 0]", SERVER.getAttribute(arr, "elements"), "lists are shown as inspect's text shows them");
        try (Segment view = Segment.inspect(s.name(), SegmentOptions.defaults())) {
            assertEquals(view.size(), SERVER.getAttribute(seg, "size"));
            assertEquals(view.usedBytes(), SERVER.getAttribute(seg, "usedBytes"));
        }
        assertEquals(3, SERVER.getAttribute(seg, "objects"));
        assertEquals(1, SERVER.getAttribute(seg, "processesAlive"));

        SharedLong.open(s, "count").set(43);
        assertEquals(43L, SERVER.getAttribute(count, "value"), "read afresh on each access");

        SharedLong.create(s, "later", 5);
        assertEquals(1, beans.refresh());
        assertEquals(0, beans.refresh());
        ObjectName later = SegmentMBeans.objectName(s.name(), "SharedLong", "later");
        assertEquals(5L, SERVER.getAttribute(later, "value"));

        s.close();
        for (ObjectName n : List.of(seg, arr, count, raw, later)) {
            assertFalse(SERVER.isRegistered(n), n + " unregistered when the segment closed");
        }
        assertThrows(IllegalStateException.class, beans::refresh);
    }

    @Test
    void shouldRefuseASecondRegistrationUntilTheFirstIsClosed() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedLong.create(s, "count", 1);
        Segment other = segments.track(Segment.open(s.name()));
        beans = SegmentMBeans.register(s);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SegmentMBeans.register(other));
        assertTrue(e.getMessage().contains(SegmentMBeans.segmentName(s.name()).toString()), e.getMessage());
        beans.close();
        beans.close();
        assertFalse(SERVER.isRegistered(SegmentMBeans.segmentName(s.name())));
        beans = SegmentMBeans.register(other);
        assertEquals(1L, SERVER.getAttribute(SegmentMBeans.objectName(s.name(), "SharedLong", "count"), "value"));
        assertThrows(NullPointerException.class, () -> SegmentMBeans.register(s, null));
        Segment closed = segments.track(Segment.open(s.name()));
        closed.close();
        assertThrows(IllegalStateException.class, () -> SegmentMBeans.register(closed));
    }

    @Test
    void shouldLeaveOutACorruptObjectUntilItReadsWhole() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedLong.create(s, "fine", 1);
        SharedIntArray.create(s, "damaged", 4);
        int at = s.objects().stream().filter(o -> o.name().equals("damaged")).findFirst().orElseThrow().offset();
        int length = s.buffer().getInt(at + ArrayDescriptor.LENGTH_OFFSET);
        s.buffer().setInt(at + ArrayDescriptor.LENGTH_OFFSET, -1); // as a stray write would
        beans = SegmentMBeans.register(s);
        ObjectName damaged = SegmentMBeans.objectName(s.name(), "SharedIntArray", "damaged");
        assertFalse(SERVER.isRegistered(damaged));
        assertEquals(1L, SERVER.getAttribute(SegmentMBeans.objectName(s.name(), "SharedLong", "fine"), "value"));
        s.buffer().setInt(at + ArrayDescriptor.LENGTH_OFFSET, length);
        assertEquals(1, beans.refresh());
        assertEquals(4, SERVER.getAttribute(damaged, "length"));
    }

    @Test
    void shouldQuoteNamesThatNeedIt() {
        ObjectName plain = SegmentMBeans.objectName("seg-1", "SharedQueue", "jobs.high_2");
        assertEquals("io.interproc:type=SharedQueue,segment=seg-1,name=jobs.high_2", plain.toString());
        ObjectName odd = SegmentMBeans.objectName("seg", "SharedQueue", "a,b=c:*\"");
        assertEquals("a,b=c:*\"", ObjectName.unquote(odd.getKeyProperty("name")));
        assertFalse(odd.isPattern());
    }

    @Test
    void shouldReadAnObjectWhileAnotherJvmChangesIt() throws Exception {
        int increments = 200_000;
        Segment s = segments.create(1 << 20);
        SharedLong.create(s, "total", 0);
        beans = SegmentMBeans.register(s);
        ObjectName total = SegmentMBeans.objectName(s.name(), "SharedLong", "total");
        MBeanAttributeInfo value = List.of(SERVER.getMBeanInfo(total).getAttributes()).stream()
                .filter(a -> a.getName().equals("value")).findFirst().orElseThrow();
        assertEquals(Long.class.getName(), value.getType());

        JvmProcess child = children.start(CounterChild.class, s.name(), String.valueOf(increments), "1");
        long[] last = {0};
        ChildJvms.awaitCondition("the MBean shows all " + increments + " increments", 120, () -> {
            long now;
            try {
                now = (Long) SERVER.getAttribute(total, "value");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            assertTrue(now >= last[0], "a counter read through JMX never goes back: " + last[0] + " then " + now);
            last[0] = now;
            return now == increments;
        });
        ChildJvms.awaitSuccess(child, 60);
        assertEquals(2, beans.refresh(), "the child's other objects: cells and ready");
        assertSameAsInspect(s, "total", total);
    }

    /** Every figure inspect shows for the object is an attribute of its MBean with the same value. */
    private void assertSameAsInspect(Segment s, String object, ObjectName name) throws Exception {
        Map<String, Object> inspected = segments.describe(s, object);
        for (Map.Entry<String, Object> e : inspected.entrySet()) {
            Object expected = e.getValue() instanceof List<?> ? e.getValue().toString() : e.getValue();
            assertEquals(expected, SERVER.getAttribute(name, e.getKey()), object + "." + e.getKey());
        }
        ObjectFigures figures = ObjectFigures.read(s, s.objects().stream().filter(o -> o.name().equals(object))
                .findFirst().orElseThrow());
        assertEquals(inspected, figures.figures());
    }
}
