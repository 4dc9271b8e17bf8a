package io.interproc.stress;

import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.Outcome;

/**
 * Outcome sets that several jcstress tests grade the same way. A test takes one with
 * {@code @JCStressMeta(OutcomeSets.X.class)} in place of its own {@code @Outcome} lines: the
 * jcstress annotation processor reads the {@code @Outcome}s (and {@code @Description},
 * {@code @Ref}) of the meta class first, then the test's own. Each nested class is only such a
 * holder; nothing instantiates it.
 *
 * <p>Only identical sets are shared: outcomes whose descriptions differ (the report prints them)
 * stay with their tests.
 */
final class OutcomeSets {
    private OutcomeSets() {
    }

    /** A waiter blocked in {@code lock()} must get the lock when the holder releases it. */
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the waiter got the lock")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the waiter never woke: lost wake-up")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the waiter failed with an exception")
    static final class WaiterGetsLock {
        private WaiterGetsLock() {
        }
    }

    /** A parked wait must return once the word it registered on changes. */
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the parked waiter returned")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the parked waiter never woke: lost wake-up")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the waiter failed with an exception")
    static final class ParkedWaiterReturns {
        private ParkedWaiterReturns() {
        }
    }

    /** A condition waiter must return when signalled. */
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the waiter returned")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the waiter never woke: lost signal or wake-up")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the waiter failed with an exception")
    static final class AwaitWokenBySignal {
        private AwaitWokenBySignal() {
        }
    }

    /** An interrupt must end a sleep with {@code InterruptedException}. */
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the sleeper ended with InterruptedException")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the interrupt did not end the sleep")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the sleeper failed otherwise, or returned normally")
    static final class InterruptEndsSleep {
        private InterruptEndsSleep() {
        }
    }

    /**
     * Actor 1 adds 1 and actor 2 adds 10 with {@code getAndAdd}; the result is what each saw, then
     * the final value.
     */
    @Outcome(id = "0, 1, 11", expect = Expect.ACCEPTABLE, desc = "actor 1 added first")
    @Outcome(id = "10, 0, 11", expect = Expect.ACCEPTABLE, desc = "actor 2 added first")
    @Outcome(expect = Expect.FORBIDDEN, desc = "an addition was lost or seen twice")
    static final class GetAndAddOneAndTen {
        private GetAndAddOneAndTen() {
        }
    }
}
