package io.interproc.sync;

import static io.interproc.sync.internal.BarrierDescriptor.BROKEN;
import static io.interproc.sync.internal.BarrierDescriptor.FILLING;
import static io.interproc.sync.internal.BarrierDescriptor.TRIPPED;
import static io.interproc.sync.internal.BarrierDescriptor.TRIPPING;
import static io.interproc.sync.internal.BarrierDescriptor.arrived;
import static io.interproc.sync.internal.BarrierDescriptor.entry;
import static io.interproc.sync.internal.BarrierDescriptor.entryGeneration;
import static io.interproc.sync.internal.BarrierDescriptor.entryOwner;
import static io.interproc.sync.internal.BarrierDescriptor.generation;
import static io.interproc.sync.internal.BarrierDescriptor.phase;
import static io.interproc.sync.internal.BarrierDescriptor.state;
import static io.interproc.sync.internal.BarrierDescriptor.withPhase;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.KindMismatchException;
import io.interproc.core.NoSuchObjectException;
import io.interproc.core.ObjectExistsException;
import io.interproc.core.Segment;
import io.interproc.core.memory.Layout;
import io.interproc.core.shared.Barrier;
import io.interproc.core.spi.ObjectInitializer;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.wait.Deadline;
import io.interproc.core.wait.WaitLoop;
import io.interproc.sync.internal.BarrierDescriptor;
import io.interproc.sync.internal.BarrierState;
import io.interproc.sync.internal.BarrierState.Outcome;
import io.interproc.sync.internal.ClaimWait;
import io.interproc.sync.internal.SyncKinds;

