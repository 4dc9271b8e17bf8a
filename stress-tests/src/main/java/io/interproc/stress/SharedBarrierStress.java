package io.interproc.stress;

import io.interproc.core.SharedBytes;
import io.interproc.core.SharedIntArray;
import io.interproc.sync.SharedBarrier;
import io.interproc.sync.internal.BarrierDescriptor;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIIII_Result;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@link SharedBarrier} of two parties across two mappings of one segment, each party using its
 * own mapping: arrival indexes and the barrier action of one generation and of two in a row,
 * visibility of writes made before {@code await()}, breakage by a timeout or {@code abort()}, and
 * futex wake-ups of a blocked party ({@link Mode#Termination}).
 *
 * <p>{@code await()} returns {@code parties() - 1 - k} for the party that arrived as number
 * {@code k}: with two parties, 1 for the first to arrive and 0 for the last.
 */
public final class SharedBarrierStress {
    private SharedBarrierStress() {
    }

    /** Result code: the await threw {@link TimeoutException}. */
    static final int TIMEOUT = 2;
    /** Result code: the await threw {@link BrokenBarrierException}. */
    static final int BROKEN = 3;

    /** One pooled two-party barrier, through attachment A and through attachment B. */
    static final class Barrier {
        final SharedBarrier a;
        final SharedBarrier b;

        Barrier(TwoMappings m, String name, Runnable actionA, Runnable actionB) {
            this.a = SharedBarrier.openOrCreate(m.a, name, 2, actionA);
            this.b = SharedBarrier.open(m.b, name, actionB);
        }

        /** Makes a barrier broken by the previous state usable again (through A). */
        void repair() {
            if (a.isBroken()) {
                a.reset();
            }
        }
    }

    static TwoMappings mappings(Class<?> test, long extraBytes) {
        return TwoMappings.create(test, RecycledObjects.segmentSize(1, BarrierDescriptor.size(2), extraBytes),
                RecycledObjects.directoryEntries(1));
    }

    /**
     * @return the arrival index, {@link #TIMEOUT} or {@link #BROKEN}; other exceptions fail the
     *     test
     */
    static int timedAwait(SharedBarrier barrier, long micros) {
        try {
            return barrier.await(micros, TimeUnit.MICROSECONDS);
        } catch (TimeoutException e) {
            return TIMEOUT;
        } catch (BrokenBarrierException e) {
            return BROKEN;
        } catch (InterruptedException e) {
            throw new IllegalStateException("unexpected " + e, e);
        }
    }

    /** Short timeout of the breakage tests: often, but not always, shorter than the other actor's delay. */
    static final long SHORT_MICROS = 100;

    // ------------------------------------------------------------------ one generation, with an action

    @JCStressTest
    @Description("Both actors await() a two-party barrier, each through its own mapping; each mapping's handle "
            + "has an action that counts its runs in a shared array (through that mapping). The barrier trips "
            + "once: the indexes are 1 (first to arrive) and 0 (last), the last arriver's action runs exactly "
            + "once, and it runs before either party returns. r1, r2 = indexes of actors 1 and 2; r3, r4 = "
            + "action runs (both handles) seen by actors 1 and 2 just after they returned; r5, r6 = runs of A's "
            + "action and of B's action (arbiter).")
    @Outcome(id = "1, 0, 1, 1, 0, 1", expect = Expect.ACCEPTABLE,
            desc = "actor 1 arrived first; actor 2 (mapping B) arrived last and ran B's action once")
    @Outcome(id = "0, 1, 1, 1, 1, 0", expect = Expect.ACCEPTABLE,
            desc = "actor 2 arrived first; actor 1 (mapping A) arrived last and ran A's action once")
    @Outcome(expect = Expect.FORBIDDEN, desc = "equal or invalid indexes, the action run never, twice, by the "
            + "first arriver's handle, or after a party returned")
    @State
    public static class TwoPartiesTrip {
        static final TwoMappings M = mappings(TwoPartiesTrip.class, 8L * RecycledObjects.SIZE);
        /** Per slot: element 2 * slot counts runs of A's action, 2 * slot + 1 those of B's. */
        static final SharedIntArray RUNS_A = SharedIntArray.create(M.a, "runs", 2 * RecycledObjects.SIZE);
        static final SharedIntArray RUNS_B = SharedIntArray.open(M.b, "runs");
        static final RecycledObjects<Barrier> OBJECTS = new RecycledObjects<>(slot -> new Barrier(M, "b" + slot,
                () -> RUNS_A.getAndAdd(2 * slot, 1), () -> RUNS_B.getAndAdd(2 * slot + 1, 1)));

        final RecycledObjects.Lease<Barrier> barrier = OBJECTS.claim();

        public TwoPartiesTrip() {
            barrier.item.repair();
            RUNS_A.set(2 * barrier.slot, 0);
            RUNS_A.set(2 * barrier.slot + 1, 0);
        }

        static int runs(SharedIntArray runs, int slot) {
            return runs.get(2 * slot) + runs.get(2 * slot + 1);
        }

        @Actor
        public void actor1(IIIIII_Result r) {
            r.r1 = Unchecked.get(barrier.item.a::await);
            r.r3 = runs(RUNS_A, barrier.slot);
        }

        @Actor
        public void actor2(IIIIII_Result r) {
            r.r2 = Unchecked.get(barrier.item.b::await);
            r.r4 = runs(RUNS_B, barrier.slot);
        }

        @Arbiter
        public void arbiter(IIIIII_Result r) {
            r.r5 = RUNS_A.get(2 * barrier.slot);
            r.r6 = RUNS_A.get(2 * barrier.slot + 1);
            barrier.check();
        }
    }

    // ------------------------------------------------------------------ generation hand-over

    @JCStressTest
    @Description("Both actors await() the same two-party barrier twice in a row (actions as in TwoPartiesTrip). "
            + "The last arriver of the first generation returns at once and arrives in the second while the "
            + "first arriver may still be waking up from the first: the generations must not mix. In each "
            + "generation the indexes are 1 and 0, and each handle's action ran once per generation its actor "
            + "was last in. r1, r2 = actor 1's indexes; r3, r4 = actor 2's; r5, r6 = runs of A's and B's action.")
    @Outcome(id = "1, 1, 0, 0, 0, 2", expect = Expect.ACCEPTABLE, desc = "actor 2 was last in both generations")
    @Outcome(id = "1, 0, 0, 1, 1, 1", expect = Expect.ACCEPTABLE, desc = "actor 2 was last in the first, actor 1 in the second")
    @Outcome(id = "0, 1, 1, 0, 1, 1", expect = Expect.ACCEPTABLE, desc = "actor 1 was last in the first, actor 2 in the second")
    @Outcome(id = "0, 0, 1, 1, 2, 0", expect = Expect.ACCEPTABLE, desc = "actor 1 was last in both generations")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a generation with equal indexes, or actions not matching the last arrivers")
    @State
    public static class TwoGenerations {
        static final TwoMappings M = mappings(TwoGenerations.class, 8L * RecycledObjects.SIZE);
        static final SharedIntArray RUNS_A = SharedIntArray.create(M.a, "runs", 2 * RecycledObjects.SIZE);
        static final SharedIntArray RUNS_B = SharedIntArray.open(M.b, "runs");
        static final RecycledObjects<Barrier> OBJECTS = new RecycledObjects<>(slot -> new Barrier(M, "b" + slot,
                () -> RUNS_A.getAndAdd(2 * slot, 1), () -> RUNS_B.getAndAdd(2 * slot + 1, 1)));

        final RecycledObjects.Lease<Barrier> barrier = OBJECTS.claim();

        public TwoGenerations() {
            barrier.item.repair();
            RUNS_A.set(2 * barrier.slot, 0);
            RUNS_A.set(2 * barrier.slot + 1, 0);
        }

        @Actor
        public void actor1(IIIIII_Result r) {
            r.r1 = Unchecked.get(barrier.item.a::await);
            r.r2 = Unchecked.get(barrier.item.a::await);
        }

        @Actor
        public void actor2(IIIIII_Result r) {
            r.r3 = Unchecked.get(barrier.item.b::await);
            r.r4 = Unchecked.get(barrier.item.b::await);
        }

        @Arbiter
        public void arbiter(IIIIII_Result r) {
            r.r5 = RUNS_A.get(2 * barrier.slot);
            r.r6 = RUNS_A.get(2 * barrier.slot + 1);
            barrier.check();
        }
    }

    // ------------------------------------------------------------------ nobody leaves early

    @JCStressTest
    @Description("Each actor makes two plain writes, a Java field and a byte of the segment through its own "
            + "mapping, then await()s the two-party barrier; after it returns it reads the other actor's field "
            + "and byte. No party may pass before the other has arrived, and the other's writes before its "
            + "await() happen-before the return: both see both. r1, r2 = the field and the byte actor 1 saw of "
            + "actor 2; r3, r4 = those actor 2 saw of actor 1.")
    @Outcome(id = "1, 1, 1, 1", expect = Expect.ACCEPTABLE, desc = "each saw what the other wrote before arriving")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a party passed before the other arrived, or missed its writes")
    @State
    public static class NoneLeavesEarly {
        static final TwoMappings M = mappings(NoneLeavesEarly.class, 2L * RecycledObjects.SIZE);
        /** Per slot: byte 2 * slot is written by actor 1 (A), 2 * slot + 1 by actor 2 (B). */
        static final SharedBytes DATA_A = SharedBytes.create(M.a, "data", 2 * RecycledObjects.SIZE);
        static final SharedBytes DATA_B = SharedBytes.open(M.b, "data");
        static final RecycledObjects<Barrier> OBJECTS =
                new RecycledObjects<>(slot -> new Barrier(M, "b" + slot, null, null));

        final RecycledObjects.Lease<Barrier> barrier = OBJECTS.claim();
        int x1;
        int x2;

        public NoneLeavesEarly() {
            barrier.item.repair();
            DATA_A.put(2 * barrier.slot, (byte) 0);
            DATA_A.put(2 * barrier.slot + 1, (byte) 0);
        }

        @Actor
        public void actor1(IIII_Result r) {
            x1 = 1;
            DATA_A.put(2 * barrier.slot, (byte) 1);
            Unchecked.get(barrier.item.a::await);
            r.r1 = x2;
            r.r2 = DATA_A.get(2 * barrier.slot + 1);
        }

        @Actor
        public void actor2(IIII_Result r) {
            x2 = 1;
            DATA_B.put(2 * barrier.slot + 1, (byte) 1);
            Unchecked.get(barrier.item.b::await);
            r.r3 = x1;
            r.r4 = DATA_B.get(2 * barrier.slot);
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            barrier.check();
        }
    }

    // ------------------------------------------------------------------ breakage

    @JCStressTest
    @Description("Actor 1 await()s the two-party barrier with a 100 us timeout (mapping A); actor 2 never "
            + "arrives but calls abort() (mapping B). Whichever comes first breaks the barrier: actor 1 gets "
            + "TimeoutException if its timeout expired first (the abort then finds the barrier broken already), "
            + "BrokenBarrierException if the abort came first (before it arrived, or while it waited). It never "
            + "passes. r1 = actor 1's outcome (2 = TimeoutException, 3 = BrokenBarrierException, 0 or 1 = "
            + "passed with that index), r2 = isBroken() afterwards (1/0).")
    @Outcome(id = "3, 1", expect = Expect.ACCEPTABLE, desc = "the abort came first: BrokenBarrierException")
    @Outcome(id = "2, 1", expect = Expect.ACCEPTABLE_INTERESTING,
            desc = "the timeout expired first: TimeoutException (the abort found it broken)")
    @Outcome(expect = Expect.FORBIDDEN, desc = "actor 1 passed a barrier nobody else reached, or it is not broken")
    @State
    public static class TimeoutOrAbort {
        static final TwoMappings M = mappings(TimeoutOrAbort.class, 0);
        static final RecycledObjects<Barrier> OBJECTS =
                new RecycledObjects<>(slot -> new Barrier(M, "b" + slot, null, null));

        final RecycledObjects.Lease<Barrier> barrier = OBJECTS.claim();

        public TimeoutOrAbort() {
            barrier.item.repair();
        }

        @Actor
        public void waiter(II_Result r) {
            r.r1 = timedAwait(barrier.item.a, SHORT_MICROS);
        }

        @Actor
        public void aborter() {
            barrier.item.b.abort();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r2 = barrier.item.a.isBroken() ? 1 : 0;
            barrier.check();
        }
    }

    @JCStressTest
    @Description("Both actors await() the two-party barrier with a 100 us timeout, each through its own mapping. "
            + "Either both arrive in time and pass (indexes 1 and 0), or the first to arrive times out, which "
            + "breaks the barrier, and the other then finds it broken. Only the first arriver can time out: the "
            + "last arriver trips the barrier without waiting. r1, r2 = outcomes of actors 1 and 2 (0 or 1 = "
            + "passed with that index, 2 = TimeoutException, 3 = BrokenBarrierException), r3 = isBroken() "
            + "afterwards (1/0).")
    @Outcome(id = "1, 0, 0", expect = Expect.ACCEPTABLE, desc = "both in time; actor 1 arrived first")
    @Outcome(id = "0, 1, 0", expect = Expect.ACCEPTABLE, desc = "both in time; actor 2 arrived first")
    @Outcome(id = "2, 3, 1", expect = Expect.ACCEPTABLE_INTERESTING,
            desc = "actor 1 timed out and broke the barrier; actor 2 found it broken")
    @Outcome(id = "3, 2, 1", expect = Expect.ACCEPTABLE_INTERESTING,
            desc = "actor 2 timed out and broke the barrier; actor 1 found it broken")
    @Outcome(expect = Expect.FORBIDDEN, desc = "both timed out, both found it broken, one passed while the other "
            + "failed, or the broken flag disagrees")
    @State
    public static class TimedAwaits {
        static final TwoMappings M = mappings(TimedAwaits.class, 0);
        static final RecycledObjects<Barrier> OBJECTS =
                new RecycledObjects<>(slot -> new Barrier(M, "b" + slot, null, null));

        final RecycledObjects.Lease<Barrier> barrier = OBJECTS.claim();

        public TimedAwaits() {
            barrier.item.repair();
        }

        @Actor
        public void actor1(III_Result r) {
            r.r1 = timedAwait(barrier.item.a, SHORT_MICROS);
        }

        @Actor
        public void actor2(III_Result r) {
            r.r2 = timedAwait(barrier.item.b, SHORT_MICROS);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = barrier.item.a.isBroken() ? 1 : 0;
            barrier.check();
        }
    }

    // ------------------------------------------------------------------ wake-ups (termination)

    /** The barrier of a termination test: one per test, reused by the states one after the other. */
    static final class SingleBarrier {
        final SharedBarrier a;
        final SharedBarrier b;

        SingleBarrier(Class<?> test) {
            TwoMappings m = TwoMappings.create(test, 1L << 20, 16);
            this.a = SharedBarrier.create(m.a, "barrier", 2);
            this.b = SharedBarrier.open(m.b, "barrier");
        }

        void repair() {
            if (a.isBroken()) {
                a.reset();
            }
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("The first party of a two-party barrier blocks in await() (mapping B) until the second arrives "
            + "(mapping A): the second arrival's futex wake must reach it on the other mapping. The signaller "
            + "first waits (at most 10 s) until the first party has arrived, then arrives with a 60 s timeout "
            + "(it is the last, so it never waits). Wait slices are 120 s here, so a lost wake-up hangs past "
            + "jcstress's 30 s limit.")
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the first party passed")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the first party never woke: lost wake-up")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a party failed with an exception")
    @State
    public static class AwaitWokenBySecondParty {
        static final SingleBarrier BARRIER = new SingleBarrier(AwaitWokenBySecondParty.class);

        public AwaitWokenBySecondParty() {
            BARRIER.repair();
        }

        @Actor
        public void first() throws InterruptedException, BrokenBarrierException {
            BARRIER.b.await();
        }

        @Signal
        public void second() throws InterruptedException, BrokenBarrierException, TimeoutException {
            SharedEventStress.waitFor(() -> BARRIER.a.numberWaiting() > 0);
            BARRIER.a.await(60, TimeUnit.SECONDS);
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("A party blocked in await() on a two-party barrier (mapping B) must wake with "
            + "BrokenBarrierException when another thread calls abort() (mapping A). The aborter first waits "
            + "(at most 10 s) until the party has arrived; an abort before the arrival would only make the "
            + "await fail at once.")
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the party woke with BrokenBarrierException")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the party never woke: lost wake-up")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the party passed the aborted barrier, or failed otherwise")
    @State
    public static class AwaitWokenByAbort {
        static final SingleBarrier BARRIER = new SingleBarrier(AwaitWokenByAbort.class);

        public AwaitWokenByAbort() {
            BARRIER.repair();
        }

        @Actor
        public void party() throws InterruptedException {
            try {
                int index = BARRIER.b.await();
                throw new IllegalStateException("passed an aborted barrier with index " + index);
            } catch (BrokenBarrierException expected) {
                // woken by the abort
            }
        }

        @Signal
        public void aborter() {
            SharedEventStress.waitFor(() -> BARRIER.a.numberWaiting() > 0);
            BARRIER.a.abort();
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("reset() while a party waits: the resetter (mapping B) waits (at most 10 s) until the signal's "
            + "party has arrived (mapping A, await with a 60 s timeout), then calls reset(), which breaks the "
            + "generation, wakes the party, and returns once the party has seen the break (cleared its entry: its "
            + "acknowledgement). The acknowledgement's wake-up must reach the resetter if it is already asleep. "
            + "Wait slices are 120 s here, so a lost wake-up hangs past jcstress's 30 s limit.")
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "reset() returned after the party saw the break")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "reset() never returned: the acknowledgement's wake-up was lost")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the party passed, timed out, or a call failed")
    @State
    public static class ResetWokenByAcknowledgement {
        static final SingleBarrier BARRIER = new SingleBarrier(ResetWokenByAcknowledgement.class);

        public ResetWokenByAcknowledgement() {
            BARRIER.repair(); // a reset leaves it unbroken: only a failed earlier state needs this
        }

        @Actor
        public void resetter() {
            SharedEventStress.waitFor(() -> BARRIER.b.numberWaiting() > 0);
            BARRIER.b.reset();
        }

        @Signal
        public void party() throws InterruptedException, TimeoutException {
            try {
                int index = BARRIER.a.await(60, TimeUnit.SECONDS);
                throw new IllegalStateException("passed a reset barrier with index " + index);
            } catch (BrokenBarrierException expected) {
                // broken by the reset
            }
        }
    }
}
