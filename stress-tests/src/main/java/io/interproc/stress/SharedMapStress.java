package io.interproc.stress;

import io.interproc.collections.SharedMap;
import io.interproc.core.Codec;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The entry publish/read protocol of {@link SharedMap} across two mappings of one segment (two
 * processes): a reader never sees a torn key or value; put and remove of one key are atomic;
 * reuse of a removed entry's block never shows through to a reader; an 8-byte value replaced in
 * place is never torn. Each state gets a small
 * one-stripe map from a {@link RecycledObjects} pool, cleared by the state's constructor.
 */
public final class SharedMapStress {
    /** 40 bytes: every value of these tests has the same size, so a freed block is reused at once. */
    static final String OLD = "o".repeat(40);
    static final String NEW = "n".repeat(40);
    static final String OTHER = "t".repeat(40);

    private SharedMapStress() {
    }

    /** One pooled map, seen through attachment A and through attachment B. */
    static final class Maps {
        final SharedMap<String, String> a;
        final SharedMap<String, String> b;

        Maps(TwoMappings m, String name) {
            this.a = SharedMap.openOrCreate(m.a, name, Codec.utf8(), Codec.utf8(), 4, 2, 40);
            this.b = SharedMap.open(m.b, name, Codec.utf8(), Codec.utf8());
        }
    }

    static RecycledObjects<Maps> maps(TwoMappings m) {
        return new RecycledObjects<>(slot -> new Maps(m, "m" + slot));
    }

    static TwoMappings mappings(Class<?> test) {
        return TwoMappings.create(test, RecycledObjects.segmentSize(1, SharedMap.bytesNeeded(4, 2, 40), 0),
                RecycledObjects.directoryEntries(1));
    }

    /** @return 0 for null, 1 for OLD, 2 for NEW, 3 for OTHER, -1 for anything else (torn) */
    static int code(String v) {
        if (v == null) {
            return 0;
        }
        return v.equals(OLD) ? 1 : v.equals(NEW) ? 2 : v.equals(OTHER) ? 3 : -1;
    }

    @JCStressTest
    @Description("put(k, NEW) over OLD in one mapping, get(k) in the other: the reader sees OLD or NEW, whole.")
    @Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "the read came first")
    @Outcome(id = "2", expect = Expect.ACCEPTABLE, desc = "the put came first")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a torn or missing value")
    @State
    public static class PublishVsRead {
        static final TwoMappings M = mappings(PublishVsRead.class);
        static final RecycledObjects<Maps> OBJECTS = maps(M);

        final RecycledObjects.Lease<Maps> m = OBJECTS.claim();

        public PublishVsRead() {
            m.item.a.clear();
            m.item.a.put("k", OLD);
        }

        @Actor
        public void writer() {
            m.item.a.put("k", NEW);
        }

        @Actor
        public void reader(org.openjdk.jcstress.infra.results.I_Result r) {
            r.r1 = code(m.item.b.get("k"));
            m.check();
        }
    }

    /** One pooled map of longs (8-byte values: replaced in place), seen through attachments A and B. */
    static final class LongMaps {
        final SharedMap<Long, Long> a;
        final SharedMap<Long, Long> b;

        LongMaps(TwoMappings m, String name) {
            this.a = SharedMap.openOrCreate(m.a, name, Codec.longs(), Codec.longs(), 4, 8, 8);
            this.b = SharedMap.open(m.b, name, Codec.longs(), Codec.longs());
        }
    }

    @JCStressTest
    @Description("An 8-byte value replaced in place (the fixed-size fast path) in one mapping, read in the other:"
            + " the old or the new value, never a mix of their bytes.")
    @Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "the read came first")
    @Outcome(id = "2", expect = Expect.ACCEPTABLE, desc = "the write came first")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a torn or missing value")
    @State
    public static class InPlaceVsRead {
        static final long OLD_BITS = 0x1111_1111_1111_1111L;
        static final long NEW_BITS = 0x2222_2222_2222_2222L;
        static final TwoMappings M = TwoMappings.create(InPlaceVsRead.class,
                RecycledObjects.segmentSize(1, SharedMap.bytesNeeded(4, 8, 8), 0), RecycledObjects.directoryEntries(1));
        static final RecycledObjects<LongMaps> OBJECTS = new RecycledObjects<>(slot -> new LongMaps(M, "l" + slot));

        final RecycledObjects.Lease<LongMaps> m = OBJECTS.claim();

        public InPlaceVsRead() {
            m.item.a.put(1L, OLD_BITS);
        }

        @Actor
        public void writer() {
            m.item.a.put(1L, NEW_BITS);
        }

        @Actor
        public void reader(org.openjdk.jcstress.infra.results.I_Result r) {
            Long v = m.item.b.get(1L);
            r.r1 = v == null ? 0 : v == OLD_BITS ? 1 : v == NEW_BITS ? 2 : -1;
            m.check();
        }
    }

    @JCStressTest
    @Description("put(k, NEW) and remove(k) of one key present as OLD, in two mappings: one happens first, wholly.")
    @Outcome(id = "1, 2, 0", expect = Expect.ACCEPTABLE, desc = "put, then remove (which returned NEW)")
    @Outcome(id = "0, 1, 2", expect = Expect.ACCEPTABLE, desc = "remove (which returned OLD), then put")
    @Outcome(expect = Expect.FORBIDDEN, desc = "lost or doubled update, or a torn value")
    @State
    public static class PutVsRemove {
        static final TwoMappings M = mappings(PutVsRemove.class);
        static final RecycledObjects<Maps> OBJECTS = maps(M);

        final RecycledObjects.Lease<Maps> m = OBJECTS.claim();

        public PutVsRemove() {
            m.item.a.clear();
            m.item.a.put("k", OLD);
        }

        @Actor
        public void putter(III_Result r) {
            r.r1 = code(m.item.a.put("k", NEW));
        }

        @Actor
        public void remover(III_Result r) {
            r.r2 = code(m.item.b.remove("k"));
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = code(m.item.a.get("k"));
            m.check();
        }
    }

    @JCStressTest
    @Description("remove(x) then put(y, OTHER) reuses x's block at once; a reader of x and of an untouched key z"
            + " in the other mapping sees x whole or absent and z always whole.")
    @Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "x read before its removal")
    @Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "x read after its removal")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the reused block showed through, or z was torn")
    @State
    public static class ReuseVsRead {
        static final TwoMappings M = mappings(ReuseVsRead.class);
        static final RecycledObjects<Maps> OBJECTS = maps(M);

        final RecycledObjects.Lease<Maps> m = OBJECTS.claim();

        public ReuseVsRead() {
            m.item.a.clear();
            m.item.a.put("x", OLD);
            m.item.a.put("z", OLD);
        }

        @Actor
        public void writer() {
            m.item.a.remove("x");
            m.item.a.put("y", OTHER);
        }

        @Actor
        public void reader(II_Result r) {
            r.r1 = code(m.item.b.get("x"));
            r.r2 = code(m.item.b.get("z"));
            m.check();
        }
    }
}
