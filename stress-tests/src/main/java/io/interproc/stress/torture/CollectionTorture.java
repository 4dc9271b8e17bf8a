package io.interproc.stress.torture;

import io.interproc.collections.SharedList;
import io.interproc.collections.SharedMap;
import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.SharedLongArray;
import io.interproc.sync.SharedEvent;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The map and list part of the torture run. Map workers each own a range of keys and record every
 * write in an oracle (the version each key must hold: positive present, negative removed) after it
 * returns, with the write in flight in a "pending" pair before it starts; a restarted worker
 * settles its killed predecessor's pending write from what the map holds (either outcome is
 * right, anything else is a mismatch). Keys of all workers share stripes. List workers append
 * "worker:seq" with "attempted" before and "confirmed" after each append, as the queue producers
 * do. At the end the runner checks the map against the oracle and the list for lost, duplicated
 * and corrupted elements.
 */
final class CollectionTorture {
    static final int MAP_WORKERS = 2;
    static final int KEYS = 1000;
    static final int LIST_WORKERS = 2;
    /** Appends per list worker; it idles after that. */
    static final int LIST_MAX = 100_000;
    // counters
    static final int M_OPS = 0;
    static final int M_MISMATCH = 1;
    static final int L_APPENDS = 2;
    static final int L_CORRUPT = 3;
    static final int COUNTERS = 4;

    final SharedMap<Long, String> map;
    final SharedLongArray oracle;
    final SharedLongArray pending;
    final SharedList<String> list;
    final SharedLongArray listSeq;
    final SharedLongArray counters;

    private CollectionTorture(Segment segment, boolean create) {
        if (create) {
            map = SharedMap.create(segment, "map", Codec.longs(), Codec.utf8(), MAP_WORKERS * KEYS, 8, 64);
            oracle = SharedLongArray.create(segment, "mapOracle", MAP_WORKERS * KEYS);
            pending = SharedLongArray.create(segment, "mapPending", MAP_WORKERS * 2);
            list = SharedList.create(segment, "list", Codec.utf8(), LIST_WORKERS * LIST_MAX, 10);
            listSeq = SharedLongArray.create(segment, "listSeq", LIST_WORKERS * 2);
            counters = SharedLongArray.create(segment, "collectionCounters", COUNTERS);
            for (int i = 0; i < LIST_WORKERS * 2; i++) {
                listSeq.set(i, -1);
            }
        } else {
            map = SharedMap.open(segment, "map", Codec.longs(), Codec.utf8());
            oracle = SharedLongArray.open(segment, "mapOracle");
            pending = SharedLongArray.open(segment, "mapPending");
            list = SharedList.open(segment, "list", Codec.utf8());
            listSeq = SharedLongArray.open(segment, "listSeq");
            counters = SharedLongArray.open(segment, "collectionCounters");
        }
    }

    static CollectionTorture create(Segment segment) {
        return new CollectionTorture(segment, true);
    }

    static CollectionTorture open(Segment segment) {
        return new CollectionTorture(segment, false);
    }

    /** @return bytes the collections take in the torture segment */
    static long bytes() {
        return SharedMap.bytesNeeded(MAP_WORKERS * KEYS, 8, 64) + SharedList.bytesNeeded(LIST_WORKERS * LIST_MAX, 10)
                + (1 << 20);
    }

    static String valueFor(long key, long version) {
        return key + ":" + version + ":" + "p".repeat((int) (version % 50)) + ":" + key;
    }

