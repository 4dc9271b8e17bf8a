package io.interproc.collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.collections.internal.MapDescriptor;
import io.interproc.core.Codec;
import io.interproc.core.CorruptSegmentException;
import io.interproc.core.KindMismatchException;
import io.interproc.core.Segment;
import io.interproc.core.SegmentFullException;
import io.interproc.core.SharedLong;
import io.interproc.core.spi.ObjectKind;
import io.interproc.core.testing.TempSegments;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SharedMapTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    private SharedMap<String, Long> newMap(Segment s, int entries) {
        return SharedMap.create(s, "m", Codec.utf8(), Codec.longs(), entries, 8, 8);
    }

    @Test
    void shouldBehaveAsAConcurrentMap() {
        Segment s = segments.create(1 << 20);
        SharedMap<String, Long> m = newMap(s, 100);
        assertNull(m.put("a", 1L));
        assertEquals(1L, m.put("a", 2L));
        assertEquals(2L, m.get("a"));
        assertNull(m.get("b"));
        assertTrue(m.containsKey("a"));
        assertFalse(m.containsKey("b"));
        assertEquals(2L, m.putIfAbsent("a", 9L));
        assertNull(m.putIfAbsent("b", 3L));
        assertFalse(m.replace("a", 1L, 5L));
        assertTrue(m.replace("a", 2L, 5L));
        assertEquals(5L, m.replace("a", 6L));
        assertNull(m.replace("zz", 6L));
        assertFalse(m.containsKey("zz"));
        assertFalse(m.remove("a", 5L));
        assertTrue(m.remove("a", 6L));
        assertEquals(3L, m.remove("b"));
        assertNull(m.remove("b"));
        assertTrue(m.isEmpty());
        assertEquals(7L, m.compute("c", (k, v) -> v == null ? 7L : v + 1));
        assertEquals(8L, m.compute("c", (k, v) -> v == null ? 7L : v + 1));
        assertNull(m.compute("c", (k, v) -> null));
        assertFalse(m.containsKey("c"));
        assertEquals(4L, m.computeIfAbsent("d", k -> 4L));
        assertEquals(4L, m.computeIfAbsent("d", k -> 99L));
        assertNull(m.computeIfAbsent("e", k -> null));
        assertEquals(5L, m.computeIfPresent("d", (k, v) -> v + 1));
        assertNull(m.computeIfPresent("e", (k, v) -> 1L));
        assertEquals(1L, m.merge("f", 1L, Long::sum));
        assertEquals(3L, m.merge("f", 2L, Long::sum));
        assertNull(m.merge("f", 0L, (a, b) -> null));
        assertEquals(Map.of("d", 5L), m.snapshot());
        assertEquals(Map.of("d", 5L), new HashMap<>(m));
        assertEquals(new HashMap<>(Map.of("d", 5L)), m);
        assertThrows(NullPointerException.class, () -> m.put(null, 1L));
        assertThrows(NullPointerException.class, () -> m.put("x", null));
        assertThrows(NullPointerException.class, () -> m.get(null));
    }

    @Test
    void shouldUpdateEightByteValuesInPlace() {
        Segment s = segments.create(1 << 20);
        SharedMap<Long, Long> m = SharedMap.create(s, "m", Codec.longs(), Codec.longs(), 16, 8, 8);
        m.put(1L, 0L);
        long used = m.usedBytes();
        for (long i = 1; i <= 1000; i++) {
            assertEquals(i, m.merge(1L, 1L, Long::sum));
        }
        assertEquals(1000L, m.get(1L));
        assertEquals(used, m.usedBytes(), "no block allocated for an 8-byte value replaced in place");
        m.put(1L, 5L);
        assertEquals(5L, m.get(1L));
    }

    @Test
    void shouldLeaveTheEntryUnchangedWhenAFunctionThrows() {
        Segment s = segments.create(1 << 20);
        SharedMap<String, Long> m = newMap(s, 10);
        m.put("k", 1L);
        assertThrows(IllegalStateException.class, () -> m.compute("k", (k, v) -> {
            throw new IllegalStateException("boom");
        }));
        assertEquals(1L, m.get("k"));
        m.put("k", 2L); // the stripe is free again
        assertEquals(2L, m.get("k"));
    }

    @Test
    void shouldMatchAHashMapUnderRandomOperations() {
        Segment s = segments.create(4 << 20);
        SharedMap<String, String> m = SharedMap.create(s, "m", Codec.utf8(), Codec.utf8(), 500, 8, 50);
        Map<String, String> oracle = new HashMap<>();
        Random r = new Random(42);
        for (int i = 0; i < 50_000; i++) {
            String k = "k" + r.nextInt(400);
            String v = "v".repeat(r.nextInt(80)) + i;
            switch (r.nextInt(7)) {
                case 0 -> assertEquals(oracle.put(k, v), m.put(k, v));
                case 1 -> assertEquals(oracle.remove(k), m.remove(k));
                case 2 -> assertEquals(oracle.putIfAbsent(k, v), m.putIfAbsent(k, v));
                case 3 -> assertEquals(oracle.merge(k, v, (a, b) -> a.length() > 60 ? null : a + "+"),
                        m.merge(k, v, (a, b) -> a.length() > 60 ? null : a + "+"));
                case 4 -> assertEquals(oracle.replace(k, v), m.replace(k, v));
                case 5 -> assertEquals(oracle.get(k), m.get(k));
                default -> assertEquals(oracle.computeIfPresent(k, (a, b) -> b.length() % 2 == 0 ? null : b + "!"),
                        m.computeIfPresent(k, (a, b) -> b.length() % 2 == 0 ? null : b + "!"));
            }
            if (i % 5000 == 0) {
                assertEquals(oracle.size(), m.size());
                assertEquals(oracle, m.snapshot());
            }
        }
        assertEquals(oracle, m.snapshot());
        m.clear();
        assertTrue(m.isEmpty());
        assertEquals(0, m.snapshot().size());
    }

    @Test
    void shouldReuseSpaceSoThatSteadyChurnNeverRunsOut() {
        Segment s = segments.create(1 << 20);
        SharedMap<Long, byte[]> m = SharedMap.create(s, "m", Codec.longs(), Codec.bytes(), 64, 8, 100);
        long free = m.freeBytes();
        Random r = new Random(1);
        for (int i = 0; i < 200_000; i++) {
            long k = r.nextInt(64);
            if (r.nextBoolean()) {
                m.put(k, new byte[r.nextInt(100)]);
            } else {
                m.remove(k);
            }
        }
        m.clear();
        assertEquals(0, m.size());
        assertEquals(free, m.freeBytes(), "every block is free again");
        assertEquals(0, m.usedBytes());
    }

    @Test
    void shouldNeverRunOutWhenEveryEntryGrowsUpToTheAverageAndShrinksAgain() {
        Segment s = segments.create(1 << 20);
        SharedMap<Long, byte[]> m = SharedMap.create(s, "m", Codec.longs(), Codec.bytes(), 500, 8, 64);
        for (int round = 0; round < 200; round++) {
            for (long k = 0; k < 500; k++) {
                m.put(k, new byte[round % 65]); // all keys small together, then all at the average
            }
        }
        assertEquals(500, m.size());
    }

    @Test
    void shouldRefuseAWriteThatDoesNotFitNamingAskedAndFree() {
        Segment s = segments.create(1 << 20);
        SharedMap<Long, byte[]> m = SharedMap.create(s, "m", Codec.longs(), Codec.bytes(), 4, 8, 8);
        SegmentFullException e = assertThrows(SegmentFullException.class, () -> m.put(1L, new byte[100_000]));
        assertTrue(e.getMessage().contains("asked 100032 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("free"), e.getMessage());
        assertFalse(m.containsKey(1L), "nothing changed");
        int n = 0;
        try {
            while (true) {
                m.put((long) n, new byte[8]);
                n++;
            }
        } catch (SegmentFullException full) {
            assertTrue(full.getMessage().contains("asked 40 bytes"), full.getMessage());
        }
        assertTrue(n >= 4, "at least the capacity fits: " + n);
        assertEquals(n, m.size());
        m.remove(0L);
        m.put(100L, new byte[8]); // the freed block is reused
        assertEquals(n, m.size());
    }

    @Test
    void shouldIterateWeaklyConsistentlyWhileOthersWrite() throws Exception {
        Segment s = segments.create(4 << 20);
        SharedMap<Long, Long> m = SharedMap.create(s, "m", Codec.longs(), Codec.longs(), 2000, 8, 8);
        for (long i = 0; i < 1000; i++) {
            m.put(i, i);
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                Random r = new Random(3);
                for (int i = 0; i < 100_000; i++) {
                    long k = 1000 + r.nextInt(1000);
                    if (r.nextBoolean()) {
                        m.put(k, k);
                    } else {
                        m.remove(k);
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        writer.start();
        while (writer.isAlive()) {
            int stable = 0;
            for (Map.Entry<Long, Long> e : m.entrySet()) {
                assertEquals(e.getKey(), e.getValue());
                if (e.getKey() < 1000) {
                    stable++;
                }
            }
            assertEquals(1000, stable, "every entry nobody changes is seen exactly once");
        }
        writer.join();
        assertNull(failure.get());
        Iterator<Long> keys = m.keySet().iterator();
        while (keys.hasNext()) {
            if (keys.next() >= 1000) {
                keys.remove();
            }
        }
        assertEquals(1000, m.size());
        for (Map.Entry<Long, Long> e : m.entrySet()) {
            e.setValue(e.getValue() * 2);
        }
        assertEquals(20L, m.get(10L));
        assertTrue(m.values().contains(1998L));
    }

    @Test
    void shouldAddExactlyFromManyThreads() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedMap<String, Long> m = newMap(s, 64);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    m.merge("k" + (i % 10), 1L, Long::sum);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        for (int k = 0; k < 10; k++) {
            assertEquals(8_000L, m.get("k" + k));
        }
    }

    @Test
    void shouldBeOpenedByNameAndRefuseAnotherKind() {
        Segment s = segments.create(1 << 20);
        SharedMap<String, Long> m = newMap(s, 10);
        m.put("x", 1L);
        SharedMap<String, Long> again = SharedMap.open(s, "m", Codec.utf8(), Codec.longs());
        assertEquals(1L, again.get("x"));
        SharedLong.create(s, "counter");
        assertThrows(KindMismatchException.class, () -> SharedMap.open(s, "counter", Codec.utf8(), Codec.longs()));
        assertEquals(1L, SharedMap.openOrCreate(s, "m", Codec.utf8(), Codec.longs(), 10, 8, 8).get("x"));
    }

    @Test
    void shouldReportCorruptBytesInsteadOfLooping() {
        Segment s = segments.create(1 << 20);
        SharedMap<Long, Long> m = SharedMap.create(s, "m", Codec.longs(), Codec.longs(), 16, 8, 8);
        for (long i = 0; i < 16; i++) {
            m.put(i, i);
        }
        int base = s.objects().stream().filter(o -> o.name().equals("m")).findFirst().orElseThrow().offset();
        var b = s.buffer();
        int stripes = b.getInt(base + MapDescriptor.STRIPES_OFFSET);
        int buckets = b.getInt(base + MapDescriptor.BUCKETS_OFFSET);
        int heads = base + MapDescriptor.bucketsStart(stripes);
        // Make every chain a loop onto itself: entry.next = entry.
        for (int i = 0; i < buckets; i++) {
            int e = b.getInt(heads + 4 * i);
            if (e != 0) {
                b.setInt(base + e + MapDescriptor.BLOCK_NEXT, e);
            }
        }
        assertThrows(CorruptSegmentException.class, () -> {
            for (long i = 0; i < 16; i++) {
                m.get(i + 1000);
            }
        });
        // And a head pointing outside the heap.
        for (int i = 0; i < buckets; i++) {
            b.setInt(heads + 4 * i, Integer.MAX_VALUE - 3);
        }
        assertThrows(CorruptSegmentException.class, () -> m.get(1L));
        assertThrows(CorruptSegmentException.class, () -> m.put(1L, 1L));
        assertThrows(CorruptSegmentException.class, m::snapshot);
        assertThrows(CorruptSegmentException.class, m::clear);
    }

    @Test
    void shouldBeDescribedByTheInspector() {
        Segment s = segments.create(1 << 20);
        SharedMap<String, Long> m = newMap(s, 100);
        m.put("a", 1L);
        m.put("b", 2L);
        Map<String, Object> d = segments.describe(s, "m");
        assertEquals(2L, d.get("entries"));
        assertEquals(100, d.get("capacity"));
        assertEquals(m.usedBytes(), d.get("bytesUsed"));
        assertEquals(m.freeBytes(), d.get("bytesFree"));
        assertEquals(0, d.get("stripesHeld"));
        assertEquals(0L, d.get("recoveries"));
        assertEquals(ObjectKind.ofCode(64).typeName(), "SharedMap");
    }
}
