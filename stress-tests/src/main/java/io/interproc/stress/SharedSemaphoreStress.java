package io.interproc.stress;

import io.interproc.core.CorruptSegmentException;
import io.interproc.sync.SharedSemaphore;
import io.interproc.sync.internal.SemaphoreDescriptor;

import java.util.function.IntFunction;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.ZZI_Result;

/**
 * {@link SharedSemaphore} across two mappings of one segment: {@code tryAcquire} of one permit
 * from both (at most one wins while the other holds it), a multi-permit {@code tryAcquire}
 * against a single one, the bound of a bounded semaphore under racing releases, and futex
 * wake-ups of blocked {@code acquire()} callers ({@link Mode#Termination}).
 */
public final class SharedSemaphoreStress {
    private SharedSemaphoreStress() {
    }

    /** One pooled semaphore, through attachment A and through attachment B. */
    static final class Semaphore {
        final SharedSemaphore a;
        final SharedSemaphore b;

        Semaphore(TwoMappings m, String name, int permits, boolean bounded) {
            this.a = bounded ? SharedSemaphore.openOrCreateBounded(m.a, name, permits)
                    : SharedSemaphore.openOrCreate(m.a, name, permits);
            this.b = SharedSemaphore.open(m.b, name);
        }

        /** Sets the available permits (through A), whatever the previous state left. */
        void reset(int permits) {
            a.drainPermits();
            a.release(permits);
        }
    }

    static TwoMappings mappings(Class<?> test) {
        return TwoMappings.create(test, RecycledObjects.segmentSize(1, SemaphoreDescriptor.SIZE, 0),
                RecycledObjects.directoryEntries(1));
    }

    static RecycledObjects<Semaphore> semaphores(TwoMappings m, int permits, boolean bounded) {
        IntFunction<Semaphore> factory = slot -> new Semaphore(m, "s" + slot, permits, bounded);
        return new RecycledObjects<>(factory);
    }

    /** @return 1 if the release was accepted, 0 if a bounded semaphore refused it */
    static int release(SharedSemaphore s) {
        try {
            s.release();
            return 1;
        } catch (IllegalStateException refused) {
            if (!refused.getMessage().contains("released too many times")) {
                throw refused; // a closed segment or an overflow: not what this test is about
            }
            return 0;
        }
    }

    /** @return the available permits, or -1 if the count is out of range (CorruptSegmentException) */
    static int permits(SharedSemaphore s) {
        try {
            return s.availablePermits();
        } catch (CorruptSegmentException outOfRange) {
            return -1;
        }
    }

    // ------------------------------------------------------------------ tryAcquire

    @JCStressTest
    @Description("A semaphore of one permit; both actors tryAcquire() it through their own mappings and keep "
            + "what they got. Exactly one gets it; the arbiter finds no permit left. r1, r2 = tryAcquire results, "
            + "r3 = availablePermits() afterwards.")
    @Outcome(id = "true, false, 0", expect = Expect.ACCEPTABLE, desc = "actor 1 got the permit, actor 2 found none")
    @Outcome(id = "false, true, 0", expect = Expect.ACCEPTABLE, desc = "actor 2 got the permit, actor 1 found none")
    @Outcome(expect = Expect.FORBIDDEN, desc = "both got the one permit, neither got it, or the count is wrong")
    @State
    public static class TryAcquire {
        static final TwoMappings M = mappings(TryAcquire.class);
        static final RecycledObjects<Semaphore> OBJECTS = semaphores(M, 1, false);

        final RecycledObjects.Lease<Semaphore> sem = OBJECTS.claim();

        public TryAcquire() {
            sem.item.reset(1);
        }

        @Actor
        public void actor1(ZZI_Result r) {
            r.r1 = sem.item.a.tryAcquire();
        }

        @Actor
        public void actor2(ZZI_Result r) {
            r.r2 = sem.item.b.tryAcquire();
        }

        @Arbiter
        public void arbiter(ZZI_Result r) {
            r.r3 = permits(sem.item.a);
            sem.check();
        }
    }

