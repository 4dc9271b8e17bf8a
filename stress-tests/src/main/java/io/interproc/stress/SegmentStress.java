package io.interproc.stress;

import io.interproc.core.KindMismatchException;
import io.interproc.core.ObjectExistsException;
import io.interproc.core.Segment;
import io.interproc.core.SharedInt;
import io.interproc.core.SharedLong;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;
import org.openjdk.jcstress.infra.results.LL_Result;
import org.openjdk.jcstress.infra.results.ZZ_Result;
import org.openjdk.jcstress.infra.results.Z_Result;

/**
 * {@link Segment} itself across two attachments: named-object creation racing on one name, and
 * process-table attachment racing.
 *
 * <p>A creation race needs a name nobody has used, and names are never freed, so these tests
 * take names from a {@link FreshNames} source that moves on to a new segment file every
 * {@value FreshNames#PER_SEGMENT} names (unlinking the old file; states still using it keep
 * their mappings).
 */
public final class SegmentStress {
    private SegmentStress() {
    }

    /** Unused object names, each in a segment mapped twice. */
    static final class FreshNames {
        static final int PER_SEGMENT = 4096;

        private final Class<?> test;
        private TwoMappings current;
        private int used = PER_SEGMENT;
        private int generation;

        FreshNames(Class<?> test) {
            this.test = test;
        }

        synchronized Fresh next() {
            if (used == PER_SEGMENT) {
                TwoMappings old = current;
                current = TwoMappings.create(test, "g" + generation++, 4L << 20, 2 * PER_SEGMENT, 8);
                if (old != null) {
                    old.unlink(); // states still holding its handles keep their mappings
                }
                used = 0;
            }
            return new Fresh(current, "o" + used++);
        }
    }

    /** One unused name and the two attachments of its segment. */
    static final class Fresh {
        final TwoMappings m;
        final String name;

        Fresh(TwoMappings m, String name) {
            this.m = m;
            this.name = name;
        }
    }

    // ------------------------------------------------------------------ openOrCreate race

    @JCStressTest
    @Description("Two attachments openOrCreate the same new name at once, asking for different initial values, "
            + "then getAndAdd(1). They must get one object: its initial value tells which attachment created "
            + "it, and the two additions must both land in it.")
    @Outcome(id = "0, 1, 2", expect = Expect.ACCEPTABLE, desc = "A created it (initial 0); A added first")
    @Outcome(id = "1, 0, 2", expect = Expect.ACCEPTABLE, desc = "A created it (initial 0); B added first")
    @Outcome(id = "100, 101, 102", expect = Expect.ACCEPTABLE, desc = "B created it (initial 100); A added first")
    @Outcome(id = "101, 100, 102", expect = Expect.ACCEPTABLE, desc = "B created it (initial 100); B added first")
    @Outcome(expect = Expect.FORBIDDEN, desc = "two objects for one name, a half-initialised object, or a lost addition")
    @State
    public static class OpenOrCreateRace {
        static final FreshNames NAMES = new FreshNames(OpenOrCreateRace.class);

        final Fresh fresh = NAMES.next();

        @Actor
        public void actor1(JJJ_Result r) {
            r.r1 = SharedLong.openOrCreate(fresh.m.a, fresh.name, 0).getAndAdd(1);
        }

        @Actor
        public void actor2(JJJ_Result r) {
            r.r2 = SharedLong.openOrCreate(fresh.m.b, fresh.name, 100).getAndAdd(1);
        }

        @Arbiter
        public void arbiter(JJJ_Result r) {
            r.r3 = SharedLong.open(fresh.m.a, fresh.name).get();
        }
    }

    // ------------------------------------------------------------------ create race

    @JCStressTest
    @Description("Two attachments create() the same new name at once: exactly one succeeds, the other gets "
            + "ObjectExistsException.")
    @Outcome(id = "true, false", expect = Expect.ACCEPTABLE, desc = "A created it, B was refused")
    @Outcome(id = "false, true", expect = Expect.ACCEPTABLE, desc = "B created it, A was refused")
    @Outcome(expect = Expect.FORBIDDEN, desc = "both or neither created the object")
    @State
    public static class CreateRace {
        static final FreshNames NAMES = new FreshNames(CreateRace.class);

        final Fresh fresh = NAMES.next();

        static boolean create(Segment s, String name) {
            try {
                SharedLong.create(s, name);
                return true;
            } catch (ObjectExistsException e) {
                return false;
            }
        }

        @Actor
        public void actor1(ZZ_Result r) {
            r.r1 = create(fresh.m.a, fresh.name);
        }

        @Actor
        public void actor2(ZZ_Result r) {
            r.r2 = create(fresh.m.b, fresh.name);
        }
    }

    // ------------------------------------------------------------------ kind race

    @JCStressTest
    @Description("Two attachments openOrCreate the same new name as different kinds (SharedLong, SharedInt): "
            + "one creates it, the other gets KindMismatchException.")
    @Outcome(id = "LONG, MISMATCH", expect = Expect.ACCEPTABLE, desc = "A created a SharedLong; B was told it is one")
    @Outcome(id = "MISMATCH, INT", expect = Expect.ACCEPTABLE, desc = "B created a SharedInt; A was told it is one")
    @Outcome(expect = Expect.FORBIDDEN, desc = "both kinds were created under one name, or neither")
    @State
    public static class KindRace {
        static final FreshNames NAMES = new FreshNames(KindRace.class);

        final Fresh fresh = NAMES.next();

        @Actor
        public void actor1(LL_Result r) {
            try {
                SharedLong.openOrCreate(fresh.m.a, fresh.name);
                r.r1 = "LONG";
            } catch (KindMismatchException e) {
                r.r1 = "MISMATCH";
            }
        }

        @Actor
        public void actor2(LL_Result r) {
            try {
                SharedInt.openOrCreate(fresh.m.b, fresh.name);
                r.r2 = "INT";
            } catch (KindMismatchException e) {
                r.r2 = "MISMATCH";
            }
        }
    }

    // ------------------------------------------------------------------ attach race

    @JCStressTest
    @Description("Two threads attach to one segment at once (Segment.open: a new mapping and a process-table "
            + "slot each) and detach again: their owner ids must differ, so that a lock word never confuses them.")
    @Outcome(id = "true", expect = Expect.ACCEPTABLE, desc = "distinct owner ids")
    @Outcome(expect = Expect.FORBIDDEN, desc = "both attachments got the same owner id")
    @State
    public static class AttachRace {
        static final TwoMappings M = TwoMappings.create(AttachRace.class, 1L << 20, 16, 64);

        int id1;
        int id2;

        public AttachRace() {
            // a constructor makes jcstress create a new state instead of zeroing the fields
        }

        @Actor
        public void actor1() {
            try (Segment s = M.attachAnother()) {
                id1 = s.ownerId();
            }
        }

        @Actor
        public void actor2() {
            try (Segment s = M.attachAnother()) {
                id2 = s.ownerId();
            }
        }

        @Arbiter
        public void arbiter(Z_Result r) {
            r.r1 = id1 != id2 && id1 != 0 && id2 != 0;
        }
    }
}
