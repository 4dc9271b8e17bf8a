package io.interproc.stress;

import io.interproc.core.SharedLong;
import io.interproc.core.value.ValueDescriptor;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;
import org.openjdk.jcstress.infra.results.JJ_Result;
import org.openjdk.jcstress.infra.results.J_Result;
import org.openjdk.jcstress.infra.results.ZZJ_Result;

/**
 * {@link SharedLong} across two mappings of one segment: each actor works through its own
 * attachment (its own {@code MappedByteBuffer}), as two processes would. Every state gets a fresh
 * value from a {@link RecycledObjects} of named values, reset to 0 by the state's constructor.
 */
public final class SharedLongStress {
    private SharedLongStress() {
    }

    /** One pooled value, seen through attachment A and through attachment B. */
    static final class Value {
        final SharedLong a;
        final SharedLong b;

        Value(TwoMappings m, String name) {
            this.a = SharedLong.openOrCreate(m.a, name);
            this.b = SharedLong.open(m.b, name);
        }
    }

    static RecycledObjects<Value> values(TwoMappings m, String prefix) {
        return new RecycledObjects<>(slot -> new Value(m, prefix + slot));
    }

    static TwoMappings mappings(Class<?> test, int valuesPerSlot) {
        return TwoMappings.create(test, RecycledObjects.segmentSize(valuesPerSlot, ValueDescriptor.SIZE, 0),
                RecycledObjects.directoryEntries(valuesPerSlot));
    }

    // ------------------------------------------------------------------ compareAndSet

    @JCStressTest
    @Description("compareAndSet(0, x) through two mappings: exactly one actor wins, and the value is the winner's.")
    @Outcome(id = "true, false, 1", expect = Expect.ACCEPTABLE, desc = "actor 1 (mapping A) won the CAS")
    @Outcome(id = "false, true, 2", expect = Expect.ACCEPTABLE, desc = "actor 2 (mapping B) won the CAS")
    @Outcome(expect = Expect.FORBIDDEN, desc = "both or neither CAS succeeded, or the value is not the winner's")
    @State
    public static class CompareAndSet {
        static final TwoMappings M = mappings(CompareAndSet.class, 1);
        static final RecycledObjects<Value> OBJECTS = values(M, "v");

        final RecycledObjects.Lease<Value> v = OBJECTS.claim();

        public CompareAndSet() {
            v.item.a.set(0);
        }

        @Actor
        public void actor1(ZZJ_Result r) {
            r.r1 = v.item.a.compareAndSet(0, 1);
        }

        @Actor
        public void actor2(ZZJ_Result r) {
            r.r2 = v.item.b.compareAndSet(0, 2);
        }

        @Arbiter
        public void arbiter(ZZJ_Result r) {
            r.r3 = v.item.a.get();
            v.check();
        }
    }

    // ------------------------------------------------------------------ getAndAdd

    @JCStressTest
    @Description("getAndAdd through two mappings: no update is lost, each actor sees 0 or the other's delta.")
    @JCStressMeta(OutcomeSets.GetAndAddOneAndTen.class)
    @State
    public static class GetAndAdd {
        static final TwoMappings M = mappings(GetAndAdd.class, 1);
        static final RecycledObjects<Value> OBJECTS = values(M, "v");

        final RecycledObjects.Lease<Value> v = OBJECTS.claim();

        public GetAndAdd() {
            v.item.a.set(0);
        }

        @Actor
        public void actor1(JJJ_Result r) {
            r.r1 = v.item.a.getAndAdd(1);
        }

        @Actor
        public void actor2(JJJ_Result r) {
            r.r2 = v.item.b.getAndAdd(10);
        }

        @Arbiter
        public void arbiter(JJJ_Result r) {
            r.r3 = v.item.b.get();
            v.check();
        }
    }

    // ------------------------------------------------------------------ getAndSet

    @JCStressTest
    @Description("getAndSet through two mappings: the exchanges are atomic, so exactly one actor sees the initial 0.")
    @Outcome(id = "0, 1, 2", expect = Expect.ACCEPTABLE, desc = "actor 1 exchanged first, actor 2 last")
    @Outcome(id = "2, 0, 1", expect = Expect.ACCEPTABLE, desc = "actor 2 exchanged first, actor 1 last")
    @Outcome(expect = Expect.FORBIDDEN, desc = "both saw 0 (an exchange was not atomic) or the final value is wrong")
    @State
    public static class GetAndSet {
        static final TwoMappings M = mappings(GetAndSet.class, 1);
        static final RecycledObjects<Value> OBJECTS = values(M, "v");

        final RecycledObjects.Lease<Value> v = OBJECTS.claim();

        public GetAndSet() {
            v.item.a.set(0);
        }

