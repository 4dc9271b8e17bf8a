package io.interproc.sync.internal;

import io.interproc.core.memory.Layout;

import java.nio.ByteOrder;

/**
 * Layout of a {@link io.interproc.sync.SharedBarrier} of {@code p} parties. Lines are padded lines
 * ({@link Layout#LINE_PAIR}).
 *
 * <pre>
 *  offset  size  field
 *  ------  ----  -------------------------------------------------------------------
 *       0     4  parties, 1..{@value #MAX_PARTIES}: written once by the creator
 *       4   124  reserved (zero)
 *     128     8  state (below); its low 32 bits are the FUTEX WORD
 *     136   120  padding: the state has its line to itself
 *     256     4  waiters: threads asleep on the futex word or the acknowledgement word
 *     260     4  acknowledgements: bumped by every party that acknowledges a broken
 *                generation; reset() sleeps on it (futex) while it waits for them
 *     264   120  padding
 *     384   8*p  entries[p]: who arrived in the current generation (below)
 *
 *  state, 64 bits:  [ generation : 51 | phase : 2 | arrived : 11 ]
 *                     bits 63..13       12..11      10..0
 *     phase FILLING  (0) arrived parties wait for the others
 *           TRIPPING (1) all arrived; the last arriver runs its barrier action
 *           TRIPPED  (2) the action is done: the generation passed; anyone may now move
 *                        the state to (generation + 1, FILLING, 0)
 *           BROKEN   (3) a timeout, interrupt, dead party, failed action or abort() broke
 *                        this generation; it stays broken until reset()
 *     The futex word (the low 32 bits: arrived, phase and the generation's low 19 bits)
 *     changes with every state change, so a waiter sleeping on the value it read is never
 *     stranded; only a generation's end (TRIPPED, BROKEN, next generation) wakes sleepers.
 *
 *  entries[k], 64 bits:  [ generation, low 32 bits | owner id : 32 ]
 *     A party claims entry k (k = its arrival order, 0 = first) for its generation by CAS
 *     before it CASes the state from arrived = k to k + 1, so every party that has arrived is
 *     named by its owner id (0 = free). An entry tagged with an older generation is free.
 *     Uses: (1) waiters check the liveness of those owners on each liveness notice (WaitLoop),
 *     and a dead one breaks the generation; (2) a party that finds its generation BROKEN clears its own
 *     entry (its acknowledgement), and reset() leaves a broken generation only once every
 *     arrived party's entry is cleared or names a dead process. Hence a waiter that finds the
 *     state past its generation knows that generation passed: had it broken, the state could
 *     not have moved on before this waiter saw it. Entries are packed, not padded: each is
 *     written once per generation, beside the state CAS that dominates the cost.
 * </pre>
 *
 * <p>The futex word is the half of the state at the lower address on a little-endian machine
 * (every Linux platform with the futex waiter); on a big-endian one, the upper.
 */
public final class BarrierDescriptor {
    /** Largest number of parties. */
    public static final int MAX_PARTIES = 1024;
    /** Offset of the party count. */
    public static final int PARTIES_OFFSET = 0;
    /** Offset of the 64-bit state: line 1. */
    public static final int STATE_OFFSET = Layout.nextLinePair(PARTIES_OFFSET + Integer.BYTES);
    /** Offset of the futex word: the low 32 bits of the state. */
    public static final int FUTEX_OFFSET =
            STATE_OFFSET + (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0 : Integer.BYTES);
    /** Offset of the waiter count: line 2. */
    public static final int WAITERS_OFFSET = Layout.nextLinePair(STATE_OFFSET + Long.BYTES);
    /** Offset of the int acknowledgement counter (a futex word {@code reset()} sleeps on). */
    public static final int ACKNOWLEDGEMENTS_OFFSET = WAITERS_OFFSET + Integer.BYTES;
    /** Offset of entry 0: line 3. */
    public static final int ENTRIES_OFFSET = Layout.nextLinePair(ACKNOWLEDGEMENTS_OFFSET + Integer.BYTES);
    /** Bytes of one entry. */
    public static final int ENTRY_SIZE = Long.BYTES;

    /** Phase: parties are arriving. */
    public static final int FILLING = 0;
    /** Phase: all arrived, the last arriver runs the action. */
    public static final int TRIPPING = 1;
    /** Phase: the generation passed; it is about to advance. */
    public static final int TRIPPED = 2;
    /** Phase: the generation is broken until reset. */
    public static final int BROKEN = 3;

    /** Bits of the arrived count, the low bits of the state. */
    public static final int ARRIVED_BITS = 11;
    /** Mask of the arrived count. */
    public static final long ARRIVED_MASK = (1L << ARRIVED_BITS) - 1;
    /** Bits of the phase, above the arrived count. */
    public static final int PHASE_BITS = 2;
    /** Shift of the phase. */
    public static final int PHASE_SHIFT = ARRIVED_BITS;
    /** Shift of the generation, the high bits. */
    public static final int GENERATION_SHIFT = PHASE_SHIFT + PHASE_BITS;
    private static final long PHASE_MASK = (1L << PHASE_BITS) - 1;

    private BarrierDescriptor() {
    }

    /**
     * @param parties number of parties
     * @return bytes to allocate for such a barrier
     */
    public static int size(int parties) {
        return entryOffset(parties);
    }

    /**
     * @param k an entry index, 0 to parties - 1 (or parties, for the end)
     * @return the offset of entry k inside the barrier
     */
    public static int entryOffset(int k) {
        return ENTRIES_OFFSET + ENTRY_SIZE * k;
    }

    /** @return the state of that generation, phase and arrived count */
    public static long state(long generation, int phase, int arrived) {
        return (generation << GENERATION_SHIFT) | ((long) phase << PHASE_SHIFT) | arrived;
    }

    /** @return the generation of a state */
    public static long generation(long state) {
        return state >>> GENERATION_SHIFT;
    }

    /** @return the phase of a state */
    public static int phase(long state) {
        return (int) ((state >>> PHASE_SHIFT) & PHASE_MASK);
    }

    /** @return the arrived count of a state */
    public static int arrived(long state) {
        return (int) (state & ARRIVED_MASK);
    }

    /** @return the state with another phase */
    public static long withPhase(long state, int phase) {
        return (state & ~(PHASE_MASK << PHASE_SHIFT)) | ((long) phase << PHASE_SHIFT);
    }

    /** @return the futex word's value for a state (zero-extended low 32 bits) */
    public static long futexValue(long state) {
        return state & 0xFFFF_FFFFL;
    }

    /** @return the entry naming that owner for that generation */
    public static long entry(long generation, int ownerId) {
        return (generation << 32) | (ownerId & 0xFFFF_FFFFL);
    }

    /** @return the low 32 bits of the generation an entry was claimed for */
    public static int entryGeneration(long entry) {
        return (int) (entry >>> 32);
    }

    /** @return the owner id of an entry, 0 if free */
    public static int entryOwner(long entry) {
        return (int) entry;
    }
}
