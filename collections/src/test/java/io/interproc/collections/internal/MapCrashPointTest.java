package io.interproc.collections.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.interproc.collections.SharedMap;
import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.SegmentFullException;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.process.JvmProcess;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A writer killed with SIGKILL at each step of the write protocol ({@link CrashPoints}): the key
 * it wrote holds its old or its new value, whole; every other entry is intact; the stripe is
 * recovered; and once every entry is removed all space is free again except what
 * {@code leakedBytes()} counts (at most one block, and only for a kill right after claiming fresh
 * heap).
 */
class MapCrashPointTest {
    private static final String OLD = "old-value-" + "o".repeat(30);
    private static final String NEW = "new-value-" + "n".repeat(30);

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    @ParameterizedTest(name = "{0} killed at {1}")
    @CsvSource({
        "insert, bump-logged", "insert, bump-claimed", "insert, bump-stamped", "insert, written",
        "insert, publish-logged", "insert, window-open", "insert, linked", "insert, window-closed",
        "replace, written", "replace, window-open", "replace, linked", "replace, free-next-set", "replace, freed",
        "replace, window-closed",
        "reuse, pop-logged", "reuse, popped", "reuse, written", "reuse, linked",
        "remove, publish-logged", "remove, window-open", "remove, linked", "remove, free-next-set", "remove, freed",
        "clear, clear-logged", "clear, clear-detached", "clear, freeing-logged", "clear, free-next-set",
        "clear, chain-block-freed",
        "steal, steal-logged", "steal, steal-owned", "steal, window-closed",
        "counter, in-place-window-open", "counter, in-place-written"})
    void shouldStayConsistentWhenAWriterIsKilledAt(String op, String point) throws Exception {
        Segment s = segments.create(1 << 20);
        SharedMap<Long, String> m = SharedMap.create(s, "m", Codec.longs(), Codec.utf8(), 64, 8, 40);
        MapStore store = MapStore.over(s.openObject("m", CollectionKinds.MAP));
        Map<Long, String> expected = new HashMap<>();
        for (long k = 0; k < 40; k++) {
            m.put(k, OLD);
            expected.put(k, OLD);
        }
        long target;
        String[] childArgs;
        switch (op) {
            case "insert" -> {
                target = 1000;
                childArgs = new String[] {"put", "1000", NEW};
            }
            case "replace" -> {
                target = 7;
                childArgs = new String[] {"put", "7", NEW};
            }
            case "reuse" -> {
                target = 1000;
                m.put(1000L, OLD);
                m.remove(1000L); // its block waits on the stripe's free list
                childArgs = new String[] {"put", "1000", NEW};
            }
            case "remove" -> {
                target = 7;
                childArgs = new String[] {"remove", "7"};
            }
            case "clear" -> {
                target = -1;
                childArgs = new String[] {"clear"};
            }
            case "counter" -> { // an 8-byte value replaced by an 8-byte value: written in place
                target = 3;
                m.put(3L, "8bytes!!");
                expected.put(3L, "8bytes!!");
                childArgs = new String[] {"put", "3", "NEWBYTES"};
            }
            default -> { // steal: fill the heap, free blocks in other stripes only, insert into an empty stripe
                target = fillThenFreeElsewhere(m, store, expected);
                childArgs = new String[] {"put", Long.toString(target), NEW};
            }
        }
        String[] args = new String[childArgs.length + 1];
        args[0] = s.name();
        System.arraycopy(childArgs, 0, args, 1, childArgs.length);
        JvmProcess writer = children.start(JvmProcess.builder(CrashWriterMain.class)
                .systemProperty("interproc.collections.crashAt", point).args(args).captureOutput());
        ChildJvms.awaitCondition("the writer froze at " + point, 60,
                () -> writer.output().contains("FROZEN") || !writer.isAlive());
        if (!writer.output().contains("FROZEN " + point)) {
            fail(op + " never reached " + point + ": " + writer.output() + writer.errorOutput());
        }
        writer.kill();
        assertTrue(writer.join(30, TimeUnit.SECONDS));

        // The key written: old or new, whole. Every other entry: as it was.
        Map<Long, String> seen = m.snapshot(); // lock-free, or takes the stripe over
        if (op.equals("clear")) {
            for (Map.Entry<Long, String> e : seen.entrySet()) {
                assertEquals(OLD, e.getValue(), "key " + e.getKey());
            }
            expected = seen;
        } else {
            String value = m.get(target);
            String before = expected.get(target);
            String after = op.equals("remove") ? null : op.equals("counter") ? "NEWBYTES" : NEW;
            assertTrue(java.util.Objects.equals(value, before) || java.util.Objects.equals(value, after),
                    "key " + target + " holds " + value);
            if (value == null) {
                expected.remove(target);
            } else {
                expected.put(target, value);
            }
            assertEquals(expected, seen);
        }
        // Every stripe repaired (a write in each), then every entry removed: all space back.
        touchEveryStripe(m, store);
        assertEquals(expected, m.snapshot());
        assertEquals(expected.size(), m.size());
        assertTrue(m.recoveries() >= 1, "the dead writer's stripe was taken over: " + m.recoveries());
        for (Long k : expected.keySet()) {
            m.remove(k);
        }
        assertEquals(0, m.size());
        assertEquals(m.leakedBytes(), m.usedBytes(), "all space is free again but what leakedBytes counts");
        assertTrue(m.leakedBytes() <= 128, "at most one block is counted lost: " + m.leakedBytes());
        if (!point.equals("bump-claimed")) {
            assertEquals(0, m.leakedBytes());
        }
        assertEquals(0, store.stripesHeld());
    }

    /** @return a key of stripe {@code stripe} at or after {@code from} */
    private static long keyOfStripe(MapStore store, int stripe, long from) {
        for (long k = from; ; k++) {
            if ((MapStore.hash(Codec.longs().encode(k)) & (store.stripes() - 1)) == stripe) {
                return k;
            }
        }
    }

    private static void touchEveryStripe(SharedMap<Long, String> m, MapStore store) {
        for (int stripe = 0; stripe < store.stripes(); stripe++) {
            long probe = keyOfStripe(store, stripe, 1_000_000);
            m.put(probe, "probe");
            m.remove(probe);
        }
    }

    /** Fills the heap, then frees entries of stripes other than the target key's; returns the target. */
    private static long fillThenFreeElsewhere(SharedMap<Long, String> m, MapStore store, Map<Long, String> expected) {
        long target = keyOfStripe(store, 0, 5_000_000);
        long k = 100;
        try {
            while (true) {
                m.put(k, OLD);
                expected.put(k, OLD);
                k++;
            }
        } catch (SegmentFullException full) {
            // the heap is used up
        }
        // Empty stripe 0's free lists by filling them back with entries of stripe 0.
        long filler = 10_000_000;
        try {
            while (true) {
                filler = keyOfStripe(store, 0, filler + 1);
                m.put(filler, OLD);
                expected.put(filler, OLD);
            }
        } catch (SegmentFullException full) {
            // stripe 0 has nothing left either
        }
        int freed = 0;
        for (Long key : new java.util.ArrayList<>(expected.keySet())) {
            if ((MapStore.hash(Codec.longs().encode(key)) & (store.stripes() - 1)) != 0 && freed < 3) {
                m.remove(key);
                expected.remove(key);
                freed++;
            }
        }
        return target;
    }
}
