package io.interproc.sync.internal;

import static io.interproc.sync.internal.BarrierDescriptor.BROKEN;
import static io.interproc.sync.internal.BarrierDescriptor.FILLING;
import static io.interproc.sync.internal.BarrierDescriptor.TRIPPED;
import static io.interproc.sync.internal.BarrierDescriptor.TRIPPING;
import static io.interproc.sync.internal.BarrierDescriptor.arrived;
import static io.interproc.sync.internal.BarrierDescriptor.entry;
import static io.interproc.sync.internal.BarrierDescriptor.entryGeneration;
import static io.interproc.sync.internal.BarrierDescriptor.entryOwner;
import static io.interproc.sync.internal.BarrierDescriptor.futexValue;
import static io.interproc.sync.internal.BarrierDescriptor.generation;
import static io.interproc.sync.internal.BarrierDescriptor.phase;
import static io.interproc.sync.internal.BarrierDescriptor.state;
import static io.interproc.sync.internal.BarrierDescriptor.withPhase;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.Segment;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.wait.WaitLoop;

import java.util.Arrays;

/**
 * The shared state of one {@link io.interproc.sync.SharedBarrier} ({@link BarrierDescriptor}):
 * the state word and its generations, the arrival entries, the waits on them, and the recovery
 * from dead parties ({@link #breakIfPartyDead}, run on liveness notices). The barrier's public
 * class runs the arrival loop and the action on top of it. Thread-safe; no mutable state of its
 * own.
 */
public final class BarrierState {
    /*
     * How a generation ends, for a party that arrived in it: the state word says so while it is
     * the current generation (TRIPPED passed, BROKEN broke); a state already past the party's
     * generation means it passed, because a broken generation is only left by reset() once every
     * arrived party has acknowledged the break (cleared its entry) or is dead. Every wake-up of a
     * state change wakes both sleepers on the futex half of the state and a resetter sleeping on
     * the acknowledgement counter.
     */

    /** How a generation ended, as far as one party can tell. */
    public enum Outcome {
        /** Not yet: parties are still arriving, or the action runs. */
        PENDING,
        /** The generation tripped. */
        PASSED,
        /** The generation broke. */
        BROKE
    }

    private final Segment segment;
    private final SharedBuffer buffer;
    private final ObjectRegion region;
    private final String name;
    private final int parties;
    private final int stateAt;
    private final int futexAt;
    private final int waitersAt;
    private final int acksAt;
    private final int base;

    /**
     * @param region the barrier's object
     * @throws CorruptSegmentException if its stored length or party count is invalid
     */
    public BarrierState(ObjectRegion region) {
        this.region = region;
        this.segment = region.segment();
        this.buffer = region.buffer();
        this.name = region.name();
        this.base = region.offset();
        region.checkStored("length", region.length(), BarrierDescriptor.size(1), Integer.MAX_VALUE);
        this.parties = (int) region.checkStored("parties", buffer.getInt(base + BarrierDescriptor.PARTIES_OFFSET),
                1, BarrierDescriptor.MAX_PARTIES);
        region.checkStored("length", region.length(), BarrierDescriptor.size(parties), Integer.MAX_VALUE);
        this.stateAt = base + BarrierDescriptor.STATE_OFFSET;
        this.futexAt = base + BarrierDescriptor.FUTEX_OFFSET;
        this.waitersAt = base + BarrierDescriptor.WAITERS_OFFSET;
        this.acksAt = base + BarrierDescriptor.ACKNOWLEDGEMENTS_OFFSET;
    }

    // ---------------------------------------------------------------- words

    /** @return the parties, as stored */
    public int parties() {
        return parties;
    }

    /** @return the state word (volatile read) */
    public long current() {
        return buffer.getLongVolatile(stateAt);
    }

    /** @return true if the state went from {@code expected} to {@code next} (volatile CAS) */
    public boolean compareAndSet(long expected, long next) {
        return buffer.compareAndSetLong(stateAt, expected, next);
    }

