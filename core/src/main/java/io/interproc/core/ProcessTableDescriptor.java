package io.interproc.core;

/**
 * Layout of the process table: one slot per process attached to the segment, starting at
 * {@link SegmentHeaderDescriptor#SIZE}.
 *
 * <pre>
 *  slot i at tableOffset + i * SLOT_SIZE
 *  offset  size  field
 *  ------  ----  -----------------------------------------------------------------
 *       0     8  control word, changed only by CAS:
 *                  bits 63..32  pid of the process in the slot (0 when free)
 *                  bits 31..16  generation, 1..32767, bumped on every claim
 *                  bits 15..0   state: 0 FREE, 1 CLAIMING, 2 LIVE
 *       8     8  process start time: Linux clock ticks since boot (/proc/pid/stat),
 *                elsewhere epoch milliseconds; -1 when unknown
 *      16     8  attached at, epoch milliseconds
 *      24     8  reserved (zero)
 *      32        next slot
 * </pre>
 *
 * <p>An <em>owner id</em>, written into lock words and the like, is
 * {@code (generation << 16) | slot}: at most 31 bits, never 0, so it fits a futex word beside
 * one flag bit. It names one attachment of one process; when the slot is freed or reclaimed
 * its generation changes and the id is dead forever.
 */
public final class ProcessTableDescriptor {
    /** Bytes per slot. */
    public static final int SLOT_SIZE = 32;
    /** Offset of the control word inside a slot. */
    public static final int CONTROL_OFFSET = 0;
    /** Offset of the start time inside a slot. */
    public static final int START_TIME_OFFSET = 8;
    /** Offset of the attach time inside a slot. */
    public static final int ATTACHED_AT_OFFSET = 16;

    /** Slot state: free. */
    public static final int STATE_FREE = 0;
    /** Slot state: being claimed by the pid in the control word. */
    public static final int STATE_CLAIMING = 1;
    /** Slot state: held by a live (or not yet found dead) process. */
    public static final int STATE_LIVE = 2;

    /** Largest generation; generations run 1..MAX_GENERATION and wrap. */
    public static final int MAX_GENERATION = 0x7FFF;
    /** Largest number of slots an owner id can name. */
    public static final int MAX_SLOTS = 1 << 16;
    /** Default number of slots. */
    public static final int DEFAULT_CAPACITY = 128;

    private ProcessTableDescriptor() {
    }

    /**
     * @param pid process id
     * @param generation 1..{@link #MAX_GENERATION}
     * @param state one of the STATE constants
     * @return the control word
     */
    public static long control(long pid, int generation, int state) {
        return (pid << 32) | ((long) (generation & 0xFFFF) << 16) | (state & 0xFFFF);
    }

    /** @param control a control word @return its pid */
    public static long pid(long control) {
        return control >>> 32;
    }

    /** @param control a control word @return its generation */
    public static int generation(long control) {
        return (int) (control >>> 16) & 0xFFFF;
    }

    /** @param control a control word @return its state */
    public static int state(long control) {
        return (int) control & 0xFFFF;
    }

    /** @param generation the current one @return the next one, wrapping and skipping 0 */
    public static int nextGeneration(int generation) {
        int next = (generation & MAX_GENERATION) + 1;
        return next > MAX_GENERATION ? 1 : next;
    }

    /** @param generation 1..32767 @param slot 0..65535 @return the owner id */
    public static int ownerId(int generation, int slot) {
        return ((generation & MAX_GENERATION) << 16) | slot;
    }

    /** @param ownerId an owner id @return its slot */
    public static int slotOf(int ownerId) {
        return ownerId & 0xFFFF;
    }

    /** @param ownerId an owner id @return its generation */
    public static int generationOf(int ownerId) {
        return (ownerId >>> 16) & MAX_GENERATION;
    }
}
