package io.interproc.context.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;

import java.util.List;
import java.util.concurrent.ConcurrentMap;

import org.junit.jupiter.api.Test;

/** Contract of {@code Context.map} and {@code Context.list}. */
public abstract class CollectionContract extends ContextContract {

    @Test
    void mapOperationsAcrossHandles() {
        String name = unique("map");
        ConcurrentMap<String, Long> a = provided(() -> context().map(name, Codec.utf8(), Codec.longs()));
        ConcurrentMap<String, Long> b = context().map(name, Codec.utf8(), Codec.longs());
        assertNull(a.put("x", 1L));
        assertEquals(1L, b.get("x"));
        assertEquals(1L, b.putIfAbsent("x", 2L));
        assertNull(b.putIfAbsent("y", 3L));
        assertTrue(a.replace("y", 3L, 4L));
        assertFalse(a.replace("y", 3L, 5L));
        assertEquals(2, b.size());
        assertTrue(a.remove("x", 1L));
        assertFalse(b.containsKey("x"));
        assertEquals(4L, b.get("y"));
    }

    @Test
    void listOperationsAcrossHandles() {
        String name = unique("list");
        List<String> a = provided(() -> context().list(name, Codec.utf8()));
        List<String> b = context().list(name, Codec.utf8());
        // What every context's list does: append, get, set, remove the last (a local SharedList
        // refuses inserts and removals in the middle).
        assertTrue(a.add("one"));
        a.add("two");
        b.add("three");
        assertEquals(List.of("one", "two", "three"), List.copyOf(a));
        assertEquals("three", b.remove(2));
        assertEquals("one", b.set(0, "first"));
        assertEquals(2, a.size());
        assertEquals("first", a.get(0));
    }
}
