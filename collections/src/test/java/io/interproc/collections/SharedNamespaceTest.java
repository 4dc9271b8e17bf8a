package io.interproc.collections;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.testing.TempSegments;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SharedNamespaceTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    @Test
    void shouldHoldTypedAttributes() {
        Segment s = segments.create(1 << 20);
        SharedNamespace ns = SharedNamespace.create(s, "ns", 16, 16);
        ns.set("count", 3L);
        ns.set("ratio", 0.5);
        ns.set("label", "run-7");
        ns.set("raw", new byte[] {1, 2});
        Codec<java.util.ArrayList<String>> lists = Codec.serializable("java.util.*", "java.lang.*", "java.base/*");
        ns.set("list", new java.util.ArrayList<>(List.of("a")), lists);
        assertEquals(3L, ns.getLong("count"));
        assertEquals(0.5, ns.getDouble("ratio"));
        assertEquals("run-7", ns.getString("label"));
        assertArrayEquals(new byte[] {1, 2}, ns.getBytes("raw"));
        assertEquals(List.of("a"), ns.get("list", lists));
        assertEquals(Set.of("count", "ratio", "label", "raw", "list"), ns.names());
        ClassCastException e = assertThrows(ClassCastException.class, () -> ns.getLong("label"));
        assertTrue(e.getMessage().contains("holds a String, not a long"), e.getMessage());
        assertThrows(NoSuchElementException.class, () -> ns.getLong("missing"));
        assertTrue(ns.remove("raw"));
        assertFalse(ns.contains("raw"));
        assertEquals(3L, ns.snapshot().get("count"));
        assertEquals("run-7", SharedNamespace.open(s, "ns").getString("label"));
    }

    @Test
    void shouldUpdateAtomically() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedNamespace ns = SharedNamespace.create(s, "ns", 16, 16);
        assertFalse(ns.compareAndSet("n", 0L, 1L), "unset");
        ns.set("n", 0L);
        assertTrue(ns.compareAndSet("n", 0L, 5L));
        assertFalse(ns.compareAndSet("n", 0L, 6L));
        assertEquals(5L, ns.getLong("n"));
        ns.set("d", 1.0);
        assertTrue(ns.compareAndSet("d", 1.0, 2.0));
        assertEquals(2.0, ns.getAndAdd("d", 0.5));
        assertEquals(2.5, ns.getDouble("d"));
        ns.set("state", "idle");
        assertTrue(ns.compareAndSet("state", "idle", "busy"));
        assertFalse(ns.compareAndSet("state", "idle", "busy"));
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 5000; i++) {
                    ns.getAndAdd("total", 1L);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(20_000L, ns.getLong("total"));
        assertEquals(20_003L, ns.addAndGet("total", 3L));
    }
}