    /** @return the state seen: {@code expected} if it is now {@code next} */
    public long compareAndExchange(long expected, long next) {
        return buffer.compareAndExchangeLong(stateAt, expected, next);
    }

    /**
     * @param s a state of this barrier
     * @return its arrived count, checked to be a free entry index
     * @throws CorruptSegmentException if it is {@code >= parties}
     */
    public int nextArrival(long s) {
        return (int) region.checkStored("arrived", arrived(s), 0, parties - 1);
    }

    /** @return entry k (volatile read) */
    public long entryAt(int k) {
        return buffer.getLongVolatile(entryOffset(k));
    }

    /** @return true if entry k went from {@code expected} to {@code next} (volatile CAS) */
    public boolean compareAndSetEntry(int k, long expected, long next) {
        return buffer.compareAndSetLong(entryOffset(k), expected, next);
    }

    private int entryOffset(int k) {
        return base + BarrierDescriptor.entryOffset(k);
    }

    /** Wakes every sleeper: waiting parties, and a resetter, on a state change. */
    public void wakeAll() {
        WaitLoop.wakeIfWaiting(buffer, futexAt, waitersAt, Integer.MAX_VALUE);
        WaitLoop.wakeIfWaiting(buffer, acksAt, waitersAt, Integer.MAX_VALUE);
    }

    // ---------------------------------------------------------------- generations

    /** Completes a tripped generation: anyone may do it, any number of times. */
    public void finishTrip(long g) {
        clearEntries(g);
        if (buffer.compareAndSetLong(stateAt, state(g, TRIPPED, parties), state(g + 1, FILLING, 0))) {
            wakeAll();
        }
    }

    /** Frees the entries claimed in generation g (only those: later claims stay). */
    public void clearEntries(long g) {
        for (int i = 0; i < parties; i++) {
            long e = entryAt(i);
            if (entryOwner(e) != 0 && entryGeneration(e) == (int) g) {
                compareAndSetEntry(i, e, 0L);
            }
        }
    }

    /** @return how generation g ended, as far as state s tells: PENDING while it runs */
    public Outcome outcome(long s, long g) {
        long sg = generation(s);
        if (sg == g) {
            switch (phase(s)) {
                case TRIPPED:
                    return Outcome.PASSED;
                case BROKEN:
                    return Outcome.BROKE;
                default:
                    return Outcome.PENDING;
            }
        }
        if (sg > g) {
            return Outcome.PASSED; // had g broken, it could not have been left before this party saw it
        }
        throw new CorruptSegmentException(region.kind() + " '" + name + "' in segment '" + segment.name()
                + "' is corrupt: generation went back from " + g + " to " + sg);
    }

    /**
     * A waiter that timed out or was interrupted: breaks generation g if parties are still
     * arriving (returns PENDING), waits out a running action, else returns how g ended.
     */
    public Outcome breakOrOutcome(long g) {
        while (true) {
            long s = current();
            if (generation(s) == g && phase(s) == TRIPPING) {
                awaitChange(s); // committed: the action decides
                continue;
            }
            if (breakFilling(g)) {
                return Outcome.PENDING;
            }
            Outcome r = outcome(current(), g);
            if (r != Outcome.PENDING) {
                return r;
            }
        }
    }