import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cyclic barrier for a fixed number of parties, which may be threads of any processes —
 * Python's {@code multiprocessing.Barrier}, with the semantics of
 * {@link java.util.concurrent.CyclicBarrier}.
 *
 * <pre>{@code
 * // in each of 4 worker processes:
 * SharedBarrier step = SharedBarrier.openOrCreate(segment, "step", 4, () -> log("all 4 done"));
 * for (int i = 0; i < steps; i++) {
 *     compute(i);
 *     step.await();           // returns when all 4 processes have called it
 * }
 * }</pre>
 *
 * <p><b>Generations.</b> Each time all {@link #parties()} have called {@code await}, the barrier
 * <em>trips</em>: all of them return and the barrier is ready for the next round (the next
 * generation). {@code await} returns the arrival index: {@code parties() - 1} for the first to
 * arrive, down to {@code 0} for the last, as {@code CyclicBarrier} does (Python counts the other
 * way round). More threads than parties may call {@code await}; the extra ones form the next
 * generation.
 *
 * <p><b>The barrier action</b> is per process, as Python copies it into each process: each
 * process passes its own {@code Runnable} (or none) when it creates or opens the barrier. When a
 * generation trips, the action given to the handle of the <em>last</em> arriver runs, once, in
 * the last arriver's thread, before any party returns; if that handle has no action, none runs
 * for that generation — give every process the same action. An action that throws breaks the
 * barrier: the last arriver gets the action's exception, the others a
 * {@link BrokenBarrierException}.
 *
 * <p><b>Breaking.</b> The barrier breaks (every party then waiting, and every later
 * {@code await} until {@link #reset()}, gets {@link BrokenBarrierException}) when a waiting party
 * times out (it gets {@link TimeoutException}), is interrupted (it gets
 * {@link InterruptedException}), when its process dies or closes the segment while it waits, when
 * the action throws, and on {@link #abort()}. Once every party has arrived the generation is
 * committed: a timeout or interrupt during the action does not break it, and such a waiter
 * returns normally after the action (as in {@code CyclicBarrier}); only a failing action or the
 * death of the last arriver's process breaks it then. A thread that calls {@code await} while
 * the previous generation runs its action waits for that generation to pass and then joins the
 * next one; if its timeout elapses first it gets {@link TimeoutException} without breaking
 * anything (it never arrived). Every wait ends at the caller's deadline.
 *
 * <p><b>Dead parties.</b> A party whose process dies (or closes the segment) after it arrived
 * breaks the barrier, so the survivors get {@code BrokenBarrierException} promptly — nobody hangs
 * forever on a party killed with {@code kill -9}. A process that dies before arriving is simply a
 * party that never came, as in Python: the others wait (or time out).
 *
 * <p><b>Threads and processes.</b> Any thread of any attached process may call any method;
 * blocked threads sleep in the kernel. Timeouts {@code <= 0} mean "do not wait": unless the
 * caller is the last to arrive, it breaks the barrier and gets {@code TimeoutException}. Every
 * method but {@link #parties()} and {@link #name()} throws {@link IllegalStateException} once the
 * segment is closed. At most {@value #MAX_PARTIES} parties.
 *
 * <p><b>Memory effects:</b> actions in every party before its {@code await} happen-before the
 * barrier action, which happens-before every party's successful return from {@code await}, in
 * any process.
 */
public final class SharedBarrier implements Barrier {
    /*
     * Layout and protocol: BarrierDescriptor; the shared state and its waits: BarrierState.
     *
     * Arrival (doAwait) is the fast loop: read the state; party number k = arrived claims
     * entries[k] for the generation by CAS, then CASes the state arrived k -> k + 1 (the last:
     * -> TRIPPING), so every arrived party is named by its owner id. The last arriver runs its
     * action and CASes TRIPPING -> TRIPPED; then anyone moves the state to the next generation
     * and wakes all. The others sleep on the futex half of the state until their generation ends.
     *
     * Recovery sits beside that loop: a party that finds entries[k] claimed for its generation
     * but the state not yet moved waits for the claimer in ClaimWait, which takes the entry over
     * if the claimer is dead or stuck; waiters check the arrived parties' liveness on each
     * liveness notice (BarrierState.breakIfPartyDead) and break the generation for a dead one.
     *
     * Breaking and reset: a party that sees its generation broken clears its own entry (its
     * acknowledgement); reset() leaves a broken generation only once every arrived party has
     * acknowledged or is dead, so a party that finds the state past its generation knows that
     * the generation passed. A thread running this barrier's action is marked in RUNNING_ACTION,
     * so that reset() or abort() from inside the action breaks the running generation instead of
     * waiting for it.
     */

    /** Largest number of parties a barrier can have. */
    public static final int MAX_PARTIES = BarrierDescriptor.MAX_PARTIES;

    /** The barrier (by {@code key}: segment path and offset) whose action the current thread is running, if any. */
    private static final ThreadLocal<String> RUNNING_ACTION = new ThreadLocal<>();

    private final BarrierState shared;
    private final Segment segment;
    private final String name;
    private final int parties;
    private final Runnable action;
    private final String key;

    private SharedBarrier(ObjectRegion region, Runnable action) {
        this.shared = new BarrierState(region);
        this.segment = region.segment();
        this.name = region.name();
        this.parties = shared.parties();
        this.action = action;
        this.key = segment.path() + "#" + region.offset();
    }

    private static ObjectInitializer initial(int parties) {
        return (b, offset, length) -> b.setInt(offset + BarrierDescriptor.PARTIES_OFFSET, parties);
    }

    private static int checkParties(int parties) {
        if (parties < 1 || parties > MAX_PARTIES) {
            throw new IllegalArgumentException("parties must be 1 to " + MAX_PARTIES + ": parties=" + parties);
        }
        return parties;
    }

    // ---------------------------------------------------------------- factories

    /**
     * Creates a new barrier without an action in this process. Any thread may call this.
     *
     * @param segment where it lives
     * @param name its name in the segment
     * @param parties number of parties, 1 to {@value #MAX_PARTIES}
     * @return the new barrier
     * @throws IllegalArgumentException if {@code parties} is out of range
     * @throws ObjectExistsException if the name exists
     */
    public static SharedBarrier create(Segment segment, String name, int parties) {
        return create(segment, name, parties, null);
    }

    /**
     * Creates a new barrier. Any thread may call this.
     *
     * @param segment where it lives
     * @param name its name in the segment
     * @param parties number of parties, 1 to {@value #MAX_PARTIES}
     * @param action run by this handle's thread when it is the last to arrive, before anyone is
     *     released; {@code null} for none
     * @return the new barrier
     * @throws IllegalArgumentException if {@code parties} is out of range
     * @throws ObjectExistsException if the name exists
     */
    public static SharedBarrier create(Segment segment, String name, int parties, Runnable action) {
        int p = checkParties(parties);
        return new SharedBarrier(segment.createObject(name, SyncKinds.BARRIER, BarrierDescriptor.size(p), initial(p)),
                action);
    }

    /**
     * Opens an existing barrier without an action in this process. Any thread may call this.
     *
     * @param segment where it lives
     * @param name its name
     * @return the barrier
     * @throws NoSuchObjectException if there is none
     * @throws KindMismatchException if the name is another kind of object
     * @throws CorruptSegmentException if its stored party count is invalid
     */
    public static SharedBarrier open(Segment segment, String name) {
        return open(segment, name, null);
    }

    /**
     * Opens an existing barrier. Any thread may call this.
     *
     * @param segment where it lives
     * @param name its name
     * @param action run by this handle's thread when it is the last to arrive; {@code null} for
     *     none
     * @return the barrier
     * @throws NoSuchObjectException if there is none
     * @throws KindMismatchException if the name is another kind of object
     */
    public static SharedBarrier open(Segment segment, String name, Runnable action) {
        return new SharedBarrier(segment.openObject(name, SyncKinds.BARRIER), action);
    }

    /**
     * Opens the barrier, creating it if it does not exist, without an action in this process.
     * Any thread may call this.
     *
     * @param segment where it lives
     * @param name its name
     * @param parties number of parties if created; ignored if it exists (see {@link #parties()})
     * @return the barrier
     * @throws IllegalArgumentException if {@code parties} is out of range
     */
    public static SharedBarrier openOrCreate(Segment segment, String name, int parties) {
        return openOrCreate(segment, name, parties, null);
    }

    /**
     * Opens the barrier, creating it if it does not exist. Processes racing to do this get the
     * same barrier. Any thread may call this.
     *
     * @param segment where it lives
     * @param name its name
     * @param parties number of parties if created; ignored if it exists (see {@link #parties()})
     * @param action run by this handle's thread when it is the last to arrive; {@code null} for
     *     none
     * @return the barrier
     * @throws IllegalArgumentException if {@code parties} is out of range
     * @throws KindMismatchException if the name is another kind of object
     */
    public static SharedBarrier openOrCreate(Segment segment, String name, int parties, Runnable action) {
        int p = checkParties(parties);
        return new SharedBarrier(segment.openOrCreateObject(name, SyncKinds.BARRIER, BarrierDescriptor.size(p),
                initial(p)), action);
    }

    // ---------------------------------------------------------------- queries

    /** @return the object's name in its segment */
    public String name() {
        return name;
    }

    /** @return the number of parties needed to trip the barrier (fixed at creation) */
    public int parties() {
        return parties;
    }

    /**
     * Any thread may call this.
     *
     * @return true if the current generation is broken (until {@link #reset()})
     * @throws IllegalStateException if the segment is closed
     */
    public boolean isBroken() {
        segment.ensureOpen();
        return phase(shared.current()) == BROKEN;
    }

    /**
     * Any thread may call this; the answer is stale as soon as it returns (for monitoring).
     *
     * @return the parties that have arrived in the current generation and wait (all of them while
     *     the last runs the action); 0 if the barrier is broken
     * @throws IllegalStateException if the segment is closed
     */
    public int numberWaiting() {
        segment.ensureOpen();
        long s = shared.current();
        int phase = phase(s);
        return phase == FILLING || phase == TRIPPING ? arrived(s) : 0;
    }

    // ---------------------------------------------------------------- await

    /**
     * Waits until all parties have called {@code await} on this barrier. Any thread may call
     * this.
     *
     * @return the arrival index: {@code parties() - 1} for the first to arrive, 0 for the last
     * @throws InterruptedException if interrupted while waiting (the barrier is then broken) or
     *     on entry; the interrupt status is cleared
     * @throws BrokenBarrierException if the barrier is or gets broken while waiting
     * @throws IllegalStateException if the segment is or gets closed
     */
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return doAwait(false, 0);
        } catch (TimeoutException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * Waits until all parties have called {@code await}, or the timeout elapses — which breaks
     * the barrier. Any thread may call this.
     *
     * @param timeout longest wait; {@code <= 0}: do not wait (time out at once unless last)
     * @param unit its unit
     * @return the arrival index: {@code parties() - 1} for the first to arrive, 0 for the last
     * @throws TimeoutException if the timeout elapsed first; the barrier is then broken (unless
     *     it elapsed while the previous generation was still running its action: the caller had
     *     not arrived yet)
     * @throws InterruptedException if interrupted while waiting (the barrier is then broken) or
     *     on entry; the interrupt status is cleared
     * @throws BrokenBarrierException if the barrier is or gets broken while waiting
     * @throws IllegalStateException if the segment is or gets closed
     */
    public int await(long timeout, TimeUnit unit)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
        return doAwait(true, WaitLoop.toNanos(timeout, unit));
    }

    /**
     * As {@link #await(long, TimeUnit)}.
     *
     * @param timeout longest wait; zero or negative: do not wait
     * @return the arrival index: {@code parties() - 1} for the first to arrive, 0 for the last
     * @throws TimeoutException if the timeout elapsed first; the barrier is then broken
     * @throws InterruptedException if interrupted (status cleared)
     * @throws BrokenBarrierException if the barrier is or gets broken while waiting
     */
    public int await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException {
        return await(Deadline.toNanos(timeout), TimeUnit.NANOSECONDS);
    }

    private int doAwait(boolean timed, long timeoutNanos)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
        segment.ensureOpen();
        final long deadline = timed ? Deadline.deadline(timeoutNanos, TimeUnit.NANOSECONDS) : Deadline.NONE;
        final int me = segment.ownerId();
        ClaimWait claimWait = null;
        while (true) {
            long s = shared.current();
            long g = generation(s);
            int phase = phase(s);
            if (phase == BROKEN) {
                throw broken();
            }
            if (phase == TRIPPED) {
                shared.finishTrip(g);
                continue;
            }
            if (phase == TRIPPING) {
                awaitNextGeneration(s, deadline, timeoutNanos);
                continue;
            }
            if (Thread.interrupted()) {
                shared.breakFilling(g);
                throw new InterruptedException();
            }
            int k = shared.nextArrival(s);
            long e = shared.entryAt(k);
            int owner = entryOwner(e);
            long mine = entry(g, me);
            if (owner != 0 && entryGeneration(e) == (int) g) {
                // Another thread is arriving as number k (between its two CASes).
                if (claimWait == null) {
                    claimWait = new ClaimWait(shared, segment, name, timeoutNanos);
                }
                if (!claimWait.mayTakeOver(s, e, k, owner, Deadline.remaining(deadline))) {
                    continue;
                }
            } else if (owner != 0 && entryGeneration(e) - (int) g > 0 && shared.current() != s) {
                continue; // our view of the state is stale
            }
            if (!shared.compareAndSetEntry(k, e, mine)) {
                continue;
            }
            if (claimWait != null) {
                claimWait.claimed();
            }
            boolean last = k + 1 == parties;
            long next = last ? state(g, TRIPPING, parties) : state(g, FILLING, k + 1);
            if (!shared.compareAndSet(s, next)) {
                shared.compareAndSetEntry(k, mine, 0L); // the state moved on (broken, reset): retry
                continue;
            }
            if (last) {
                return trip(g);
            }
            return awaitOutcome(g, k, Deadline.remaining(deadline), timeoutNanos);
        }
    }

    /** The generation of state s is full: wait, as CyclicBarrier waits for its lock, to join the next. */
    private void awaitNextGeneration(long s, long deadline, long timeoutNanos) throws TimeoutException {
        if (!shared.awaitChange(s, Deadline.remaining(deadline))) {
            throw new TimeoutException("barrier '" + name + "' timed out before this thread could arrive:"
                    + " the previous generation was still running its barrier action; timeoutNanos="
                    + timeoutNanos + ", parties=" + parties + "; the barrier is not broken");
        }
    }

    /** The last arriver: run the action, then release everyone. */
    private int trip(long g) throws BrokenBarrierException {
        Runnable a = action;
        if (a != null) {
            String outer = RUNNING_ACTION.get();
            RUNNING_ACTION.set(key);
            try {
                a.run();
            } catch (Throwable t) {
                shared.breakTripping(g);
                shared.acknowledge(g, parties - 1);
                throw t;
            } finally {
                RUNNING_ACTION.set(outer);
            }
        }
        if (!shared.compareAndSet(state(g, TRIPPING, parties), state(g, TRIPPED, parties))) {
            shared.acknowledge(g, parties - 1);
            throw broken(); // the action broke it (abort/reset inside it), or we were found dead
        }
        shared.finishTrip(g);
        return 0;
    }

    /** An arrived party, number k of generation g, waits for the generation to end. */
    private int awaitOutcome(long g, int k, long leftNanos, long timeoutNanos)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
        Outcome outcome;
        try {
            outcome = shared.awaitEnd(g, leftNanos);
        } catch (InterruptedException ie) {
            Outcome r = shared.breakOrOutcome(g);
            if (r == Outcome.PENDING) {
                shared.acknowledge(g, k);
                throw ie; // we broke it
            }
            Thread.currentThread().interrupt(); // the generation ended first: keep the interrupt for later
            return report(r, g, k);
        } catch (RuntimeException | Error e) {
            // Closed segment, corrupt state: leave as a party that gave up, so nobody waits for us.
            shared.breakFilling(g);
            shared.acknowledge(g, k);
            throw e;
        }
        if (outcome == Outcome.PENDING) {
            outcome = shared.breakOrOutcome(g);
            if (outcome == Outcome.PENDING) {
                shared.acknowledge(g, k);
                throw new TimeoutException("barrier '" + name + "' timed out waiting for the other parties: "
                        + "timeoutNanos=" + timeoutNanos + ", parties=" + parties + "; the barrier is now broken");
            }
        }
        return report(outcome, g, k);
    }

    private int report(Outcome outcome, long g, int k) throws BrokenBarrierException {
        if (outcome == Outcome.PASSED) {
            return parties - 1 - k;
        }
        shared.acknowledge(g, k);
        throw broken();
    }

    private BrokenBarrierException broken() {
        return new BrokenBarrierException("barrier '" + name + "' is broken");
    }

    // ---------------------------------------------------------------- reset / abort

    /**
     * Breaks the current generation (threads waiting in it get {@link BrokenBarrierException})
     * and starts a new, unbroken one — Python's {@code reset()}. If the barrier is running its
     * action, waits for the generation to pass first and resets the next one (as
     * {@code CyclicBarrier} and Python do); called from inside the action, it breaks the
     * generation whose action is running. Before it starts the new generation it waits,
     * uninterruptibly, until every party of the broken one has seen the break (they are woken at
     * once, so this is short) or is found dead (checked on each liveness notice); meanwhile
     * {@code await} by other threads throws {@link BrokenBarrierException}. Any thread may call
     * this.
     *
     * @throws IllegalStateException if the segment is closed
     */
    public void reset() {
        segment.ensureOpen();
        long s = shared.current();
        while (true) {
            long g = generation(s);
            int phase = phase(s);
            if (phase == TRIPPED) {
                shared.finishTrip(g);
                s = shared.current();
                continue;
            }
            boolean inOwnAction = phase == TRIPPING && key.equals(RUNNING_ACTION.get());
            if (phase == TRIPPING && !inOwnAction) {
                shared.awaitChange(s);
                s = shared.current();
                continue;
            }
            if (phase != BROKEN) {
                long b = withPhase(s, BROKEN);
                long seen = shared.compareAndExchange(s, b);
                if (seen != s) {
                    s = seen;
                    continue;
                }
                shared.wakeAll();
                s = b;
                if (inOwnAction) {
                    shared.acknowledge(g, parties - 1); // this thread is the last arriver: it knows
                }
            }
            shared.awaitAcknowledgements(s);
            shared.clearEntries(g);
            if (shared.compareAndSet(s, state(g + 1, FILLING, 0))) {
                shared.wakeAll();
            }
            return; // else another reset advanced it
        }
    }

    /**
     * Breaks the barrier — Python's {@code abort()}: threads waiting get
     * {@link BrokenBarrierException}, and so does every later {@code await} until
     * {@link #reset()}. If the barrier is running its action, waits for that generation to pass
     * and breaks the next (called from inside the action, it breaks the running one). Does
     * nothing if already broken. Any thread may call this.
     *
     * @throws IllegalStateException if the segment is closed
     */
    public void abort() {
        segment.ensureOpen();
        while (true) {
            long s = shared.current();
            int phase = phase(s);
            if (phase == BROKEN) {
                return;
            }
            if (phase == TRIPPED) {
                shared.finishTrip(generation(s));
                continue;
            }
            if (phase == TRIPPING && !key.equals(RUNNING_ACTION.get())) {
                shared.awaitChange(s);
                continue;
            }
            if (shared.compareAndSet(s, withPhase(s, BROKEN))) {
                shared.wakeAll();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "SharedBarrier[" + segment.name() + "/" + name + ", parties=" + parties + "]";
    }
}
