package io.interproc.stress;

import io.interproc.collections.SharedList;
import io.interproc.core.Codec;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/**
 * {@link SharedList#append} from two mappings of one segment (two processes): both elements
 * land, at distinct indices, each readable whole.
 */
public final class SharedListStress {
    private SharedListStress() {
    }

    /** One pooled list, seen through attachment A and through attachment B. */
    static final class Lists {
        final SharedList<Long> a;
        final SharedList<Long> b;

        Lists(TwoMappings m, String name) {
            this.a = SharedList.openOrCreate(m.a, name, Codec.longs(), 4, 8);
            this.b = SharedList.open(m.b, name, Codec.longs());
        }
    }

    @JCStressTest
    @Description("append(1) and append(2) in two mappings: indices 0 and 1, one each; size 2; the elements are"
            + " there in the order of the indices.")
    @Outcome(id = "0, 1, 12", expect = Expect.ACCEPTABLE, desc = "mapping A appended first")
    @Outcome(id = "1, 0, 21", expect = Expect.ACCEPTABLE, desc = "mapping B appended first")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a lost, duplicated or misplaced element")
    @State
    public static class AppendAppend {
        static final TwoMappings M = TwoMappings.create(AppendAppend.class,
                RecycledObjects.segmentSize(1, SharedList.bytesNeeded(4, 8), 0), RecycledObjects.directoryEntries(1));
        static final RecycledObjects<Lists> OBJECTS = new RecycledObjects<>(slot -> new Lists(M, "l" + slot));

        final RecycledObjects.Lease<Lists> l = OBJECTS.claim();

        public AppendAppend() {
            l.item.a.clear();
        }

        @Actor
        public void first(JJJ_Result r) {
            r.r1 = l.item.a.append(1L);
        }

        @Actor
        public void second(JJJ_Result r) {
            r.r2 = l.item.b.append(2L);
        }

        @Arbiter
        public void arbiter(JJJ_Result r) {
            r.r3 = l.item.a.size() == 2 ? l.item.a.get(0) * 10 + l.item.a.get(1) : -l.item.a.size();
            l.check();
        }
    }
}
