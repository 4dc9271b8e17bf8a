package io.interproc.sync;

import static io.interproc.sync.BarrierDescriptor.BROKEN;
import static io.interproc.sync.BarrierDescriptor.FILLING;
import static io.interproc.sync.BarrierDescriptor.TRIPPED;
import static io.interproc.sync.BarrierDescriptor.TRIPPING;
import static io.interproc.sync.BarrierDescriptor.arrived;
import static io.interproc.sync.BarrierDescriptor.entry;
import static io.interproc.sync.BarrierDescriptor.entryGeneration;
import static io.interproc.sync.BarrierDescriptor.entryOwner;
import static io.interproc.sync.BarrierDescriptor.futexValue;
import static io.interproc.sync.BarrierDescriptor.generation;
import static io.interproc.sync.BarrierDescriptor.phase;
import static io.interproc.sync.BarrierDescriptor.state;
import static io.interproc.sync.BarrierDescriptor.withPhase;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.KindMismatchException;
import io.interproc.core.NoSuchObjectException;
import io.interproc.core.ObjectExistsException;
import io.interproc.core.ObjectInitializer;
import io.interproc.core.ObjectKind;
import io.interproc.core.ObjectRegion;
import io.interproc.core.Segment;
import io.interproc.core.SharedBuffer;
import io.interproc.core.WaitLoop;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * A cyclic barrier for a fixed number of parties, which may be threads of any processes —
 * Python's {@code multiprocessing.Barrier}, with the semantics of
 * {@link java.util.concurrent.CyclicBarrier}. Layout: {@link BarrierDescriptor}.
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
 * returns normally after the action (as in {@code CyclicBarrier}, whose timeouts can be exceeded
 * by the action's duration); only a failing action or the death of the last arriver's process
 * breaks it then. A thread that calls {@code await} while the previous generation runs its action
 * waits for that generation to pass and then joins the next one, as {@code CyclicBarrier}'s
 * threads wait for its lock; if its timeout elapses first it gets {@link TimeoutException}
 * without breaking anything (it never arrived). Every wait, including the short one for a party
 * that is between claiming its place and arriving, ends at the caller's deadline and spins for at
 * most {@link WaitLoop#SPIN_NANOS} before it sleeps. A broken barrier stays broken until {@link #reset()}, which starts a
 * new generation once every party of the broken one has seen the break (or is dead).
 *
 * <p><b>Dead parties.</b> Every party that has arrived is named in the barrier by its owner id
 * (the id of its process's attachment to the segment). A waiting thread is woken when a process
 * attached to the segment dies or detaches (a liveness notice) and checks whether the processes of
 * the parties that arrived in its generation are alive; one that died breaks the barrier, so the
 * survivors get {@code BrokenBarrierException} at once — nobody hangs forever on a party killed
 * with {@code kill -9}. A process that dies before arriving is simply a party that never came, as
 * in Python: the others wait (or time out).
 *
 * <p><b>Threads and processes.</b> Any thread of any attached process may call any method;
 * blocked threads sleep in the kernel. Timeouts {@code <= 0} mean "do not wait": unless the
 * caller is the last to arrive, it breaks the barrier and gets {@code TimeoutException}. Every
 * method but {@link #parties()} and {@link #name()} throws {@link IllegalStateException} once the
 * segment is closed. At most {@value BarrierDescriptor#MAX_PARTIES} parties.
 *
 * <p><b>Memory effects:</b> actions in every party before its {@code await} happen-before the
 * barrier action, which happens-before every party's successful return from {@code await}, in
 * any process.
 */
public final class SharedBarrier {
    /** Largest number of parties a barrier can have. */
    public static final int MAX_PARTIES = BarrierDescriptor.MAX_PARTIES;

    private static final int PENDING = 0;
    private static final int PASSED = 1;
    private static final int BROKE = 2;

    /** How long a live party may seem stuck between claiming its entry and arriving. */
    private static final long CLAIM_STALL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long CLAIM_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Sleeps while another party is between its two CASes grow from this... */
    private static final long CLAIM_PAUSE_MIN_NANOS = TimeUnit.MICROSECONDS.toNanos(10);
    /** ...to this. */
    private static final long CLAIM_PAUSE_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** The barrier (by {@link #key}) whose action the current thread is running, if any. */
    private static final ThreadLocal<String> RUNNING_ACTION = new ThreadLocal<>();

    private final Segment segment;
    private final SharedBuffer buffer;
    private final ObjectRegion region;
    private final String name;
    private final int parties;
    private final Runnable action;
    private final int stateAt;
    private final int futexAt;
    private final int waitersAt;
    private final int acksAt;
    private final int entriesAt;
    private final int base;
    private final String key;

    private SharedBarrier(ObjectRegion region, Runnable action) {
        this.region = region;
        this.segment = region.segment();
        this.buffer = region.buffer();
        this.name = region.name();
        this.action = action;
        this.base = region.offset();
        region.checkStored("length", region.length(), BarrierDescriptor.size(1), Integer.MAX_VALUE);
        this.parties = (int) region.checkStored("parties", buffer.getInt(base + BarrierDescriptor.PARTIES_OFFSET),
                1, MAX_PARTIES);
        region.checkStored("length", region.length(), BarrierDescriptor.size(parties), Integer.MAX_VALUE);
        this.stateAt = base + BarrierDescriptor.STATE_OFFSET;
        this.futexAt = base + BarrierDescriptor.FUTEX_OFFSET;
        this.waitersAt = base + BarrierDescriptor.WAITERS_OFFSET;
        this.acksAt = base + BarrierDescriptor.ACKNOWLEDGEMENTS_OFFSET;
        this.entriesAt = base + BarrierDescriptor.ENTRIES_OFFSET;
        this.key = segment.path() + "#" + base;
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
     * @param parties number of parties, 1 to {@value BarrierDescriptor#MAX_PARTIES}
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
     * @param parties number of parties, 1 to {@value BarrierDescriptor#MAX_PARTIES}
     * @param action run by this handle's thread when it is the last to arrive, before anyone is
     *     released; {@code null} for none
     * @return the new barrier
     * @throws IllegalArgumentException if {@code parties} is out of range
     * @throws ObjectExistsException if the name exists
     */
    public static SharedBarrier create(Segment segment, String name, int parties, Runnable action) {
        int p = checkParties(parties);
        return new SharedBarrier(segment.createObject(name, ObjectKind.BARRIER, BarrierDescriptor.size(p), initial(p)),
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
        return new SharedBarrier(segment.openObject(name, ObjectKind.BARRIER), action);
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
        return new SharedBarrier(segment.openOrCreateObject(name, ObjectKind.BARRIER, BarrierDescriptor.size(p),
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
        return phase(currentState()) == BROKEN;
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
        long s = currentState();
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
        if (timeout == null) {
            throw new NullPointerException("timeout");
        }
        return await(TimeUnit.NANOSECONDS.convert(timeout), TimeUnit.NANOSECONDS);
    }

    private int doAwait(boolean timed, long timeoutNanos)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
        segment.ensureOpen();
        final long start = System.nanoTime();
        final int me = segment.ownerId();
        long claimWaitSince = 0;
        long lastClaimCheck = 0;
        long claimState = 0;
        long claimEntry = 0;
        long pauseNanos = 0;
        while (true) {
            long s = currentState();
            long g = generation(s);
            int phase = phase(s);
            if (phase == BROKEN) {
                throw broken();
            }
            if (phase == TRIPPED) {
                finishTrip(g);
                continue;
            }
            if (phase == TRIPPING) {
                // The generation is full: wait, as CyclicBarrier waits for its lock, to join the next.
                long left = timed ? timeoutNanos - (System.nanoTime() - start) : WaitLoop.FOREVER;
                if (!awaitChange(s, left)) {
                    throw new TimeoutException("barrier '" + name + "' timed out before this thread could arrive:"
                            + " the previous generation was still running its barrier action; timeoutNanos="
                            + timeoutNanos + ", parties=" + parties + "; the barrier is not broken");
                }
                continue;
            }
            if (Thread.interrupted()) {
                breakFilling(g);
                throw new InterruptedException();
            }
            int k = (int) region.checkStored("arrived", arrived(s), 0, parties - 1);
            int at = entriesAt + 8 * k;
            long e = buffer.getLongVolatile(at);
            int tag = entryGeneration(e);
            int owner = entryOwner(e);
            long mine = entry(g, me);
            if (owner != 0 && tag == (int) g) {
                // Another thread is arriving as number k (between its two CASes): spin for the
                // spin budget, then sleep in growing steps, never past the deadline.
                long now = System.nanoTime();
                if (claimWaitSince == 0 || claimState != s || claimEntry != e) {
                    claimWaitSince = now;
                    lastClaimCheck = now;
                    claimState = s;
                    claimEntry = e;
                    pauseNanos = 0;
                }
                long left = timed ? timeoutNanos - (now - start) : WaitLoop.FOREVER;
                if (left <= 0 && currentState() != s) {
                    continue; // our view was stale: the other party had finished arriving; look again
                }
                if (left <= 0) {
                    breakFilling(g);
                    throw new TimeoutException("barrier '" + name + "' timed out before this thread could arrive:"
                            + " the party arriving as number " + k + " (ownerId=" + owner + ") had not finished"
                            + " arriving; timeoutNanos=" + timeoutNanos + ", parties=" + parties
                            + "; the barrier is now broken");
                }
                if (now - claimWaitSince < WaitLoop.SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                if (now - lastClaimCheck < CLAIM_CHECK_NANOS) {
                    pauseNanos = Math.min(Math.max(2 * pauseNanos, CLAIM_PAUSE_MIN_NANOS), CLAIM_PAUSE_MAX_NANOS);
                    LockSupport.parkNanos(this, Math.min(pauseNanos, left));
                    continue;
                }
                lastClaimCheck = now;
                boolean dead = owner != me && !segment.isAlive(owner);
                boolean stalled = now - claimWaitSince > CLAIM_STALL_NANOS;
                if (!(dead || stalled) || currentState() != s) {
                    continue;
                }
                // It died before arriving (as if it never came), or it is stuck: take the entry.
                if (!buffer.compareAndSetLong(at, e, mine)) {
                    continue;
                }
            } else {
                if (owner != 0 && tag - (int) g > 0 && currentState() != s) {
                    continue; // our view of the state is stale
                }
                if (!buffer.compareAndSetLong(at, e, mine)) {
                    continue;
                }
            }
            claimWaitSince = 0;
            boolean last = k + 1 == parties;
            long next = last ? state(g, TRIPPING, parties) : state(g, FILLING, k + 1);
            if (!buffer.compareAndSetLong(stateAt, s, next)) {
                buffer.compareAndSetLong(at, mine, 0L); // the state moved on (broken, reset): retry
                continue;
            }
            if (last) {
                return trip(g);
            }
            long left = timed ? timeoutNanos - (System.nanoTime() - start) : WaitLoop.FOREVER;
            return awaitOutcome(g, k, left, timeoutNanos);
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
                breakTripping(g);
                acknowledge(g, parties - 1);
                throw t;
            } finally {
                RUNNING_ACTION.set(outer);
            }
        }
        if (!buffer.compareAndSetLong(stateAt, state(g, TRIPPING, parties), state(g, TRIPPED, parties))) {
            acknowledge(g, parties - 1);
            throw broken(); // the action broke it (abort/reset inside it), or we were found dead
        }
        finishTrip(g);
        return 0;
    }

    /** An arrived party, number k of generation g, waits for the generation to end. */
    private int awaitOutcome(long g, int k, long leftNanos, long timeoutNanos)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
        final int[] result = new int[1];
        WaitLoop.Attempt decided = () -> {
            long s = currentState();
            int r = outcome(s, g);
            if (r != PENDING) {
                result[0] = r;
                return WaitLoop.DONE;
            }
            return futexValue(s);
        };
        WaitLoop.SliceCheck check = () -> {
            segment.ensureOpen();
            checkParties(g);
        };
        boolean done;
        try {
            done = WaitLoop.await(segment, futexAt, waitersAt, decided, check, leftNanos);
        } catch (InterruptedException ie) {
            int r = breakOrOutcome(g);
            if (r == PENDING) {
                acknowledge(g, k);
                throw ie; // we broke it
            }
            Thread.currentThread().interrupt(); // the generation ended first: keep the interrupt for later
            return report(r, g, k);
        } catch (RuntimeException | Error e) {
            // Closed segment, corrupt state: leave as a party that gave up, so nobody waits for us.
            breakFilling(g);
            acknowledge(g, k);
            throw e;
        }
        if (!done) {
            int r = breakOrOutcome(g);
            if (r == PENDING) {
                acknowledge(g, k);
                throw new TimeoutException("barrier '" + name + "' timed out waiting for the other parties: "
                        + "timeoutNanos=" + timeoutNanos + ", parties=" + parties + "; the barrier is now broken");
            }
            return report(r, g, k);
        }
        return report(result[0], g, k);
    }

    private int report(int outcome, long g, int k) throws BrokenBarrierException {
        if (outcome == PASSED) {
            return parties - 1 - k;
        }
        acknowledge(g, k);
        throw broken();
    }

    /**
     * A party of generation g, arrived as number k, has seen that g broke: it clears its entry,
     * which lets a {@link #reset()} move past g (see {@link BarrierDescriptor}).
     */
    private void acknowledge(long g, int k) {
        if (buffer.compareAndSetLong(entriesAt + 8 * k, entry(g, segment.ownerId()), 0L)) {
            // A resetter may be waiting for this: change the word it sleeps on (an atomic update,
            // ordered before the waiter-count read), so the wake-up cannot be lost.
            buffer.getAndAddInt(acksAt, 1);
            WaitLoop.wakeIfWaiting(buffer, acksAt, waitersAt, Integer.MAX_VALUE);
        }
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
        long s = currentState();
        while (true) {
            long g = generation(s);
            int phase = phase(s);
            if (phase == TRIPPED) {
                finishTrip(g);
                s = currentState();
                continue;
            }
            boolean inOwnAction = phase == TRIPPING && key.equals(RUNNING_ACTION.get());
            if (phase == TRIPPING && !inOwnAction) {
                awaitChange(s);
                s = currentState();
                continue;
            }
            if (phase != BROKEN) {
                long b = withPhase(s, BROKEN);
                long seen = buffer.compareAndExchangeLong(stateAt, s, b);
                if (seen != s) {
                    s = seen;
                    continue;
                }
                wakeAll();
                s = b;
                if (inOwnAction) {
                    acknowledge(g, parties - 1); // this thread is the last arriver: it knows
                }
            }
            awaitAcknowledgements(s);
            clearEntries(g);
            if (buffer.compareAndSetLong(stateAt, s, state(g + 1, FILLING, 0))) {
                wakeAll();
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
            long s = currentState();
            int phase = phase(s);
            if (phase == BROKEN) {
                return;
            }
            if (phase == TRIPPED) {
                finishTrip(generation(s));
                continue;
            }
            if (phase == TRIPPING && !key.equals(RUNNING_ACTION.get())) {
                awaitChange(s);
                continue;
            }
            if (buffer.compareAndSetLong(stateAt, s, withPhase(s, BROKEN))) {
                wakeAll();
                return;
            }
        }
    }

    // ---------------------------------------------------------------- internals

    private long currentState() {
        return buffer.getLongVolatile(stateAt);
    }

    private void wakeAll() {
        WaitLoop.wakeIfWaiting(buffer, futexAt, waitersAt, Integer.MAX_VALUE);
        WaitLoop.wakeIfWaiting(buffer, acksAt, waitersAt, Integer.MAX_VALUE); // a resetter, on a state change
    }

    /** Completes a tripped generation: anyone may do it, any number of times. */
    private void finishTrip(long g) {
        clearEntries(g);
        if (buffer.compareAndSetLong(stateAt, state(g, TRIPPED, parties), state(g + 1, FILLING, 0))) {
            wakeAll();
        }
    }

    /** Frees the entries claimed in generation g (only those: later claims stay). */
    private void clearEntries(long g) {
        for (int i = 0; i < parties; i++) {
            int at = entriesAt + 8 * i;
            long e = buffer.getLongVolatile(at);
            if (entryOwner(e) != 0 && entryGeneration(e) == (int) g) {
                buffer.compareAndSetLong(at, e, 0L);
            }
        }
    }

    /** How generation g ended, as far as state s tells: PENDING while it runs. */
    private int outcome(long s, long g) {
        long sg = generation(s);
        if (sg == g) {
            switch (phase(s)) {
                case TRIPPED:
                    return PASSED;
                case BROKEN:
                    return BROKE;
                default:
                    return PENDING;
            }
        }
        if (sg > g) {
            return PASSED; // had g broken, it could not have been left before this party saw it
        }
        throw new CorruptSegmentException(region.kind() + " '" + name + "' in segment '" + segment.name()
                + "' is corrupt: generation went back from " + g + " to " + sg);
    }

    /**
     * A waiter that timed out or was interrupted: breaks generation g if parties are still
     * arriving (returns PENDING), waits out a running action, else returns how g ended.
     */
    private int breakOrOutcome(long g) {
        while (true) {
            long s = currentState();
            if (generation(s) == g && phase(s) == TRIPPING) {
                awaitChange(s); // committed: the action decides
                continue;
            }
            if (breakFilling(g)) {
                return PENDING;
            }
            int r = outcome(currentState(), g);
            if (r != PENDING) {
                return r;
            }
        }
    }

    /** Breaks generation g if it is still FILLING; true if this call broke it. */
    private boolean breakFilling(long g) {
        long s = currentState();
        while (generation(s) == g && phase(s) == FILLING) {
            long seen = buffer.compareAndExchangeLong(stateAt, s, withPhase(s, BROKEN));
            if (seen == s) {
                wakeAll();
                return true;
            }
            s = seen;
        }
        return false;
    }

    private void breakTripping(long g) {
        if (buffer.compareAndSetLong(stateAt, state(g, TRIPPING, parties), state(g, BROKEN, parties))) {
            wakeAll();
        }
    }

    /**
     * Waits until every party that arrived in the broken generation of state s has acknowledged
     * the break or belongs to a dead process (whose entry is then cleared for it), or until the
     * state changes (another reset moved on).
     */
    private void awaitAcknowledgements(long s) {
        long g = generation(s);
        int n = Math.min(arrived(s), parties);
        if (acknowledged(g, n, true)) {
            return;
        }
        // Sleep on the acknowledgement counter, read before the checks: every acknowledgement
        // changes it, so one that lands between the checks and the sleep makes the sleep return.
        WaitLoop.Attempt done = () -> {
            int acks = buffer.getIntVolatile(acksAt);
            long now = currentState();
            return now != s || acknowledged(g, n, false) ? WaitLoop.DONE : acks & 0xFFFF_FFFFL;
        };
        WaitLoop.SliceCheck check = () -> {
            segment.ensureOpen();
            acknowledged(g, n, true);
        };
        WaitLoop.awaitUninterruptibly(segment, acksAt, waitersAt, done, check, WaitLoop.FOREVER);
    }

    /** @return true if entries 0..n-1 hold no live party of generation g (dead ones cleared if asked) */
    private boolean acknowledged(long g, int n, boolean clearDead) {
        boolean all = true;
        for (int i = 0; i < n; i++) {
            int at = entriesAt + 8 * i;
            long e = buffer.getLongVolatile(at);
            int owner = entryOwner(e);
            if (owner == 0 || entryGeneration(e) != (int) g) {
                continue;
            }
            if (clearDead && !segment.isAlive(owner)) {
                buffer.compareAndSetLong(at, e, 0L);
                continue;
            }
            all = false;
            if (!clearDead) {
                return false;
            }
        }
        return all;
    }

    /** Sleeps (uninterruptibly) until the state differs from s, checking the parties of its generation. */
    private void awaitChange(long s) {
        awaitChange(s, WaitLoop.FOREVER);
    }

    /**
     * As {@link #awaitChange(long)}, for at most {@code timeoutNanos}.
     *
     * @return false if the state still equals s when the timeout elapsed
     */
    private boolean awaitChange(long s, long timeoutNanos) {
        long g = generation(s);
        WaitLoop.Attempt changed = () -> {
            long now = currentState();
            return now != s ? WaitLoop.DONE : futexValue(now);
        };
        WaitLoop.SliceCheck check = () -> {
            segment.ensureOpen();
            checkParties(g);
        };
        return WaitLoop.awaitUninterruptibly(segment, futexAt, waitersAt, changed, check, timeoutNanos);
    }

    /**
     * On a liveness notice: breaks generation g if a party that arrived in it belongs to a dead
     * process (while FILLING), or if the last arriver's process died during the action
     * (TRIPPING).
     */
    private void checkParties(long g) {
        long s = currentState();
        if (generation(s) != g) {
            return;
        }
        int phase = phase(s);
        int from;
        int to;
        if (phase == FILLING) {
            from = 0;
            to = Math.min(arrived(s), parties);
        } else if (phase == TRIPPING) {
            from = parties - 1;
            to = parties;
        } else {
            return;
        }
        int me = segment.ownerId();
        int[] checked = new int[Math.min(to - from, 16)];
        int nChecked = 0;
        for (int i = from; i < to; i++) {
            long e = buffer.getLongVolatile(entriesAt + 8 * i);
            int owner = entryOwner(e);
            if (owner == 0 || owner == me || entryGeneration(e) != (int) g) {
                continue;
            }
            boolean known = false;
            for (int j = 0; j < nChecked; j++) {
                known |= checked[j] == owner;
            }
            if (known) {
                continue;
            }
            if (!segment.isAlive(owner)) {
                if (phase == FILLING) {
                    breakFilling(g);
                } else {
                    breakTripping(g);
                }
                return;
            }
            if (nChecked == checked.length) {
                checked = Arrays.copyOf(checked, checked.length * 2);
            }
            checked[nChecked++] = owner;
        }
    }

    @Override
    public String toString() {
        return "SharedBarrier[" + segment.name() + "/" + name + ", parties=" + parties + "]";
    }
}
