package io.interproc.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.jmx.SegmentMBeans;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.metrics.children.PutChild;
import io.interproc.process.JvmProcess;

import java.lang.management.ManagementFactory;
import java.util.Map;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A queue's MBean, read while another JVM puts into the queue, shows inspect's numbers. */
class QueueMBeanTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    @Test
    void shouldFollowAQueueAnotherJvmFills() throws Exception {
        int count = 2_000;
        Segment s = segments.create(1 << 20);
        SharedQueue<String> q = SharedQueue.create(s, "jobs", 1 << 16, Codec.utf8());
        try (SegmentMBeans beans = SegmentMBeans.register(s)) {
            ObjectName jobs = new ObjectName("io.interproc:type=SharedQueue,segment=" + s.name() + ",name=jobs");
            assertTrue(beans.names().contains(jobs));
            JvmProcess child = children.start(PutChild.class, s.name(), "jobs", String.valueOf(count));
            long[] taken = {0};
            long[] lastPut = {0};
            ChildJvms.awaitCondition("the MBean counts " + count + " messages put", 120, () -> {
                while (q.poll() != null) {
                    taken[0]++;
                }
                long put = (Long) attribute(jobs, "messagesPut");
                assertTrue(put >= lastPut[0], "messagesPut never goes back: " + lastPut[0] + " then " + put);
                lastPut[0] = put;
                return put == count;
            });
            ChildJvms.awaitSuccess(child, 60);
            Map<String, Object> inspected = segments.describe(s, "jobs");
            for (Map.Entry<String, Object> e : inspected.entrySet()) {
                assertEquals(e.getValue(), attribute(jobs, e.getKey()), "jobs." + e.getKey());
            }
            assertEquals(taken[0], (Long) attribute(jobs, "messagesTaken"));
            assertEquals((long) count - taken[0], ((Number) attribute(jobs, "messages")).longValue());
        }
        assertFalse(SERVER.isRegistered(SegmentMBeans.segmentName(s.name())), "closed registration unregisters");
    }

    private static Object attribute(ObjectName name, String attribute) {
        try {
            return SERVER.getAttribute(name, attribute);
        } catch (Exception e) {
            throw new AssertionError(name + " " + attribute, e);
        }
    }
}
