package io.interproc.stress;

import io.interproc.sync.SharedReentrantLock;
import io.interproc.sync.internal.ReentrantLockDescriptor;

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
import org.openjdk.jcstress.infra.results.IIIII_Result;

/**
 * {@link SharedReentrantLock} across two mappings of one segment: nested acquisition with mutual
 * exclusion, and the wake-up of a blocked {@code lock()} only after the last of several holds is
 * released ({@link Mode#Termination}).
 */
public final class SharedReentrantLockStress {
    private SharedReentrantLockStress() {
    }

    /** One pooled lock, through attachment A and through attachment B. */
    static final class Lock {
        final SharedReentrantLock a;
        final SharedReentrantLock b;

        Lock(TwoMappings m, String name) {
            this.a = SharedReentrantLock.openOrCreate(m.a, name);
            this.b = SharedReentrantLock.open(m.b, name);
        }
    }

    // ------------------------------------------------------------------ reentry

    @JCStressTest
    @Description("Each actor, through its own mapping, locks twice, increments a plain field, and unlocks twice, "
            + "recording getHoldCount() after each step. Holds are per thread and attachment: the second lock() "
            + "must not wait, the counts must be 2 then 1 then 0, and the actors must exclude each other.")
    @Outcome(id = "0, 1, 210, 210, 2", expect = Expect.ACCEPTABLE, desc = "actor 1 held the lock first")
    @Outcome(id = "1, 0, 210, 210, 2", expect = Expect.ACCEPTABLE, desc = "actor 2 held the lock first")
    @Outcome(expect = Expect.FORBIDDEN, desc = "wrong hold counts, both inside at once, or a lost increment")
    @State
    public static class Reentry {
        static final TwoMappings M = TwoMappings.create(Reentry.class,
                RecycledObjects.segmentSize(1, ReentrantLockDescriptor.SIZE, 0), RecycledObjects.directoryEntries(1));
        static final RecycledObjects<Lock> OBJECTS = new RecycledObjects<>(slot -> new Lock(M, "r" + slot));

        final RecycledObjects.Lease<Lock> lock = OBJECTS.claim();
        int plain;

        public Reentry() {
            // a constructor makes jcstress create a new state instead of zeroing the fields
        }

        /** @return the value seen, and the hold counts after lock-lock, unlock, unlock as digits */
        private int[] nested(SharedReentrantLock l) {
            l.lock();
            try {
                l.lock();
                int holds;
                int seen;
                try {
                    holds = l.getHoldCount();
                    seen = plain;
                    plain = seen + 1;
                } finally {
                    l.unlock();
                }
                holds = holds * 10 + l.getHoldCount();
                return new int[] {seen, holds};
            } finally {
                l.unlock();
            }
        }

        @Actor
        public void actor1(IIIII_Result r) {
            SharedReentrantLock l = lock.item.a;
            int[] x = nested(l);
            r.r1 = x[0];
            r.r3 = x[1] * 10 + l.getHoldCount();
        }

        @Actor
        public void actor2(IIIII_Result r) {
            SharedReentrantLock l = lock.item.b;
            int[] x = nested(l);
            r.r2 = x[0];
            r.r4 = x[1] * 10 + l.getHoldCount();
        }

        @Arbiter
        public void arbiter(IIIII_Result r) {
            r.r5 = plain;
            lock.check();
        }
    }

    // ------------------------------------------------------------------ wake-up after the last release

    @JCStressTest(Mode.Termination)
    @Description("The holder (mapping A) holds the lock twice; a thread blocked in lock() through mapping B must "
            + "wake when the second unlock() frees it. Wait slices are 120 s here, so a lost wake-up hangs.")
    @JCStressMeta(OutcomeSets.WaiterGetsLock.class)
    @State
    public static class WokenByLastUnlock {
        static final Lock LOCK = new Lock(TwoMappings.create(WokenByLastUnlock.class, 1L << 20, 16), "lock");

        public WokenByLastUnlock() {
            LOCK.a.lock(); // by the harness thread, which also runs the @Signal method
            LOCK.a.lock();
        }

        @Actor
        public void waiter() {
            LOCK.b.lock();
            int holds = LOCK.b.getHoldCount();
            LOCK.b.unlock();
            if (holds != 1) {
                throw new IllegalStateException("hold count after lock() was " + holds + ", expected 1");
            }
        }

        @Signal
        public void holder() {
            LOCK.a.unlock();
            LOCK.a.unlock();
        }
    }
}
