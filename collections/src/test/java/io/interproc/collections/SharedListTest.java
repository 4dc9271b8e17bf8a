package io.interproc.collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.testing.TempSegments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SharedListTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    @Test
    void shouldAppendGetSetAndRemoveTheLast() {
        Segment s = segments.create(1 << 20);
        SharedList<String> list = SharedList.create(s, "list", Codec.utf8(), 100, 8);
        assertTrue(list.isEmpty());
        assertEquals(0, list.append("a"));
        assertEquals(1, list.append("b"));
        assertTrue(list.add("c"));
        list.add(3, "d");
        assertEquals(List.of("a", "b", "c", "d"), list);
        assertEquals("b", list.get(1));
        assertEquals("b", list.set(1, "B"));
        assertEquals("B", list.get(1L));
        assertEquals("d", list.removeLast());
        assertEquals("c", list.remove(2));
        assertEquals(List.of("a", "B"), list.snapshot());
        assertEquals(2, list.longSize());
        List<String> iterated = new ArrayList<>();
        list.forEach(iterated::add);
        assertEquals(List.of("a", "B"), iterated);
        assertTrue(list.contains("B"));
        assertEquals(1, list.indexOf("B"));
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(2));
        assertThrows(IndexOutOfBoundsException.class, () -> list.set(5, "x"));
        assertThrows(UnsupportedOperationException.class, () -> list.add(0, "x"));
        assertThrows(UnsupportedOperationException.class, () -> list.remove(0));
        assertThrows(UnsupportedOperationException.class, () -> list.iterator().remove());
        assertThrows(NullPointerException.class, () -> list.append(null));
        assertEquals(List.of("a", "B"), SharedList.open(s, "list", Codec.utf8()));
        list.clear();
        assertTrue(list.isEmpty());
        assertThrows(NoSuchElementException.class, list::removeLast);
        assertFalse(list.iterator().hasNext());
        list.append("again");
        assertEquals(List.of("again"), list);
    }

    @Test
    void shouldAppendExactlyFromManyThreads() throws Exception {
        Segment s = segments.create(4 << 20);
        SharedList<Long> list = SharedList.create(s, "list", Codec.longs(), 8000, 8);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            long base = t * 1_000_000L;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    list.append(base + i);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        List<Long> all = list.snapshot();
        assertEquals(8000, all.size());
        assertEquals(8000, new java.util.HashSet<>(all).size());
    }

    @Test
    void shouldBeDescribedByTheInspector() {
        Segment s = segments.create(1 << 20);
        SharedList<String> list = SharedList.create(s, "list", Codec.utf8(), 100, 8);
        list.append("a");
        list.append("b");
        Map<String, Object> d = segments.describe(s, "list");
        assertEquals(2L, d.get("size"));
        assertEquals(2L, d.get("entries"));
        assertEquals(0, d.get("stripesHeld"));
    }
}