    @JCStressTest
    @Description("A bounded semaphore of one permit (Python's BoundedSemaphore(1)); both actors tryAcquire() "
            + "through their own mappings and release() on success. A tryAcquire may fail only while the other "
            + "actor holds the permit, and the permit is back afterwards. r1, r2 = tryAcquire results, "
            + "r3 = availablePermits() afterwards.")
    @Outcome(id = "true, true, 1", expect = Expect.ACCEPTABLE, desc = "the attempts did not overlap")
    @Outcome(id = "true, false, 1", expect = Expect.ACCEPTABLE_INTERESTING, desc = "actor 2 tried while actor 1 held it")
    @Outcome(id = "false, true, 1", expect = Expect.ACCEPTABLE_INTERESTING, desc = "actor 1 tried while actor 2 held it")
    @Outcome(expect = Expect.FORBIDDEN, desc = "both failed, or the permit was lost or doubled")
    @State
    public static class TryAcquireAndRelease {
        static final TwoMappings M = mappings(TryAcquireAndRelease.class);
        static final RecycledObjects<Semaphore> OBJECTS = semaphores(M, 1, true);

        final RecycledObjects.Lease<Semaphore> sem = OBJECTS.claim();

        public TryAcquireAndRelease() {
            sem.item.reset(1);
        }

        static boolean tryAndRelease(SharedSemaphore s) {
            if (s.tryAcquire()) {
                s.release();
                return true;
            }
            return false;
        }

        @Actor
        public void actor1(ZZI_Result r) {
            r.r1 = tryAndRelease(sem.item.a);
        }

        @Actor
        public void actor2(ZZI_Result r) {
            r.r2 = tryAndRelease(sem.item.b);
        }

        @Arbiter
        public void arbiter(ZZI_Result r) {
            r.r3 = permits(sem.item.a);
            sem.check();
        }
    }

    @JCStressTest
    @Description("A semaphore of two permits; actor 1 tryAcquire(2) (mapping A), actor 2 tryAcquire() "
            + "(mapping B), each keeping what it got. The multi-permit CAS takes both or nothing: exactly one "
            + "actor succeeds. r1, r2 = tryAcquire results, r3 = availablePermits() afterwards.")
    @Outcome(id = "true, false, 0", expect = Expect.ACCEPTABLE, desc = "actor 1 took both permits first")
    @Outcome(id = "false, true, 1", expect = Expect.ACCEPTABLE, desc = "actor 2 took one first; one is not enough for actor 1")
    @Outcome(expect = Expect.FORBIDDEN, desc = "three permits taken out of two, none taken, or a wrong count")
    @State
    public static class TryAcquireSeveral {
        static final TwoMappings M = mappings(TryAcquireSeveral.class);
        static final RecycledObjects<Semaphore> OBJECTS = semaphores(M, 2, false);

        final RecycledObjects.Lease<Semaphore> sem = OBJECTS.claim();

        public TryAcquireSeveral() {
            sem.item.reset(2);
        }

        @Actor
        public void actor1(ZZI_Result r) {
            r.r1 = sem.item.a.tryAcquire(2);
        }

        @Actor
        public void actor2(ZZI_Result r) {
            r.r2 = sem.item.b.tryAcquire();
        }

        @Arbiter
        public void arbiter(ZZI_Result r) {
            r.r3 = permits(sem.item.a);
            sem.check();
        }
    }

    // ------------------------------------------------------------------ the bound

    @JCStressTest
    @Description("A bounded semaphore of one permit whose permit is taken (0 available); both actors release() "
            + "through their own mappings. One release refills it; the other would exceed maxPermits and must be "
            + "refused (IllegalStateException, count unchanged), even though both read 0 available. r1, r2 = 1 if "
            + "the release was accepted, 0 if refused; r3 = availablePermits() afterwards (-1: the count is out "
            + "of range, reported as a corrupt segment).")
    @Outcome(id = "1, 0, 1", expect = Expect.ACCEPTABLE, desc = "actor 1's release refilled it, actor 2's was refused")
    @Outcome(id = "0, 1, 1", expect = Expect.ACCEPTABLE, desc = "actor 2's release refilled it, actor 1's was refused")
    @Outcome(expect = Expect.FORBIDDEN, desc = "both accepted (count above maxPermits), both refused, or a wrong count")
    @State
    public static class BoundedReleaseRace {
        static final TwoMappings M = mappings(BoundedReleaseRace.class);
        static final RecycledObjects<Semaphore> OBJECTS = semaphores(M, 1, true);