    /** @return true if this call broke generation g, which was still FILLING */
    public boolean breakFilling(long g) {
        long s = current();
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

    /** Breaks generation g if its action is running (the action failed, or its runner died). */
    public void breakTripping(long g) {
        if (buffer.compareAndSetLong(stateAt, state(g, TRIPPING, parties), state(g, BROKEN, parties))) {
            wakeAll();
        }
    }

    /**
     * A party of generation g, arrived as number k, has seen that g broke: it clears its entry,
     * which lets a {@code reset()} move past g.
     */
    public void acknowledge(long g, int k) {
        if (compareAndSetEntry(k, entry(g, segment.ownerId()), 0L)) {
            // A resetter may be waiting for this: change the word it sleeps on (an atomic update,
            // ordered before the waiter-count read), so the wake-up cannot be lost.
            buffer.getAndAddInt(acksAt, 1);
            WaitLoop.wakeIfWaiting(buffer, acksAt, waitersAt, Integer.MAX_VALUE);
        }
    }

    // ---------------------------------------------------------------- waits

    /**
     * An arrived party of generation g waits for the generation to end.
     *
     * @param leftNanos the longest wait
     * @return how it ended, PENDING if the time ran out first
     * @throws InterruptedException if interrupted; the status is cleared
     */
    public Outcome awaitEnd(long g, long leftNanos) throws InterruptedException {
        final Outcome[] result = {Outcome.PENDING};
        WaitLoop.Attempt decided = () -> {
            long s = current();
            Outcome r = outcome(s, g);
            if (r != Outcome.PENDING) {
                result[0] = r;
                return WaitLoop.DONE;
            }
            return futexValue(s);
        };
        WaitLoop.await(segment, futexAt, waitersAt, decided, partiesCheck(g), leftNanos);
        return result[0];
    }

    /** Sleeps (uninterruptibly) until the state differs from s, checking the parties of its generation. */
    public void awaitChange(long s) {
        awaitChange(s, WaitLoop.FOREVER);
    }

    /**
     * As {@link #awaitChange(long)}, for at most {@code timeoutNanos}.
     *
     * @return false if the state still equals s when the timeout elapsed
     */
    public boolean awaitChange(long s, long timeoutNanos) {
        WaitLoop.Attempt changed = () -> {
            long now = current();
            return now != s ? WaitLoop.DONE : futexValue(now);
        };
        return WaitLoop.awaitUninterruptibly(segment, futexAt, waitersAt, changed, partiesCheck(generation(s)),
                timeoutNanos);
    }

    private WaitLoop.SliceCheck partiesCheck(long g) {
        return () -> {
            segment.ensureOpen();
            breakIfPartyDead(g);
        };
    }

    /**
     * Waits until every party that arrived in the broken generation of state s has acknowledged
     * the break or belongs to a dead process (whose entry is then cleared for it), or until the
     * state changes (another reset moved on).
     */
    public void awaitAcknowledgements(long s) {
        long g = generation(s);
        int n = Math.min(arrived(s), parties);
        if (acknowledged(g, n, true)) {
            return;
        }
        // Sleep on the acknowledgement counter, read before the checks: every acknowledgement
        // changes it, so one that lands between the checks and the sleep makes the sleep return.
        WaitLoop.Attempt done = () -> {
            int acks = buffer.getIntVolatile(acksAt);
            long now = current();
            return now != s || acknowledged(g, n, false) ? WaitLoop.DONE : acks & 0xFFFF_FFFFL;
        };
        WaitLoop.SliceCheck check = () -> {
            segment.ensureOpen();
            acknowledged(g, n, true);
        };
        WaitLoop.awaitUninterruptibly(segment, acksAt, waitersAt, done, check, WaitLoop.FOREVER);
    }

    // ---------------------------------------------------------------- recovery from dead parties

    /** @return true if entries 0..n-1 hold no live party of generation g (dead ones cleared if asked) */
    private boolean acknowledged(long g, int n, boolean clearDead) {
        boolean all = true;
        for (int i = 0; i < n; i++) {
            long e = entryAt(i);
            int owner = entryOwner(e);
            if (owner == 0 || entryGeneration(e) != (int) g) {
                continue;
            }
            if (clearDead && !segment.isAlive(owner)) {
                compareAndSetEntry(i, e, 0L);
                continue;
            }
            all = false;
            if (!clearDead) {
                return false;
            }
        }
        return all;
    }

    /**
     * On a liveness notice: breaks generation g if a party that arrived in it belongs to a dead
     * process (while FILLING), or if the last arriver's process died during the action
     * (TRIPPING).
     */
    public void breakIfPartyDead(long g) {
        long s = current();
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
            long e = entryAt(i);
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
}
