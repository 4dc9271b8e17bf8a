package io.interproc.collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.process.JvmProcess;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several JVMs update one map and one list at once: totals are exact. */
class MapMultiProcessTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    @Test
    void shouldCountExactlyWhenSeveralJvmsMergeAndComputeOnSharedKeys() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedMap<String, Long> m = SharedMap.create(s, "m", Codec.utf8(), Codec.longs(), 64, 8, 8);
        int jvms = 3;
        int iterations = 20_000;
        int keys = 16;
        List<JvmProcess> workers = new ArrayList<>();
        for (int i = 0; i < jvms; i++) {
            workers.add(children.start(MapWorkerMain.class, s.name(), "merge", String.valueOf(iterations),
                    String.valueOf(keys)));
        }
        // This JVM merges too, while they run.
        for (int i = 0; i < iterations; i++) {
            m.merge("k" + (i % keys), 1L, Long::sum);
        }
        for (JvmProcess w : workers) {
            ChildJvms.awaitSuccess(w, 120);
        }
        long total = 0;
        for (int k = 0; k < keys; k++) {
            long v = m.get("k" + k);
            assertEquals((long) (jvms + 1) * iterations / keys, v, "key k" + k);
            total += v;
        }
        assertEquals((long) (jvms + 1) * iterations, total);
        assertEquals(keys, m.size());
        assertEquals(0, m.recoveries());
    }

    @Test
    void shouldNeverLoseOrDuplicateAppendsFromSeveralJvms() throws Exception {
        Segment s = segments.create(8 << 20);
        int jvms = 3;
        int count = 3_000;
        SharedList<String> list = SharedList.create(s, "list", Codec.utf8(), (jvms + 1) * count, 16);
        List<JvmProcess> workers = new ArrayList<>();
        for (int i = 0; i < jvms; i++) {
            workers.add(children.start(MapWorkerMain.class, s.name(), "append", String.valueOf(count)));
        }
        for (int i = 0; i < count; i++) {
            list.append("parent:" + i);
        }
        for (JvmProcess w : workers) {
            ChildJvms.awaitSuccess(w, 120);
        }
        List<String> all = list.snapshot();
        assertEquals((jvms + 1) * count, all.size());
        Set<String> distinct = new HashSet<>(all);
        assertEquals(all.size(), distinct.size(), "no element twice");
        Map<String, Integer> next = new HashMap<>();
        for (String e : all) {
            String who = e.substring(0, e.indexOf(':'));
            int i = Integer.parseInt(e.substring(e.indexOf(':') + 1));
            assertEquals(next.getOrDefault(who, 0), i, "each appender's elements in its order: " + e);
            next.put(who, i + 1);
        }
        assertEquals(jvms + 1, next.size());
        assertTrue(next.values().stream().allMatch(n -> n == count));
    }
}
