package io.interproc.stress;

import io.interproc.core.Segment;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;
import org.openjdk.jcstress.infra.results.Z_Result;

/**
 * Kernel-backed liveness (core's ProcessTable): an attachment is alive exactly while its slot
 * carries its owner id and its record lock is held. Each state opens an attachment of its own
 * (standing for another process), so the segment has a large process table.
 */
public final class LivenessStress {
    private LivenessStress() {
    }

    /** Enough slots for the states jcstress keeps alive at once, each holding one attachment. */
    private static final int SLOTS = 16_384;

    @JCStressTest
    @Description("An attachment detaches (slot FREE, then its descriptor closed, dropping the lock) while "
            + "another tests its liveness twice: once seen dead, it is never seen alive again.")
    @Outcome(id = "true, true", expect = Expect.ACCEPTABLE, desc = "both tests before the detach")
    @Outcome(id = "true, false", expect = Expect.ACCEPTABLE, desc = "the detach between the tests")
    @Outcome(id = "false, false", expect = Expect.ACCEPTABLE, desc = "both tests after the detach")
    @Outcome(expect = Expect.FORBIDDEN, desc = "seen dead, then alive again")
    @State
    public static class DeadStaysDead {
        static final TwoMappings M = TwoMappings.create(DeadStaysDead.class, 8L << 20, 16, SLOTS);

        final Segment b = M.attachAnother();
        final int id = b.ownerId();

        @Actor
        public void detach() {
            b.close();
        }

        @Actor
        public void test(ZZ_Result r) {
            r.r1 = M.a.isAlive(id);
            r.r2 = M.a.isAlive(id);
        }
    }

    @JCStressTest
    @Description("A live attachment is tested while another attaches and detaches (claiming a slot under its "
            + "lock, reaping dead slots): a live attachment is never reported dead.")
    @Outcome(id = "true", expect = Expect.ACCEPTABLE, desc = "alive")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a live attachment was reported dead")
    @State
    public static class LiveNeverDead {
        static final TwoMappings M = TwoMappings.create(LiveNeverDead.class, 8L << 20, 16, SLOTS);

        final Segment b = M.attachAnother();
        boolean alive;

        @Actor
        public void churn() {
            M.attachAnother().close();
        }

        @Actor
        public void test() {
            alive = M.a.isAlive(b.ownerId());
        }

        @Arbiter
        public void arbiter(Z_Result r) {
            r.r1 = alive;
            b.close();
        }
    }
}
