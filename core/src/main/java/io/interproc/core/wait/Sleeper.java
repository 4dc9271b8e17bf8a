package io.interproc.core.wait;

import io.interproc.core.memory.SharedBuffer;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread of this JVM in the sleeping phase of {@link WaitLoop}, and the JVM-wide registry of
 * them that {@link WaitLoop#wakeSleepers} walks.
 *
 * <p>Each sleeper has two counters:
 * <ul>
 *   <li>its <b>kick word</b>: anything that must end its current sleep (a liveness notice, an
 *       interrupt) increments it, then wakes the thread ({@link #kick()}). For a platform thread it
 *       is an int in native memory, so that the kernel can sleep on it together with the shared
 *       word ({@link FutexWaiter}); for a virtual thread a Java field, and the wake is an unpark;</li>
 *   <li>its <b>notice count</b>: incremented by {@link #noticeAll} only, before the kick, so that
 *       the thread can tell a liveness notice (run the {@link WaitLoop.SliceCheck}) from an interrupt
 *       kick (do not).</li>
 * </ul>
 * The thread reads the kick word, then the notice count, then checks its condition, then sleeps
 * with the kick word's value as the expected one; a notifier increments the notice count, then
 * the kick word. Hence a notice that the thread's read missed changes the kick word after the
 * thread read it, and the sleep returns at once or is woken.
 *
 * <p>Registration ({@link #enter}) adds the sleeper to the registry, then makes a full fence
 * before the caller's first check; {@link #noticeAll} makes a full fence before it walks the
 * registry. So of a thread that registers and a notifier that publishes an event (a closed flag,
 * say) and then calls {@code noticeAll}, either the notifier finds the thread or the thread's
 * check sees the event.
 *
 * <p><b>Interrupts.</b> {@code Thread.interrupt()} does not end a system call. While a platform
 * thread sleeps in the kernel, it is registered as the thread's blocker through
 * {@link AbstractInterruptibleChannel#begin()} (the documented mechanism by which an interrupt
 * closes an interruptible channel): the interrupting thread then calls
 * {@link InterruptHook#implCloseChannel()}, which kicks the sleeper. {@code begin()} also handles an
 * interrupt that came before it. No thread polls, and the interrupt is seen at once. A closed hook
 * is replaced at the next sleep. (A thread has one such blocker at a time: were a wait started
 * from inside another channel's {@code begin()}/{@code end()} in the same thread, that channel
 * would not be closed by an interrupt during the rest of its operation. interproc never does so.)
 *
 * <p>Package-private. Fields written by the owning thread only, except where marked.
 */
final class Sleeper {
    /** Offset of the kick word in {@link #scratch()}; {@link FutexWaiter} uses the rest. */
    static final int KICK_AT = 0;
    /** Bytes of scratch memory per platform thread. */
    static final int SCRATCH_SIZE = 128;

    private static final Set<Sleeper> SLEEPING = ConcurrentHashMap.newKeySet();
    /** The sleeper of each platform thread, reused by its waits. */
    private static final ThreadLocal<Sleeper> CURRENT = new ThreadLocal<>();
    private static final AtomicIntegerFieldUpdater<Sleeper> NOTICES =
            AtomicIntegerFieldUpdater.newUpdater(Sleeper.class, "notices");
    private static final AtomicIntegerFieldUpdater<Sleeper> PARKED_KICKS =
            AtomicIntegerFieldUpdater.newUpdater(Sleeper.class, "parkedKicks");

    private final Thread thread;
    /** Kick word and futex_waitv scratch (platform threads); null for a virtual thread. */
    private final SharedBuffer scratch;
    /** Liveness notices received; written by notifiers. */
    private volatile int notices;
    /** The kick word of a virtual thread; written by notifiers. */
    private volatile int parkedKicks;
    /** The mapping it sleeps on, null between waits; read by notifiers. */
    private volatile SharedBuffer on;
    /** Address of the shared word while in a fallback FUTEX_WAIT, else 0; read by notifiers. */
    private volatile long sleepingAddress;
    private boolean active;
    private int noticesHandled;
    private InterruptHook hook;

    private Sleeper(Thread thread, boolean virtual) {
        this.thread = thread;
        this.scratch = virtual ? null : new SharedBuffer(ByteBuffer.allocateDirect(SCRATCH_SIZE));
    }

    /**
     * Registers the calling thread as sleeping on {@code buffer}. Every notice sent to
     * {@code buffer} after this returns is seen by {@link #takeNotice()}.
     *
     * @param buffer the mapping of the word it will sleep on
     * @return the sleeper; call {@link #exit()} in a {@code finally} block
     */
    static Sleeper enter(SharedBuffer buffer) {
        Thread t = Thread.currentThread();
        Sleeper s;
        if (ParkedWaits.isVirtual(t)) {
            s = new Sleeper(t, true); // no native memory per virtual thread
        } else {
            s = CURRENT.get();
            if (s == null) {
                s = new Sleeper(t, false);
                CURRENT.set(s);
            } else if (s.active) {
                s = new Sleeper(t, false); // a wait inside a wait (from a check): its own words
            }
        }
        s.active = true;
        s.noticesHandled = s.notices;
        s.on = buffer;
        SLEEPING.add(s);
        VarHandle.fullFence();
        return s;
    }

    /** Unregisters; later notices are not seen by this wait. */
    void exit() {
        SLEEPING.remove(this);
        on = null;
        active = false;
    }

    /**
     * Sends a liveness notice to every registered sleeper on {@code buffer}. Call it after
     * publishing whatever the notice is about.
     *
     * @param buffer a segment's mapping
     */
    static void noticeAll(SharedBuffer buffer) {
        VarHandle.fullFence();
        for (Sleeper s : SLEEPING) {
            if (s.on == buffer) {
                NOTICES.incrementAndGet(s);
                s.kick();
            }
        }
    }

    /** @return the number of threads of this JVM registered as sleeping (for tests and monitoring) */
    static int registered() {
        return SLEEPING.size();
    }

    /** @return the calling thread's current kick count (volatile read) */
    int kicks() {
        return scratch != null ? scratch.getIntVolatile(KICK_AT) : parkedKicks;
    }

    /** @return true, once per notice batch, if a notice arrived since registration or the last true */
    boolean takeNotice() {
        int n = notices;
        if (n != noticesHandled) {
            noticesHandled = n;
            return true;
        }
        return false;
    }

    /** Increments the kick word and wakes the thread if it sleeps. Any thread may call it. */
    void kick() {
        if (scratch == null) {
            PARKED_KICKS.incrementAndGet(this);
            LockSupport.unpark(thread);
            return;
        }
        scratch.getAndAddInt(KICK_AT, 1);
        WaitLoop.waiter().kick(this);
    }

    /**
     * One sleep of {@link WaitLoop}: until the word no longer holds {@code expected}, a wake-up, a
     * kick after {@code kicksSeen} was read, the timeout, an interrupt, or spuriously. (An
     * uninterruptible wait wakes on an interrupt too: it clears the status, remembers it, and
     * sleeps again, so that the status never keeps a parking sleep from blocking.)
     *
     * @param nanos longest sleep, positive; {@link Long#MAX_VALUE} for no limit
     */
    void sleep(SharedBuffer buffer, int word, int expected, int kicksSeen, long nanos) {
        if (scratch == null) {
            // Virtual thread: never block in native code. The unpark of a kick after kicksSeen was
            // read either comes before this check, or leaves the park permit set.
            if (kicks() == kicksSeen) {
                ParkedWaits.await(buffer, word, expected, nanos);
            }
            return;
        }
        Waiter waiter = WaitLoop.waiter();
        if (!waiter.needsInterruptKick()) {
            waiter.await(buffer, word, expected, this, kicksSeen, nanos);
            return;
        }
        InterruptHook h = hook;
        if (h == null || !h.isOpen()) {
            hook = h = new InterruptHook(this);
        }
        h.enter();
        try {
            waiter.await(buffer, word, expected, this, kicksSeen, nanos);
        } finally {
            h.leave();
        }
    }

    Thread thread() {
        return thread;
    }

    /** @return the kick word and futex_waitv scratch memory (platform threads only) */
    SharedBuffer scratch() {
        return scratch;
    }

    long sleepingAddress() {
        return sleepingAddress;
    }

    void setSleepingAddress(long address) {
        sleepingAddress = address;
    }

    /**
     * Turns an interrupt of the sleeping thread into a kick (see the class comment). Never used
     * for I/O: {@code begin()} and {@code end()} only bracket one sleep.
     */
    private static final class InterruptHook extends AbstractInterruptibleChannel {
        private final Sleeper sleeper;

        InterruptHook(Sleeper sleeper) {
            this.sleeper = sleeper;
        }

        void enter() {
            begin();
        }

        void leave() {
            try {
                end(true);
            } catch (AsynchronousCloseException closedByInterrupt) {
                // The interrupt status is set; WaitLoop deals with it. The hook is closed now.
            }
        }

        /** Called by {@code Thread.interrupt()} (in the interrupting thread) while the sleeper is blocked. */
        @Override
        protected void implCloseChannel() throws IOException {
            sleeper.kick();
        }
    }
}
