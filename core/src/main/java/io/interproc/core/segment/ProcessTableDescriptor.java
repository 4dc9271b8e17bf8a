package io.interproc.core.segment;

import io.interproc.core.memory.Layout;

/**
 * Layout of the process table: one slot per attachment to the segment, starting at
 * {@link SegmentHeaderDescriptor#SIZE}.
 *
 * <pre>
 *  slot k at tableOffset + k * SLOT_SIZE
 *  offset  size  field
 *  ------  ----  -----------------------------------------------------------------
 *       0     8  control word, written only by the holder of the slot's liveness lock:
 *                  bits 63..32  owner id of the attachment (0: never used)
 *                  bits 31..0   state: 0 FREE, 2 LIVE
 *       8     8  pid of the process, as its own PID namespace sees it (display only)
 *      16     8  process start time, Linux clock ticks since boot (display only)
 *      24     8  attached at, epoch milliseconds
 *      32    96  waiter records: RECORDS entries of 8 bytes, each
 *                  bits 63..32  offset of a waiter count in the segment (0: empty)
 *                  bits 31..0   how many threads of this attachment are counted in it
 *     128        next slot
 * </pre>
 *
 * <p><b>Liveness lock.</b> Byte {@link #lockByte lockByte(tableOffset, k)} of the segment file
 * (the slot's first byte) carries an exclusive open-file-description record lock while an
 * attachment holds slot k. The kernel drops it when the attachment closes its descriptor or its
 * process dies, in any PID namespace; so "is the owner of slot k alive" is a non-blocking lock
 * test, and a process is never declared dead while it lives. The pid and start time are only
 * for people.
 *
 * <p><b>Owner ids</b> come from the header's owner-id counter
 * ({@link SegmentHeaderDescriptor#NEXT_OWNER_ID_OFFSET}): each attachment takes the next one, so
 * an id is never reused in the life of a segment (after {@link #MAX_OWNER_ID} attachments the
 * segment refuses new ones). An attachment prefers slot {@code id % capacity}, rotating through
 * the table. An id fits a 32-bit futex word with the sign bit free.
 */
public final class ProcessTableDescriptor {
    /** Bytes per slot: one 128-byte line pair, so the hot control words of two slots never share a line. */
    public static final int SLOT_SIZE = Layout.LINE_PAIR;
    /** Offset of the control word inside a slot. */
    public static final int CONTROL_OFFSET = 0;
    /** Offset of the pid inside a slot. */
    public static final int PID_OFFSET = CONTROL_OFFSET + Layout.LONG;
    /** Offset of the start time inside a slot. */
    public static final int START_TIME_OFFSET = PID_OFFSET + Layout.LONG;
    /** Offset of the attach time inside a slot. */
    public static final int ATTACHED_AT_OFFSET = START_TIME_OFFSET + Layout.LONG;
    /** Offset of the first waiter record inside a slot. */
    public static final int RECORDS_OFFSET = ATTACHED_AT_OFFSET + Layout.LONG;
    /** Bytes per waiter record. */
    public static final int RECORD_SIZE = Layout.LONG;
    /** Waiter records per slot. */
    public static final int RECORDS = (SLOT_SIZE - RECORDS_OFFSET) / RECORD_SIZE;

    /** Slot state: free. */
    public static final int STATE_FREE = 0;
    /** Slot state: held by an attachment (alive exactly while the slot's liveness lock is held). */
    public static final int STATE_LIVE = 2;

    /** Largest owner id; a segment refuses attachments once its counter passes it. */
    public static final int MAX_OWNER_ID = Integer.MAX_VALUE - 1;
    /** Largest number of slots. */
    public static final int MAX_SLOTS = 1 << 16;
    /** Default number of slots. */
    public static final int DEFAULT_CAPACITY = 128;

    private ProcessTableDescriptor() {
    }

    /**
     * @param tableOffset offset of the process table
     * @param slot a slot index
     * @return offset of the slot
     */
    public static int slotOffset(int tableOffset, int slot) {
        return tableOffset + slot * SLOT_SIZE;
    }

    /**
     * @param tableOffset offset of the process table
     * @param slot a slot index
     * @return the byte of the segment file whose record lock says the slot's attachment is alive
     */
    public static long lockByte(int tableOffset, int slot) {
        return slotOffset(tableOffset, slot);
    }

    /**
     * @param tableOffset offset of the process table
     * @param slot a slot index
     * @param record 0..{@link #RECORDS}-1
     * @return offset of that waiter record
     */
    public static int recordOffset(int tableOffset, int slot, int record) {
        return slotOffset(tableOffset, slot) + RECORDS_OFFSET + record * RECORD_SIZE;
    }

    /**
     * @param ownerId the attachment's owner id
     * @param state {@link #STATE_FREE} or {@link #STATE_LIVE}
     * @return the control word
     */
    public static long control(int ownerId, int state) {
        return pair(ownerId, state);
    }

    /** @param control a control word @return its owner id */
    public static int ownerId(long control) {
        return high(control);
    }

    /** @param control a control word @return its state */
    public static int state(long control) {
        return low(control);
    }

    /** @param capacity slots in the table @param ownerId an owner id @return the slot it tries first */
    public static int preferredSlot(int capacity, int ownerId) {
        return Integer.remainderUnsigned(ownerId, capacity);
    }

    /** @param waitersOffset a waiter count's offset @param count threads counted @return the record */
    public static long record(int waitersOffset, int count) {
        return pair(waitersOffset, count);
    }

    /** @param record a waiter record @return the offset of the waiter count it names, 0 if empty */
    public static int recordedOffset(long record) {
        return high(record);
    }

    /** @param record a waiter record @return how many threads it counts */
    public static int recordedCount(long record) {
        return low(record);
    }

    // Control words and waiter records are both two ints in one long (bits 63..32, 31..0).
    private static long pair(int high, int low) {
        return ((long) high << 32) | (low & 0xFFFF_FFFFL);
    }

    private static int high(long pair) {
        return (int) (pair >>> 32);
    }

    private static int low(long pair) {
        return (int) pair;
    }
}
