package io.interproc.stress;

import java.util.concurrent.CompletableFuture;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZI_Result;

/**
 * {@code io.interproc.core.wait.AsyncWaits}, the waits that complete a {@code CompletableFuture} from the parked-wait
 * helper's callback records: a wake-up of another mapping must complete a pending wait
 * ({@link Mode#Termination}), and a {@code cancel} racing with a release must never lose the
 * permit (the attempt runs only under the wait's claim).
 */
public final class AsyncWaitsStress {
    private AsyncWaitsStress() {
    }

    @JCStressTest(Mode.Termination)
    @Description("The actor starts awaitAsync() on a clear event (mapping B) and joins the future; the signal "
            + "set()s the event (mapping A) before, during or after the registration of the wait's record. "
            + "The future must complete: a lost wake-up hangs past jcstress's 30 s limit.")
    @JCStressMeta(OutcomeSets.ParkedWaiterReturns.class)
    @State
    public static class AwaitAsyncVersusSet {
        static final SharedEventStress.SingleEvent EVENT = new SharedEventStress.SingleEvent(AwaitAsyncVersusSet.class);

        public AwaitAsyncVersusSet() {
            EVENT.a.clear();
        }

        @Actor
        public void waiter() {
            if (!EVENT.b.awaitAsync().join()) {
                throw new IllegalStateException("awaitAsync() without timeout completed with false");
            }
        }

        @Signal
        public void setter() {
            EVENT.a.set();
        }
    }

    @JCStressTest
    @Description("A pooled semaphore with no permit. Actor 1 starts acquireAsync() (mapping B) and cancels it at "
            + "once; actor 2 releases one permit (mapping A). Either the cancel ended the wait before it took "
            + "anything (the permit stays), or the wait took the permit and the cancel is refused (the future "
            + "holds it). r1 = cancel's result, r2 = the future completed with true, r3 = permits left.")
    @Outcome(id = "true, false, 1", expect = Expect.ACCEPTABLE, desc = "cancelled first: the permit is still there")
    @Outcome(id = "false, true, 0", expect = Expect.ACCEPTABLE_INTERESTING,
            desc = "the wait took the permit first: cancel refused, the future holds it")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a permit lost or doubled, or a future in a wrong state")
    @State
    public static class CancelVersusRelease {
        static final TwoMappings M = SharedSemaphoreStress.mappings(CancelVersusRelease.class);
        static final RecycledObjects<SharedSemaphoreStress.Semaphore> OBJECTS =
                SharedSemaphoreStress.semaphores(M, 0, false);

        final RecycledObjects.Lease<SharedSemaphoreStress.Semaphore> sem = OBJECTS.claim();
        CompletableFuture<Boolean> future;

        public CancelVersusRelease() {
            sem.item.reset(0);
        }

        @Actor
        public void canceller(ZZI_Result r) {
            CompletableFuture<Boolean> f = sem.item.b.acquireAsync();
            future = f;
            r.r1 = f.cancel(false);
        }

        @Actor
        public void releaser() {
            sem.item.a.release();
        }

        @Arbiter
        public void arbiter(ZZI_Result r) {
            CompletableFuture<Boolean> f = future;
            r.r2 = f.isDone() && !f.isCompletedExceptionally() && f.join();
            r.r3 = SharedSemaphoreStress.permits(sem.item.a);
            sem.check();
        }
    }
}