    /** @return the version a stored value names for its key, or 0 for an absent value, MIN_VALUE if malformed */
    static long versionOf(long key, String value) {
        if (value == null) {
            return 0;
        }
        String[] parts = value.split(":", -1);
        if (parts.length != 4 || !parts[0].equals(Long.toString(key)) || !parts[3].equals(Long.toString(key))) {
            return Long.MIN_VALUE;
        }
        try {
            long v = Long.parseLong(parts[1]);
            return parts[2].length() == v % 50 ? v : Long.MIN_VALUE;
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    /** @return true if what the map holds for a key agrees with an oracle entry (positive present, else absent) */
    static boolean agrees(long stored, long expected) {
        return expected > 0 ? stored == expected : stored == 0;
    }

    // ---------------------------------------------------------------- workers

    void mapWorker(int index, SharedEvent stop) {
        int base = index * KEYS;
        long pk = pending.get(index * 2);
        long pv = pending.get(index * 2 + 1);
        if (pv != 0) { // the predecessor was killed inside a write: either outcome is right
            long stored = versionOf(pk, map.get(pk));
            if (agrees(stored, pv)) {
                oracle.set((int) pk, pv);
            } else if (!agrees(stored, oracle.get((int) pk))) {
                counters.incrementAndGet(M_MISMATCH);
            }
            pending.set(index * 2 + 1, 0);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!stop.isSet()) {
            long k = base + random.nextInt(KEYS);
            long current = oracle.get((int) k);
            if (random.nextInt(4) == 0 && !agrees(versionOf(k, map.get(k)), current)) {
                counters.incrementAndGet(M_MISMATCH);
            }
            long v = Math.abs(current) + 1;
            boolean remove = random.nextInt(4) == 0;
            long next = remove ? -v : v;
            pending.set(index * 2, k);
            pending.set(index * 2 + 1, next);
            if (remove) {
                map.remove(k);
            } else if (random.nextBoolean()) {
                map.put(k, valueFor(k, v));
            } else {
                map.compute(k, (key, old) -> valueFor(key, v));
            }
            oracle.set((int) k, next);
            pending.set(index * 2 + 1, 0);
            counters.incrementAndGet(M_OPS);
        }
    }

    void listWorker(int index, SharedEvent stop) throws InterruptedException {
        long seq = Math.max(listSeq.get(index * 2), listSeq.get(index * 2 + 1)) + 1;
        while (!stop.isSet()) {
            if (seq >= LIST_MAX) {
                Thread.sleep(50);
                continue;
            }
            listSeq.set(index * 2, seq);
            list.append(index + ":" + seq);
            listSeq.set(index * 2 + 1, seq);
            counters.incrementAndGet(L_APPENDS);
            seq++;
        }
    }

    // ---------------------------------------------------------------- runner side

    /** The runner killed a list worker: an append it had begun may or may not be in the list. */
    void listWorkerKilled(int index, List<Set<Long>> uncertain) {
        long attempted = listSeq.get(index * 2);
        if (attempted > listSeq.get(index * 2 + 1)) {
            uncertain.get(index).add(attempted);
        }
    }

    /**
     * Checks everything after the workers stopped.
     *
     * @return rows for the report; the keys starting with "**" must be 0
     */
    Map<String, Object> check(List<Set<Long>> uncertain) {
        long mismatches = counters.get(M_MISMATCH);
        int present = 0;
        for (int k = 0; k < MAP_WORKERS * KEYS; k++) {
            long expected = oracle.get(k);
            if (!agrees(versionOf(k, map.get((long) k)), expected)) {
                mismatches++;
            }
            if (expected > 0) {
                present++;
            }
        }
        if (map.size() != present) {
            mismatches++;
        }
        long corrupt = counters.get(L_CORRUPT);
        long duplicates = 0;
        List<Set<Long>> seen = List.of(new HashSet<>(), new HashSet<>());
        for (String e : list.snapshot()) {
            String[] parts = e.split(":");
            int w;
            long seq;
            try {
                w = Integer.parseInt(parts[0]);
                seq = Long.parseLong(parts[1]);
            } catch (RuntimeException bad) {
                corrupt++;
                continue;
            }
            if (parts.length != 2 || w < 0 || w >= LIST_WORKERS) {
                corrupt++;
            } else if (!seen.get(w).add(seq)) {
                duplicates++;
            }
        }
        long lost = 0;
        long excused = 0;
        for (int w = 0; w < LIST_WORKERS; w++) {
            long top = Math.max(listSeq.get(w * 2), listSeq.get(w * 2 + 1));
            for (long seq = 0; seq <= top; seq++) {
                if (!seen.get(w).contains(seq)) {
                    if (uncertain.get(w).contains(seq)) {
                        excused++;
                    } else {
                        lost++;
                    }
                }
            }
        }
        Map<String, Object> rows = new LinkedHashMap<>();
        rows.put("map writes / stripe recoveries / leaked bytes", counters.get(M_OPS) + " / " + map.recoveries()
                + " / " + map.leakedBytes());
        rows.put("list appends verified (appends cut short by a kill, not in the list)", list.size() + " ("
                + excused + ")");
        rows.put("**map entries disagreeing with the oracle**", mismatches);
        rows.put("**list elements lost**", lost);
        rows.put("**list elements duplicated or corrupted**", duplicates + corrupt);
        return rows;
    }
}