        @Actor
        public void actor1(JJJ_Result r) {
            r.r1 = v.item.a.getAndSet(1);
        }

        @Actor
        public void actor2(JJJ_Result r) {
            r.r2 = v.item.b.getAndSet(2);
        }

        @Arbiter
        public void arbiter(JJJ_Result r) {
            r.r3 = v.item.a.get();
            v.check();
        }
    }

    // ------------------------------------------------------------------ updateAndGet

    @JCStressTest
    @Description("updateAndGet (a compare-and-exchange retry loop) through two mappings: no update is lost.")
    @Outcome(id = "1, 11, 11", expect = Expect.ACCEPTABLE, desc = "actor 1 updated first")
    @Outcome(id = "11, 10, 11", expect = Expect.ACCEPTABLE, desc = "actor 2 updated first")
    @Outcome(expect = Expect.FORBIDDEN, desc = "an update was lost or applied twice")
    @State
    public static class UpdateAndGet {
        static final TwoMappings M = mappings(UpdateAndGet.class, 1);
        static final RecycledObjects<Value> OBJECTS = values(M, "v");

        final RecycledObjects.Lease<Value> v = OBJECTS.claim();

        public UpdateAndGet() {
            v.item.a.set(0);
        }

        @Actor
        public void actor1(JJJ_Result r) {
            r.r1 = v.item.a.updateAndGet(x -> x + 1);
        }

        @Actor
        public void actor2(JJJ_Result r) {
            r.r2 = v.item.b.updateAndGet(x -> x + 10);
        }

        @Arbiter
        public void arbiter(JJJ_Result r) {
            r.r3 = v.item.a.get();
            v.check();
        }
    }

    // ------------------------------------------------------------------ message passing

    @JCStressTest
    @Description("Message passing through two mappings: actor 1 writes data (set) then a flag (lazySet, a "
            + "release store); actor 2 reads the flag then the data (get, volatile). Seeing the flag "
            + "but not the data would break the release/acquire promise of lazySet across processes.")
    @Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "actor 2 read before actor 1 wrote")
    @Outcome(id = "0, 42", expect = Expect.ACCEPTABLE, desc = "actor 2 saw the data but read the flag too early")
    @Outcome(id = "1, 42", expect = Expect.ACCEPTABLE, desc = "actor 2 saw flag and data")
    @Outcome(id = "1, 0", expect = Expect.FORBIDDEN, desc = "flag seen, data not: release/acquire broken")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a value that was never written")
    @State
    public static class MessagePassing {
        static final TwoMappings M = mappings(MessagePassing.class, 2);
        static final RecycledObjects<Value[]> OBJECTS = new RecycledObjects<>(slot -> new Value[] {
            new Value(M, "d" + slot), new Value(M, "f" + slot)});

        final RecycledObjects.Lease<Value[]> v = OBJECTS.claim();

        public MessagePassing() {
            v.item[0].a.set(0);
            v.item[1].a.set(0);
        }

        @Actor
        public void writer() {
            v.item[0].a.set(42);
            v.item[1].a.lazySet(1);
        }

        @Actor
        public void reader(JJ_Result r) {
            r.r1 = v.item[1].b.get();
            r.r2 = v.item[0].b.get();
            v.check();
        }
    }

    // ------------------------------------------------------------------ negative control

    @JCStressTest
    @Description("NEGATIVE CONTROL: an unguarded read-modify-write (get, then set(value + 1)) from two "
            + "mappings. It is racy on purpose: seeing the lost update proves that the harness and the "
            + "two mappings really do run the actors concurrently. If '1' never shows up in a long "
            + "run, the other tests prove less than they seem to.")
    @Outcome(id = "2", expect = Expect.ACCEPTABLE, desc = "the increments happened one after the other")
    @Outcome(id = "1", expect = Expect.ACCEPTABLE_INTERESTING,
            desc = "lost update: both actors read 0 — the race the harness must be able to see")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a value no interleaving of the two increments gives")
    @State
    public static class UnguardedIncrement {
        static final TwoMappings M = mappings(UnguardedIncrement.class, 1);
        static final RecycledObjects<Value> OBJECTS = values(M, "v");

        final RecycledObjects.Lease<Value> v = OBJECTS.claim();

        public UnguardedIncrement() {
            v.item.a.set(0);
        }

        @Actor
        public void actor1() {
            SharedLong x = v.item.a;
            x.set(x.get() + 1);
        }

        @Actor
        public void actor2() {
            SharedLong x = v.item.b;
            x.set(x.get() + 1);
        }

        @Arbiter
        public void arbiter(J_Result r) {
            r.r1 = v.item.a.get();
            v.check();
        }
    }
}
