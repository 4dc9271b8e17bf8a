package io.interproc.stress;

import io.interproc.core.Segment;
import io.interproc.core.SharedLongArray;
import io.interproc.sync.SharedLock;
import io.interproc.sync.internal.LockDescriptor;

import java.util.concurrent.TimeUnit;

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
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * {@link SharedLock} across two mappings of one segment: mutual exclusion, {@code tryLock},
 * take-over from an owner whose attachment closed (as if its process died), and futex wake-ups of
 * blocked {@code lock()} callers ({@link Mode#Termination}).
 */
public final class SharedLockStress {
    private SharedLockStress() {
    }

    /** One pooled lock, through attachment A and through attachment B. */
    static final class Lock {
        final String name;
        final SharedLock a;
        final SharedLock b;

        Lock(TwoMappings m, String name) {
            this.name = name;
            this.a = SharedLock.openOrCreate(m.a, name);
            this.b = SharedLock.open(m.b, name);
        }
    }

    static TwoMappings mappings(Class<?> test, long extraBytes) {
        return TwoMappings.create(test, RecycledObjects.segmentSize(1, LockDescriptor.SIZE, extraBytes),
                RecycledObjects.directoryEntries(1));
    }

    static void spin() {
        Thread.onSpinWait();
        Thread.yield(); // two cores shared by two actors and the harness: let the other actor run
    }

    // ------------------------------------------------------------------ mutual exclusion

    @JCStressTest
    @Description("Both actors increment a plain Java field and a shared element (get, then set + 1: racy on its "
            + "own) inside lock()/unlock(), each through its own mapping's handle of the lock. Mutual exclusion "
            + "and the lock's happens-before edge make both increments land, and the second actor sees the first's.")
    @Outcome(id = "0, 1, 2, 2", expect = Expect.ACCEPTABLE, desc = "actor 1 held the lock first")
    @Outcome(id = "1, 0, 2, 2", expect = Expect.ACCEPTABLE, desc = "actor 2 held the lock first")
    @Outcome(expect = Expect.FORBIDDEN, desc = "both were inside at once, or an increment was not visible to the next holder")
    @State
    public static class MutualExclusion {
        static final TwoMappings M = mappings(MutualExclusion.class, 8L * RecycledObjects.SIZE);
        static final SharedLongArray SHARED_A = SharedLongArray.create(M.a, "counters", RecycledObjects.SIZE);
        static final SharedLongArray SHARED_B = SharedLongArray.open(M.b, "counters");
        static final RecycledObjects<Lock> OBJECTS = new RecycledObjects<>(slot -> new Lock(M, "l" + slot));

        final RecycledObjects.Lease<Lock> lock = OBJECTS.claim();
        int plain;

        public MutualExclusion() {
            SHARED_A.set(lock.slot, 0);
        }

        private int increment(SharedLock l, SharedLongArray shared) {
            l.lock();
            try {
                int seen = plain;
                plain = seen + 1;
                long v = shared.get(lock.slot);
                shared.set(lock.slot, v + 1);
                return seen;
            } finally {
                l.unlock();
            }
        }

        @Actor
        public void actor1(IIII_Result r) {
            r.r1 = increment(lock.item.a, SHARED_A);
        }

        @Actor
        public void actor2(IIII_Result r) {
            r.r2 = increment(lock.item.b, SHARED_B);
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r3 = plain;
            r.r4 = (int) SHARED_A.get(lock.slot);
            lock.check();
        }
    }

    // ------------------------------------------------------------------ tryLock

    @JCStressTest
    @Description("Both actors tryLock() (and unlock on success) through their own mappings. A tryLock may fail "
            + "only because the other actor holds the lock at that moment.")
    @Outcome(id = "true, true", expect = Expect.ACCEPTABLE, desc = "the attempts did not overlap")
    @Outcome(id = "true, false", expect = Expect.ACCEPTABLE_INTERESTING, desc = "actor 2 tried while actor 1 held it")
    @Outcome(id = "false, true", expect = Expect.ACCEPTABLE_INTERESTING, desc = "actor 1 tried while actor 2 held it")
    @Outcome(expect = Expect.FORBIDDEN, desc = "both failed: each saw the other holding a lock only one can hold")
    @State
    public static class TryLock {
        static final TwoMappings M = mappings(TryLock.class, 0);
        static final RecycledObjects<Lock> OBJECTS = new RecycledObjects<>(slot -> new Lock(M, "l" + slot));

        final RecycledObjects.Lease<Lock> lock = OBJECTS.claim();

        static boolean tryAndRelease(SharedLock l) {
            if (l.tryLock()) {
                l.unlock();
                return true;
            }
            return false;
        }

        @Actor
        public void actor1(ZZ_Result r) {
            r.r1 = tryAndRelease(lock.item.a);
        }

        @Actor
        public void actor2(ZZ_Result r) {
            r.r2 = tryAndRelease(lock.item.b);
            lock.check();
        }
    }

    // ------------------------------------------------------------------ owner death

    @JCStressTest
    @Description("Owner death: actor 1 attaches a third time (attachment X), locks through X and closes X without "
            + "unlocking — closing frees X's process slot, so its owner id is dead, as after kill -9. Actor 2 waits "
            + "until the lock is held, then polls tryLock() through mapping B until it takes the lock over. It "
            + "must not succeed before X is closed, and once it holds the lock lockRecovered() must say so, the "
            + "recovery count must go up by one, and unlock() must clear the flag.")
    @Outcome(id = "1, 1, 1, 0", expect = Expect.ACCEPTABLE,
            desc = "taken over after X closed; recovered flag set while held, cleared by unlock; counted once")
    @Outcome(expect = Expect.FORBIDDEN, desc = "taken from a live owner, recovery not reported or not counted, or flag kept")
    @State
    public static class OwnerDeathTakeOver {
        static final TwoMappings M = mappings(OwnerDeathTakeOver.class, 0);
        static final RecycledObjects<Lock> OBJECTS = new RecycledObjects<>(slot -> new Lock(M, "l" + slot));

        final RecycledObjects.Lease<Lock> lock = OBJECTS.claim();
        final long recoveriesBefore = lock.item.b.recoveries();
        volatile boolean closing;

        @Actor
        public void owner() {
            Segment x = M.attachAnother();
            SharedLock.open(x, lock.item.name).lock();
            closing = true; // written before the close: a take-over that saw the close sees this
            x.close();
        }

        @Actor
        public void survivor(IIII_Result r) {
            SharedLock l = lock.item.b;
            while (!l.isLocked()) {
                spin();
            }
            while (!l.tryLock()) {
                spin();
            }
            r.r1 = closing ? 1 : 0;
            r.r2 = l.lockRecovered() ? 1 : 0;
            r.r3 = (int) (l.recoveries() - recoveriesBefore);
            l.unlock();
            r.r4 = l.lockRecovered() ? 1 : 0;
            lock.check();
        }
    }

    // ------------------------------------------------------------------ wake-ups (termination)

    /** The lock of a termination test: one per test, reused by the states one after the other. */
    static final class SingleLock {
        final SharedLock a;
        final SharedLock b;

        SingleLock(Class<?> test) {
            TwoMappings m = TwoMappings.create(test, 1L << 20, 16);
            this.a = SharedLock.create(m.a, "lock");
            this.b = SharedLock.open(m.b, "lock");
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("A thread blocked in lock() (through mapping B) must wake when the holder (mapping A) unlocks: "
            + "the unlock's futex wake must reach a sleeper on another mapping of the file. Wait slices are "
            + "120 s here, so a lost wake-up hangs past jcstress's 30 s limit.")
    @JCStressMeta(OutcomeSets.WaiterGetsLock.class)
    @State
    public static class LockWokenByUnlock {
        static final SingleLock LOCK = new SingleLock(LockWokenByUnlock.class);

        public LockWokenByUnlock() {
            LOCK.a.lock(); // by the harness thread, which also runs the @Signal method
        }

        @Actor
        public void waiter() {
            LOCK.b.lock();
            LOCK.b.unlock();
        }

        @Signal
        public void holder() {
            LOCK.a.unlock();
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("As LockWokenByUnlock, with the timed tryLock(1 h): it must return true when the holder unlocks.")
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the waiter got the lock")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the waiter never woke: lost wake-up")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the waiter failed, or tryLock returned false")
    @State
    public static class TimedTryLockWokenByUnlock {
        static final SingleLock LOCK = new SingleLock(TimedTryLockWokenByUnlock.class);

        public TimedTryLockWokenByUnlock() {
            LOCK.a.lock();
        }

        @Actor
        public void waiter() throws InterruptedException {
            if (!LOCK.b.tryLock(1, TimeUnit.HOURS)) {
                throw new IllegalStateException("tryLock(1 h) returned false");
            }
            LOCK.b.unlock();
        }

        @Signal
        public void holder() {
            LOCK.a.unlock();
        }
    }
}
