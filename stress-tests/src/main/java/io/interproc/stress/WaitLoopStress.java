package io.interproc.stress;

import io.interproc.core.Segment;
import io.interproc.core.SharedIntArray;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.value.ArrayDescriptor;
import io.interproc.core.value.CoreKinds;
import io.interproc.core.wait.WaitLoop;

import java.util.concurrent.TimeUnit;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * {@link WaitLoop}'s own wake-ups besides the futex word: a liveness notice
 * ({@link WaitLoop#wakeSleepers}), an interrupt, and the close of the attachment, each racing a
 * thread that is about to sleep ({@link Mode#Termination}: the sleeper must always return). The
 * futex word itself never changes here, so only the notice, interrupt or close can end the wait;
 * there are no wait slices (futex_waitv), so a lost one hangs past jcstress's 30 s limit.
 *
 * <p>The signaller of the notice and interrupt tests first waits (at most 10 s) until the sleeper
 * is counted in the word's waiter count: a thread is registered for notices before it increments
 * that count, and a notice sent before a thread registered is rightly not seen. From then until
 * the thread is in the kernel (its re-check, the liveness hook, reading its kick word) every
 * moment is fair game for the race.
 */
public final class WaitLoopStress {
    private WaitLoopStress() {
    }

    /** One futex word and its waiter count, seen through mapping B (the sleeper's). */
    static final class Word {
        final TwoMappings m;
        final SharedBuffer b;
        final int word;
        final int waiters;

        Word(Class<?> test) {
            this.m = TwoMappings.create(test, 1L << 20, 16);
            SharedIntArray.create(m.a, "w", 2);
            ObjectRegion region = m.b.openObject("w", CoreKinds.INT_ARRAY);
            this.b = region.buffer();
            this.word = region.offset() + ArrayDescriptor.DATA_OFFSET;
            this.waiters = word + 4;
        }

        /** @return threads registered as sleepers on the word (any mapping) */
        int sleepers() {
            return b.getIntVolatile(waiters);
        }

        /** An attempt that never succeeds unless {@code done[0]}: sleeps on the word's value (0). */
        WaitLoop.Attempt attempt(boolean[] done) {
            return () -> done[0] ? WaitLoop.DONE : b.getIntVolatile(word) & 0xFFFF_FFFFL;
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("A thread waits (uninterruptibly, no deadline) through mapping B on a word nobody changes; its "
            + "check, which runs only on a liveness notice, lets the next attempt succeed. Once the thread is "
            + "counted as a waiter, another thread calls wakeSleepers(B's buffer). The notice must reach it "
            + "wherever it is between registering and sleeping in the kernel.")
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the notice woke the sleeper and its check ran")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the sleeper missed the notice: lost wake-up")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the sleeper failed with an exception")
    @State
    public static class NoticeWakesSleeper {
        static final Word W = new Word(NoticeWakesSleeper.class);

        @Actor
        public void sleeper() {
            boolean[] done = {false};
            WaitLoop.awaitUninterruptibly(W.m.b, W.word, W.waiters, W.attempt(done), () -> done[0] = true,
                    WaitLoop.FOREVER);
        }

        @Signal
        public void notifier() {
            SharedEventStress.waitFor(() -> W.sleepers() > 0);
            WaitLoop.wakeSleepers(W.b);
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("As NoticeWakesSleeper, with a timed wait (1 h, an absolute CLOCK_MONOTONIC deadline in the "
            + "kernel): the notice must end it, and the wait must report success, not a timeout.")
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the notice woke the sleeper and it succeeded")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the sleeper missed the notice: lost wake-up")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the sleeper failed, or returned false")
    @State
    public static class NoticeWakesTimedSleeper {
        static final Word W = new Word(NoticeWakesTimedSleeper.class);

        @Actor
        public void sleeper() throws InterruptedException {
            boolean[] done = {false};
            if (!WaitLoop.await(W.m.b, W.word, W.waiters, W.attempt(done), () -> done[0] = true,
                    TimeUnit.HOURS.toNanos(1))) {
                throw new IllegalStateException("await(1 h) returned false");
            }
        }

        @Signal
        public void notifier() {
            SharedEventStress.waitFor(() -> W.sleepers() > 0);
            WaitLoop.wakeSleepers(W.b);
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("A thread waits interruptibly (no deadline) on a word nobody changes. Once it is counted as a "
            + "waiter, another thread interrupts it. Thread.interrupt() does not end a system call by itself: "
            + "WaitLoop must turn it into a wake-up wherever the thread is between registering and sleeping.")
    @JCStressMeta(OutcomeSets.InterruptEndsSleep.class)
    @State
    public static class InterruptWakesSleeper {
        static final Word W = new Word(InterruptWakesSleeper.class);

        volatile Thread sleeperThread;

        @Actor
        public void sleeper() {
            sleeperThread = Thread.currentThread();
            boolean[] done = {false};
            try {
                WaitLoop.await(W.m.b, W.word, W.waiters, W.attempt(done), WaitLoop.SliceCheck.NONE, WaitLoop.FOREVER);
            } catch (InterruptedException expected) {
                return;
            }
            throw new IllegalStateException("await returned without the interrupt");
        }

        @Signal
        public void interrupter() {
            SharedEventStress.waitFor(() -> sleeperThread != null && W.sleepers() > 0);
            sleeperThread.interrupt();
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("As InterruptWakesSleeper, but the interrupt comes as soon as the sleeper started, anywhere "
            + "in its fast path, spin, registration or sleep.")
    @JCStressMeta(OutcomeSets.InterruptEndsSleep.class)
    @State
    public static class EarlyInterruptWakesSleeper {
        static final Word W = new Word(EarlyInterruptWakesSleeper.class);

        volatile Thread sleeperThread;

        @Actor
        public void sleeper() {
            sleeperThread = Thread.currentThread();
            boolean[] done = {false};
            try {
                WaitLoop.await(W.m.b, W.word, W.waiters, W.attempt(done), WaitLoop.SliceCheck.NONE, WaitLoop.FOREVER);
            } catch (InterruptedException expected) {
                return;
            }
            throw new IllegalStateException("await returned without the interrupt");
        }

        @Signal
        public void interrupter() {
            SharedEventStress.waitFor(() -> sleeperThread != null);
            sleeperThread.interrupt();
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("A thread waits uninterruptibly (no deadline) through a third attachment of the segment, with "
            + "the usual check (ensureOpen). Another thread closes that attachment, at any moment: before the "
            + "wait, while it registers, or while it sleeps. The waiter must end with IllegalStateException: "
            + "close() notifies sleepers that registered before it, and a thread registering later finds the "
            + "closed flag.")
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the waiter ended with IllegalStateException")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the waiter slept through the close")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the waiter failed otherwise, or returned normally")
    @State
    public static class CloseWakesSleeper {
        static final Word W = new Word(CloseWakesSleeper.class);

        final Segment mine = W.m.attachAnother();

        @Actor
        public void sleeper() {
            boolean[] done = {false};
            SharedBuffer b = mine.buffer();
            try {
                WaitLoop.awaitUninterruptibly(mine, W.word, W.waiters,
                        () -> done[0] ? WaitLoop.DONE : b.getIntVolatile(W.word) & 0xFFFF_FFFFL, mine::ensureOpen,
                        WaitLoop.FOREVER);
            } catch (IllegalStateException expected) {
                return;
            }
            throw new IllegalStateException("await returned on a closed attachment");
        }

        @Signal
        public void closer() {
            mine.close();
        }
    }
}
