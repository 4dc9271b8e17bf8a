package io.interproc.stress;

import io.interproc.core.SharedLong;
import io.interproc.core.value.ValueDescriptor;
import io.interproc.sync.SharedCondition;
import io.interproc.sync.SharedLock;
import io.interproc.sync.SharedReentrantLock;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@link SharedCondition} across two mappings of one segment: a waiter on mapping B, a signaller
 * on mapping A. The predicate is a shared value written under the lock; waiters loop on it, as
 * the {@code Condition} contract asks.
 */
public final class SharedConditionStress {
    private SharedConditionStress() {
    }

    /** A lock, a condition bound to it and a flag, through attachment A and through attachment B. */
    static final class Parts {
        final SharedLock lockA;
        final SharedLock lockB;
        final SharedCondition condA;
        final SharedCondition condB;
        final SharedLong flagA;
        final SharedLong flagB;

        Parts(TwoMappings m, String suffix) {
            lockA = SharedLock.openOrCreate(m.a, "l" + suffix);
            lockB = SharedLock.open(m.b, "l" + suffix);
            condA = lockA.newCondition("c" + suffix);
            condB = SharedCondition.open(m.b, "c" + suffix, lockB);
            flagA = SharedLong.openOrCreate(m.a, "f" + suffix);
            flagB = SharedLong.open(m.b, "f" + suffix);
        }
    }

    /** Waits through mapping B until the flag is set. @return how many times await() returned */
    static int awaitFlag(Parts p) throws InterruptedException {
        int wakeUps = 0;
        p.lockB.lock();
        try {
            while (p.flagB.get() == 0) {
                p.condB.await();
                wakeUps++;
            }
        } finally {
            p.lockB.unlock();
        }
        return wakeUps;
    }

    /** Sets the flag and signals through mapping A. */
    static void setFlagAndSignal(Parts p, boolean all) {
        p.lockA.lock();
        try {
            p.flagA.set(1);
            if (all) {
                p.condA.signalAll();
            } else {
                p.condA.signal();
            }
        } finally {
            p.lockA.unlock();
        }
    }

    // ------------------------------------------------------------------ signal vs. await

    @JCStressTest
    @Description("Actor 1 awaits (mapping B) until a flag is set; actor 2 sets it and signals (mapping A), both "
            + "under the lock. Actor 1 must return, having waited zero times (the flag was already set) or "
            + "woken by the signal; r2 is the number of waiters the signaller saw.")
    @Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "the signaller came first; the waiter never waited")
    @Outcome(id = "1, 1", expect = Expect.ACCEPTABLE_INTERESTING, desc = "the waiter waited and the signal woke it")
    @Outcome(expect = Expect.FORBIDDEN, desc = "extra wake-ups with no dead waiter, or a wrong waiter count")
    @State
    public static class SignalWakesAwait {
        static final TwoMappings M = TwoMappings.create(SignalWakesAwait.class,
                RecycledObjects.segmentSize(3, ValueDescriptor.SIZE, 0), RecycledObjects.directoryEntries(3));
        static final RecycledObjects<Parts> OBJECTS =
                new RecycledObjects<>(slot -> new Parts(M, Integer.toString(slot)));

        final RecycledObjects.Lease<Parts> parts = OBJECTS.claim();

        public SignalWakesAwait() {
            parts.item.flagA.set(0);
        }

        @Actor
        public void waiter(II_Result r) {
            r.r1 = Unchecked.get(() -> awaitFlag(parts.item));
        }

        @Actor
        public void signaller(II_Result r) {
            Parts p = parts.item;
            p.lockA.lock();
            try {
                r.r2 = p.condA.waiterCount();
                p.flagA.set(1);
                p.condA.signal();
            } finally {
                p.lockA.unlock();
            }
            parts.check();
        }
    }

    // ------------------------------------------------------------------ wake-ups (termination)

    @JCStressTest(Mode.Termination)
    @Description("A thread in await() through mapping B must return after a signal() through mapping A. Wait "
            + "slices are 120 s here, so a lost wake-up hangs past jcstress's 30 s limit.")
    @JCStressMeta(OutcomeSets.AwaitWokenBySignal.class)
    @State
    public static class AwaitWokenBySignal {
        static final Parts PARTS = new Parts(TwoMappings.create(AwaitWokenBySignal.class, 1L << 20, 16), "");

        public AwaitWokenBySignal() {
            PARTS.flagA.set(0);
        }

        @Actor
        public void waiter() throws InterruptedException {
            awaitFlag(PARTS);
        }

        @Signal
        public void signaller() {
            setFlagAndSignal(PARTS, false);
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("As AwaitWokenBySignal, with signalAll().")
    @JCStressMeta(OutcomeSets.AwaitWokenBySignal.class)
    @State
    public static class AwaitWokenBySignalAll {
        static final Parts PARTS = new Parts(TwoMappings.create(AwaitWokenBySignalAll.class, 1L << 20, 16), "");

        public AwaitWokenBySignalAll() {
            PARTS.flagA.set(0);
        }

        @Actor
        public void waiter() throws InterruptedException {
            awaitFlag(PARTS);
        }

        @Signal
        public void signaller() {
            setFlagAndSignal(PARTS, true);
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("A condition bound to a SharedReentrantLock: the waiter (mapping B) holds the lock twice, await() "
            + "releases both holds so the signaller (mapping A) can get in, and gives both back on return.")
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the waiter returned with its two holds")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the waiter never woke, or the signaller never got the lock")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the waiter failed, or came back with the wrong hold count")
    @State
    public static class ReentrantAwaitWokenBySignal {
        static final TwoMappings M = TwoMappings.create(ReentrantAwaitWokenBySignal.class, 1L << 20, 16);
        static final SharedReentrantLock LOCK_A = SharedReentrantLock.create(M.a, "lock");
        static final SharedReentrantLock LOCK_B = SharedReentrantLock.open(M.b, "lock");
        static final SharedCondition COND_A = SharedCondition.create(M.a, "cond", LOCK_A);
        static final SharedCondition COND_B = SharedCondition.open(M.b, "cond", LOCK_B);
        static final SharedLong FLAG_A = SharedLong.create(M.a, "flag");
        static final SharedLong FLAG_B = SharedLong.open(M.b, "flag");

        public ReentrantAwaitWokenBySignal() {
            FLAG_A.set(0);
        }

        @Actor
        public void waiter() throws InterruptedException {
            LOCK_B.lock();
            LOCK_B.lock();
            try {
                while (FLAG_B.get() == 0) {
                    COND_B.await();
                }
                if (LOCK_B.getHoldCount() != 2) {
                    throw new IllegalStateException("hold count after await() was " + LOCK_B.getHoldCount());
                }
            } finally {
                LOCK_B.unlock();
                LOCK_B.unlock();
            }
        }

        @Signal
        public void signaller() {
            LOCK_A.lock();
            try {
                FLAG_A.set(1);
                COND_A.signal();
            } finally {
                LOCK_A.unlock();
            }
        }
    }
}
