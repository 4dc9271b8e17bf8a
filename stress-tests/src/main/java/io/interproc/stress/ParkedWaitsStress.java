package io.interproc.stress;

import io.interproc.core.SharedIntArray;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.value.ArrayDescriptor;
import io.interproc.core.value.CoreKinds;
import io.interproc.core.wait.ParkedWaits;
import io.interproc.core.wait.Waiter;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * {@link ParkedWaits}, the kernel wait done for a parked thread by a helper platform thread in
 * {@code futex_waitv}: a thread that registers a parked wait just before (or just after) another
 * thread changes the word and calls {@code FUTEX_WAKE(1)} must always be woken
 * ({@link Mode#Termination}). jcstress actors are platform threads; {@code ParkedWaits.await}
 * serves them with the same registry and helper as virtual threads (it does not look at the
 * caller). The waiter uses mapping B, the waker mapping A: the helper sleeps on B's address and
 * the kernel keys the shared futex by the file page. Each wait asks for an hour, so a lost
 * wake-up shows as STALE.
 */
public final class ParkedWaitsStress {
    private ParkedWaitsStress() {
    }

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    /** Words of one test's segment, through both mappings; the offsets are the same in both. */
    static final class Words {
        final SharedBuffer a;
        final SharedBuffer b;
        final int first;

        Words(Class<?> test, int count) {
            TwoMappings m = TwoMappings.create(test, 1L << 20, 16);
            SharedIntArray.create(m.a, "words", count);
            ObjectRegion region = m.b.openObject("words", CoreKinds.INT_ARRAY);
            this.a = m.a.buffer();
            this.b = m.b.buffer();
            this.first = region.offset() + ArrayDescriptor.DATA_OFFSET;
        }

        int at(int index) {
            return first + 4 * index;
        }
    }

    /** The waiter: parks until the word leaves {@code seen}. */
    static void awaitChange(SharedBuffer buffer, int at, int seen) {
        while (buffer.getIntVolatile(at) == seen) {
            ParkedWaits.await(buffer, at, seen, HOUR);
        }
    }

    /** The waker: changes the word (volatile), then wakes one sleeper. */
    static void changeAndWakeOne(SharedBuffer buffer, int at, int seen) {
        buffer.setIntVolatile(at, seen + 1);
        Waiter.get().wake(buffer, at, 1);
    }

    @JCStressTest(Mode.Termination)
    @Description("The actor registers a parked wait on a word (mapping B) with the value it read; the signal "
            + "changes the word and calls FUTEX_WAKE(1) (mapping A), before, during or after the registration. "
            + "The helper compares every new record with the word before it sleeps, and a change after that "
            + "either fails its futex_waitv (EAGAIN) or wakes it: the actor must return.")
    @JCStressMeta(OutcomeSets.ParkedWaiterReturns.class)
    @State
    public static class RegisterVersusChange {
        static final Words W = new Words(RegisterVersusChange.class, 1);
        final int seen = W.b.getIntVolatile(W.at(0));

        @Actor
        public void waiter() {
            awaitChange(W.b, W.at(0), seen);
        }

        @Signal
        public void waker() {
            changeAndWakeOne(W.a, W.at(0), seen);
        }
    }

    /**
     * Background load for {@link BusyHelper}: a thread that keeps parking on word 0 with short
     * timeouts (records cancelled all the time), and a pair that keeps word 1 changing and woken,
     * so the helper is often woken on word 1, and between two futex_waitv calls, when word 0
     * changes.
     */
    static final class Load {
        static void start(Words w) {
            daemon("parked-churn", () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (true) {
                    int v = w.b.getIntVolatile(w.at(0));
                    ParkedWaits.await(w.b, w.at(0), v, 1_000 + random.nextInt(100_000));
                }
            });
            daemon("parked-neighbour", () -> {
                while (true) {
                    int v = w.b.getIntVolatile(w.at(1));
                    awaitChange(w.b, w.at(1), v);
                }
            });
            daemon("neighbour-waker", () -> {
                while (true) {
                    changeAndWakeOne(w.a, w.at(1), w.a.getIntVolatile(w.at(1)));
                    LockSupport.parkNanos(50_000);
                }
            });
        }

        private static void daemon(String name, Runnable body) {
            Thread t = new Thread(body, name);
            t.setDaemon(true);
            t.start();
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("As RegisterVersusChange, while other threads keep the helper busy: one parks on the same word "
            + "with timeouts of 1 to 100 us (its records are cancelled concurrently with the wake-up), and a "
            + "neighbour word of the same helper changes and is woken every 50 us (futex_waitv reports only one "
            + "woken entry). The actor must return.")
    @JCStressMeta(OutcomeSets.ParkedWaiterReturns.class)
    @State
    public static class BusyHelper {
        static final Words W = new Words(BusyHelper.class, 2);

        static {
            Load.start(W);
        }

        final int seen = W.b.getIntVolatile(W.at(0));

        @Actor
        public void waiter() {
            awaitChange(W.b, W.at(0), seen);
        }

        @Signal
        public void waker() {
            changeAndWakeOne(W.a, W.at(0), seen);
        }
    }
}
