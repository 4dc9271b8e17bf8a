package io.interproc.stress;

import io.interproc.core.SharedIntArray;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.ZZI_Result;

/**
 * {@link SharedIntArray} element atomics across two mappings of one segment. One array per test
 * (opened through attachment A and through attachment B) gives each state its own pair of
 * adjacent elements {@code 2·slot, 2·slot + 1} (one 8-byte word), reset by the state's
 * constructor.
 */
public final class SharedIntArrayStress {
    private SharedIntArrayStress() {
    }

    /** The array of a test, through both attachments. */
    static final class Ints {
        final SharedIntArray a;
        final SharedIntArray b;
        final RecycledObjects<Object> slots = new RecycledObjects<>(slot -> Boolean.TRUE);

        Ints(Class<?> test) {
            int length = 2 * RecycledObjects.SIZE;
            TwoMappings m = TwoMappings.create(test, RecycledObjects.segmentSize(0, 0, 4L * length + 4096), 64);
            this.a = SharedIntArray.create(m.a, "ints", length);
            this.b = SharedIntArray.open(m.b, "ints");
        }
    }

    // ------------------------------------------------------------------ compareAndSet

    @JCStressTest
    @Description("compareAndSet(i, 0, x) on one element through two mappings: exactly one actor wins.")
    @Outcome(id = "true, false, 1", expect = Expect.ACCEPTABLE, desc = "actor 1 (mapping A) won the CAS")
    @Outcome(id = "false, true, 2", expect = Expect.ACCEPTABLE, desc = "actor 2 (mapping B) won the CAS")
    @Outcome(expect = Expect.FORBIDDEN, desc = "both or neither CAS succeeded, or the element is not the winner's")
    @State
    public static class CompareAndSet {
        static final Ints INTS = new Ints(CompareAndSet.class);

        final RecycledObjects.Lease<Object> lease = INTS.slots.claim();
        final int i = 2 * lease.slot;

        public CompareAndSet() {
            INTS.a.set(i, 0);
        }

        @Actor
        public void actor1(ZZI_Result r) {
            r.r1 = INTS.a.compareAndSet(i, 0, 1);
        }

        @Actor
        public void actor2(ZZI_Result r) {
            r.r2 = INTS.b.compareAndSet(i, 0, 2);
        }

        @Arbiter
        public void arbiter(ZZI_Result r) {
            r.r3 = INTS.b.get(i);
            lease.check();
        }
    }

    // ------------------------------------------------------------------ getAndAdd

    @JCStressTest
    @Description("getAndAdd on one element through two mappings: no addition is lost.")
    @JCStressMeta(OutcomeSets.GetAndAddOneAndTen.class)
    @State
    public static class GetAndAdd {
        static final Ints INTS = new Ints(GetAndAdd.class);

        final RecycledObjects.Lease<Object> lease = INTS.slots.claim();
        final int i = 2 * lease.slot;

        public GetAndAdd() {
            INTS.a.set(i, 0);
        }

        @Actor
        public void actor1(III_Result r) {
            r.r1 = INTS.a.getAndAdd(i, 1);
        }

        @Actor
        public void actor2(III_Result r) {
            r.r2 = INTS.b.getAndAdd(i, 10);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = INTS.a.get(i);
            lease.check();
        }
    }

    // ------------------------------------------------------------------ adjacent elements

    @JCStressTest
    @Description("Neighbouring elements in one 8-byte word, updated at once through two mappings (a volatile "
            + "set of one, a getAndAdd of the other): neither update may disturb the other element.")
    @Outcome(id = "7, 1", expect = Expect.ACCEPTABLE, desc = "both updates kept")
    @Outcome(expect = Expect.FORBIDDEN, desc = "one update overwrote or lost the other: word tearing or a wrong offset")
    @State
    public static class AdjacentElements {
        static final Ints INTS = new Ints(AdjacentElements.class);

        final RecycledObjects.Lease<Object> lease = INTS.slots.claim();
        final int i = 2 * lease.slot;

        public AdjacentElements() {
            INTS.a.set(i, 0);
            INTS.a.set(i + 1, 0);
        }

        @Actor
        public void actor1() {
            INTS.a.set(i, 7);
        }

        @Actor
        public void actor2() {
            INTS.b.getAndAdd(i + 1, 1);
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = INTS.b.get(i);
            r.r2 = INTS.a.get(i + 1);
            lease.check();
        }
    }
}
