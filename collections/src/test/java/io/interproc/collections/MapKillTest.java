package io.interproc.collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.process.JvmProcess;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Writers killed with SIGKILL: the map stays consistent and the stripes they held are recovered. */
class MapKillTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    @Test
    void shouldRecoverAStripeWhoseHolderWasKilledInsideCompute() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedMap<String, Long> m = SharedMap.create(s, "m", Codec.utf8(), Codec.longs(), 64, 8, 8);
        m.put("k", 41L);
        SharedLong held = SharedLong.create(s, "held");
        JvmProcess holder = children.start(MapWorkerMain.class, s.name(), "hold", "k");
        ChildJvms.awaitCondition("the child holds the entry", 60, () -> held.get() != 0 || !holder.isAlive());
        assertTrue(holder.isAlive(), holder::errorOutput);
        assertEquals(41L, m.get("k"), "readers are not blocked by a function that runs");
        assertEquals(1, (Integer) segments.describe(s, "m").get("stripesHeld"));
        holder.kill();
        assertTrue(holder.join(30, TimeUnit.SECONDS));
        assertEquals(41L, m.put("k", 42L), "the dead process's function changed nothing");
        assertEquals(42L, m.get("k"));
        assertEquals(1, m.recoveries());
        Map<String, Object> d = segments.describe(s, "m");
        assertEquals(0, d.get("stripesHeld"));
        assertEquals(1L, d.get("recoveries"));
    }

    @Test
    void shouldNeitherLoseNorDuplicateAppendsOfAKilledAppender() throws Exception {
        Segment s = segments.create(8 << 20);
        SharedList<String> list = SharedList.create(s, "list", Codec.utf8(), 100_000, 16);
        SharedLong confirmed = SharedLong.create(s, "confirmed");
        JvmProcess appender = children.start(MapWorkerMain.class, s.name(), "append-forever");
        ChildJvms.awaitCondition("the child appended", 60, () -> confirmed.get() >= 5_000 || !appender.isAlive());
        assertTrue(appender.isAlive(), appender::errorOutput);
        appender.kill();
        assertTrue(appender.join(30, TimeUnit.SECONDS));
        long done = confirmed.get();
        list.append("parent"); // takes the list lock over if the child died holding it
        java.util.List<String> all = list.snapshot();
        assertEquals("parent", all.get(all.size() - 1));
        long childElements = all.size() - 1;
        assertTrue(childElements == done || childElements == done + 1,
                "every append that returned is there, plus at most the one cut short: " + childElements + " vs " + done);
        for (int i = 0; i < childElements; i++) {
            assertEquals("child:" + i, all.get(i), "in order, once each");
        }
    }

    @Test
    void shouldStayConsistentWhenWritersAreKilledMidStream() throws Exception {
        Segment s = segments.create(8 << 20);
        SharedMap<Long, String> m = SharedMap.create(s, "m", Codec.longs(), Codec.utf8(), 3000, 8, 60);
        for (long k = 0; k < 1000; k++) {
            m.put(k, MapWorkerMain.valueFor(k, (int) k));
        }
        long usedByStable = m.usedBytes();
        SharedLong progress = SharedLong.create(s, "progress");
        for (int round = 0; round < 3; round++) {
            JvmProcess a = children.start(MapWorkerMain.class, s.name(), "churn", String.valueOf(round * 2));
            JvmProcess b = children.start(MapWorkerMain.class, s.name(), "churn", String.valueOf(round * 2 + 1));
            long target = progress.get() + 20_000 + round * 3_000;
            ChildJvms.awaitCondition("the writers made progress", 120,
                    () -> progress.get() >= target || !a.isAlive() || !b.isAlive());
            assertTrue(a.isAlive() && b.isAlive(), () -> a.errorOutput() + b.errorOutput());
            a.kill();
            // This JVM writes meanwhile, and meets the dead writer's stripe if it held one.
            for (long k = 1000; k < 1100; k++) {
                m.put(k, MapWorkerMain.valueFor(k, round));
            }
            b.kill();
            assertTrue(a.join(30, TimeUnit.SECONDS) && b.join(30, TimeUnit.SECONDS));
            // Every entry is whole and where it belongs; the ones nobody changed are all there.
            Map<Long, String> seen = m.snapshot();
            for (Map.Entry<Long, String> e : seen.entrySet()) {
                assertTrue(MapWorkerMain.isValueFor(e.getKey(), e.getValue()), e.toString());
            }
            for (long k = 0; k < 1000; k++) {
                assertEquals(MapWorkerMain.valueFor(k, (int) k), m.get(k), "key " + k);
            }
            assertEquals(seen.size(), m.size());
        }
        // Writes to every key meet and repair any stripe a dead writer held; then all churned space
        // comes back.
        for (long k = 1000; k < 2000; k++) {
            m.put(k, "x");
            m.remove(k);
        }
        assertEquals(1000, m.size());
        assertEquals(usedByStable + m.leakedBytes(), m.usedBytes(), "every block of the dead writers is free "
                + "again except what leakedBytes counts");
        assertEquals(0, (Integer) segments.describe(s, "m").get("stripesHeld"));
    }
}