        final RecycledObjects.Lease<Semaphore> sem = OBJECTS.claim();

        public BoundedReleaseRace() {
            sem.item.reset(0);
        }

        @Actor
        public void actor1(III_Result r) {
            r.r1 = release(sem.item.a);
        }

        @Actor
        public void actor2(III_Result r) {
            r.r2 = release(sem.item.b);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = permits(sem.item.a);
            sem.check();
        }
    }

    @JCStressTest
    @Description("A bounded semaphore of one permit, full (1 available). Actor 1 tryAcquire() (mapping A) while "
            + "actor 2 release() (mapping B). The release is accepted only if the acquire came first; a release "
            + "into the full semaphore is refused. r1 = 1 if the tryAcquire succeeded, r2 = 1 if the release was "
            + "accepted (0: refused), r3 = availablePermits() afterwards (-1: out of range).")
    @Outcome(id = "1, 1, 1", expect = Expect.ACCEPTABLE, desc = "acquired, then the release refilled it")
    @Outcome(id = "1, 0, 0", expect = Expect.ACCEPTABLE, desc = "the release found it full and was refused, then acquired")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the acquire failed on a full semaphore, the count exceeded "
            + "maxPermits, or a permit was lost")
    @State
    public static class BoundedReleaseAgainstAcquire {
        static final TwoMappings M = mappings(BoundedReleaseAgainstAcquire.class);
        static final RecycledObjects<Semaphore> OBJECTS = semaphores(M, 1, true);

        final RecycledObjects.Lease<Semaphore> sem = OBJECTS.claim();

        public BoundedReleaseAgainstAcquire() {
            sem.item.reset(1);
        }

        @Actor
        public void acquirer(III_Result r) {
            r.r1 = sem.item.a.tryAcquire() ? 1 : 0;
        }

        @Actor
        public void releaser(III_Result r) {
            r.r2 = release(sem.item.b);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = permits(sem.item.a);
            sem.check();
        }
    }

    // ------------------------------------------------------------------ wake-ups (termination)

    /** The semaphore of a termination test: one per test, reused by the states one after the other. */
    static final class SingleSemaphore {
        final SharedSemaphore a;
        final SharedSemaphore b;

        SingleSemaphore(Class<?> test) {
            TwoMappings m = TwoMappings.create(test, 1L << 20, 16);
            this.a = SharedSemaphore.create(m.a, "semaphore", 0);
            this.b = SharedSemaphore.open(m.b, "semaphore");
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("A thread blocked in acquire() on a semaphore with no permit (mapping B) must wake when another "
            + "thread releases one (mapping A): the release's futex wake must reach a sleeper on another mapping. "
            + "Wait slices are 120 s here, so a lost wake-up hangs past jcstress's 30 s limit.")
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the acquirer got the permit")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the acquirer never woke: lost wake-up")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the acquirer failed with an exception")
    @State
    public static class AcquireWokenByRelease {
        static final SingleSemaphore SEM = new SingleSemaphore(AcquireWokenByRelease.class);

        public AcquireWokenByRelease() {
            SEM.a.drainPermits(); // 0 already: each state's acquirer takes the permit its releaser gave
        }

        @Actor
        public void acquirer() throws InterruptedException {
            SEM.b.acquire();
        }

        @Signal
        public void releaser() {
            SEM.a.release();
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("A thread blocked in acquire(2) (mapping B) must wake when two release() calls (mapping A) "
            + "have made two permits available. It sleeps as a multi-permit waiter, so each release must wake "
            + "every sleeper rather than one: the first release's wake-up finds one permit, too few, and the "
            + "second release must wake it again.")
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the acquirer got both permits")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the acquirer never woke: lost wake-up")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the acquirer failed with an exception")
    @State
    public static class AcquireSeveralWokenByReleases {
        static final SingleSemaphore SEM = new SingleSemaphore(AcquireSeveralWokenByReleases.class);

        public AcquireSeveralWokenByReleases() {
            SEM.a.drainPermits();
        }

        @Actor
        public void acquirer() throws InterruptedException {
            SEM.b.acquire(2);
        }

        @Signal
        public void releaser() {
            SEM.a.release();
            SEM.a.release();
        }
    }
}
