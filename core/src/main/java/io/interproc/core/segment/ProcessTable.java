package io.interproc.core.segment;

import static io.interproc.core.segment.ProcessTableDescriptor.ATTACHED_AT_OFFSET;
import static io.interproc.core.segment.ProcessTableDescriptor.CONTROL_OFFSET;
import static io.interproc.core.segment.ProcessTableDescriptor.PID_OFFSET;
import static io.interproc.core.segment.ProcessTableDescriptor.RECORDS;
import static io.interproc.core.segment.ProcessTableDescriptor.START_TIME_OFFSET;
import static io.interproc.core.segment.ProcessTableDescriptor.STATE_FREE;
import static io.interproc.core.segment.ProcessTableDescriptor.STATE_LIVE;
import static io.interproc.core.segment.ProcessTableDescriptor.control;
import static io.interproc.core.segment.ProcessTableDescriptor.ownerId;
import static io.interproc.core.segment.ProcessTableDescriptor.record;
import static io.interproc.core.segment.ProcessTableDescriptor.recordOffset;
import static io.interproc.core.segment.ProcessTableDescriptor.recordedCount;
import static io.interproc.core.segment.ProcessTableDescriptor.recordedOffset;
import static io.interproc.core.segment.ProcessTableDescriptor.state;

import io.interproc.core.ProcessInfo;
import io.interproc.core.SegmentFullException;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.os.Posix;
import io.interproc.core.wait.Waiter;

import java.util.ArrayList;
import java.util.List;

/**
 * The process table of one segment (layout and liveness rule: {@link ProcessTableDescriptor}):
 * attaching (claiming a slot under its liveness lock), detaching, deciding whether an owner id's
 * attachment is alive, reaping the slot of a dead one (its waiter records subtracted from the
 * waiter counts they name), and the waiter records themselves.
 *
 * <p>Thread-safe. A slot's control word and records are written only by whoever holds the slot's
 * liveness lock (its attachment, or a reaper) — except the records, which threads of the live
 * attachment update by CAS.
 */
public final class ProcessTable {
    private static final System.Logger LOG = System.getLogger(ProcessTable.class.getName());

    private final SharedBuffer buffer;
    private final int offset;
    private final int capacity;
    private final int areaOffset;
    private final String segmentName;
    private final LivenessLocks locks;

    /** One attachment's hold on a slot: its owner id, the slot, and the descriptor holding the lock. */
    public record Attachment(int ownerId, int slot, int lockFd) {
    }

    /**
     * @param buffer the mapping, whose header (already validated) says where the table is
     * @param segmentName for messages
     * @param locks the liveness locks of this mapping's file
     */
    ProcessTable(SharedBuffer buffer, String segmentName, LivenessLocks locks) {
        this.buffer = buffer;
        this.offset = buffer.getInt(SegmentHeaderDescriptor.PROCESS_TABLE_OFFSET_OFFSET);
        this.capacity = buffer.getInt(SegmentHeaderDescriptor.PROCESS_TABLE_CAPACITY_OFFSET);
        this.areaOffset = buffer.getInt(SegmentHeaderDescriptor.OBJECT_AREA_OFFSET_OFFSET);
        this.segmentName = segmentName;
        this.locks = locks;
    }

    int capacity() {
        return capacity;
    }

    public LivenessLocks locks() {
        return locks;
    }

    private int controlAt(int slot) {
        return ProcessTableDescriptor.slotOffset(offset, slot) + CONTROL_OFFSET;
    }

    /** @return the control word of a slot (volatile read) */
    long slotControl(int slot) {
        return buffer.getLongVolatile(controlAt(slot));
    }

    /** @return the process table version (volatile read); changes after every attach, detach and reap */
    int version() {
        return buffer.getIntVolatile(SegmentHeaderDescriptor.TABLE_VERSION_OFFSET);
    }

    /**
     * Attaches the current process: takes a fresh owner id, then the liveness lock of a slot (the
     * preferred one first), reaps the slot if a dead attachment left it LIVE, and publishes the
     * id. Taking the lock before writing is what makes the claim safe: nobody else can write the
     * slot meanwhile, and a live holder's lock cannot be taken.
     *
     * @param lockDescriptor opens a new descriptor of the segment file for the attachment to hold
     *     its lock through (each attachment its own open file description)
     * @return the attachment
     * @throws SegmentFullException if every slot is held by a live attachment, or owner ids ran out
     */
    public Attachment attach(java.util.function.IntSupplier lockDescriptor) {
        int id = buffer.getAndAddInt(SegmentHeaderDescriptor.NEXT_OWNER_ID_OFFSET, 1);
        if (id < 1 || id > ProcessTableDescriptor.MAX_OWNER_ID) {
            buffer.getAndAddInt(SegmentHeaderDescriptor.NEXT_OWNER_ID_OFFSET, -1);
            throw new SegmentFullException("segment '" + segmentName + "' has handed out all its owner ids: nextOwnerId="
                    + id + ", max=" + ProcessTableDescriptor.MAX_OWNER_ID + "; an id is never reused, so create a "
                    + "new segment");
        }
        int fd = locks.supported() ? lockDescriptor.getAsInt() : -1;
        int first = ProcessTableDescriptor.preferredSlot(capacity, id);
        for (int i = 0; i < capacity; i++) {
            int slot = (first + i) % capacity;
            if (fd >= 0 ? claimLocked(fd, slot, id) : claimUnlocked(slot, id)) {
                return new Attachment(id, slot, fd);
            }
        }
        if (fd >= 0) {
            Posix.close(fd);
        }
        throw new SegmentFullException("process table of segment '" + segmentName + "' is full: " + capacity
                + " slots all held by live attachments; create the segment with a larger process table "
                + "(SegmentOptions.withProcessTableSize)");
    }

    private boolean claimLocked(int fd, int slot, int id) {
        try {
            if (!Posix.tryLockExclusive(fd, ProcessTableDescriptor.lockByte(offset, slot))) {
                return false; // a live attachment holds it, or a reaper is at work
            }
        } catch (Posix.PosixException e) {
            return false;
        }
        reapLocked(slot);
        publish(slot, id);
        return true;
    }

    /** Without record locks: only never-used or freed slots, by CAS (no recovery, see LivenessLocks). */
    private boolean claimUnlocked(int slot, int id) {
        long c = slotControl(slot);
        if (state(c) != STATE_FREE || !buffer.compareAndSetLong(controlAt(slot), c, control(id, STATE_LIVE))) {
            return false;
        }
        publish(slot, id);
        return true;
    }

    private void publish(int slot, int id) {
        int base = ProcessTableDescriptor.slotOffset(offset, slot);
        buffer.setLong(base + PID_OFFSET, ProcessLiveness.CURRENT_PID);
        buffer.setLong(base + START_TIME_OFFSET, ProcessLiveness.CURRENT_START);
        buffer.setLong(base + ATTACHED_AT_OFFSET, System.currentTimeMillis());
        for (int r = 0; r < RECORDS; r++) {
            buffer.setLong(recordOffset(offset, slot, r), 0);
        }
        buffer.setLongVolatile(controlAt(slot), control(id, STATE_LIVE));
        buffer.getAndAddInt(SegmentHeaderDescriptor.TABLE_VERSION_OFFSET, 1);
    }

    /**
     * Ends an attachment: marks its slot FREE (its owner id is dead from then on), announces it
     * on the liveness epoch, then closes the descriptor, which drops the liveness lock.
     *
     * @param a an attachment of this process
     */
    public void detach(Attachment a) {
        long c = slotControl(a.slot());
        if (ownerId(c) == a.ownerId() && state(c) == STATE_LIVE) {
            reconcileRecords(a.slot());
            // The id is cleared: a closed attachment names nobody. A reaped one keeps its id (below),
            // so that messages about the dead can still give its pid.
            buffer.setLongVolatile(controlAt(a.slot()), control(0, STATE_FREE));
            buffer.getAndAddInt(SegmentHeaderDescriptor.TABLE_VERSION_OFFSET, 1);
            announce();
        }
        if (a.lockFd() >= 0) {
            Posix.close(a.lockFd());
        }
    }

    /**
     * Reaps a slot whose lock the caller took: if a dead attachment left it LIVE, subtracts that
     * attachment's waiter records from the counts they name, marks the slot FREE and announces it.
     *
     * @return true if there was something to reap
     */
    private boolean reapLocked(int slot) {
        long c = slotControl(slot);
        if (state(c) != STATE_LIVE) {
            return false;
        }
        reconcileRecords(slot);
        buffer.setLongVolatile(controlAt(slot), control(ownerId(c), STATE_FREE));
        buffer.getAndAddInt(SegmentHeaderDescriptor.TABLE_VERSION_OFFSET, 1);
        int dead = ownerId(c);
        LOG.log(System.Logger.Level.DEBUG, () -> "segment '" + segmentName + "': reaped slot " + slot
                + " of dead ownerId=" + dead);
        announce();
        return true;
    }

    /**
     * Reaps a slot if its lock is free: called when a watcher saw the lock released.
     *
     * @param slot a slot index
     * @return true if a dead attachment was reaped here
     */
    boolean reapIfDead(int slot) {
        if (!locks.tryTake(slot)) {
            return false;
        }
        try {
            return reapLocked(slot);
        } finally {
            locks.release(slot);
        }
    }

    /** Bumps the liveness epoch and wakes every JVM's watcher of it. */
    public void announce() {
        buffer.getAndAddInt(SegmentHeaderDescriptor.LIVENESS_EPOCH_OFFSET, 1);
        Waiter.get().wake(buffer, SegmentHeaderDescriptor.LIVENESS_EPOCH_OFFSET, Integer.MAX_VALUE);
    }

    /** Subtracts a slot's waiter records from the waiter counts they name (never below 0) and clears them. */
    private void reconcileRecords(int slot) {
        for (int r = 0; r < RECORDS; r++) {
            int at = recordOffset(offset, slot, r);
            long rec = buffer.getAndSetLong(at, 0);
            int counted = recordedOffset(rec);
            int n = recordedCount(rec);
            if (counted == 0 || n <= 0) {
                continue;
            }
            if (counted < areaOffset || counted > buffer.capacity() - 4 || (counted & 3) != 0) {
                LOG.log(System.Logger.Level.WARNING, "segment '" + segmentName + "': ignoring a corrupt waiter record "
                        + "in slot " + slot + ": waitersOffset=" + counted + ", count=" + n);
                continue;
            }
            while (true) {
                int v = buffer.getIntVolatile(counted);
                int next = Math.max(0, v - n);
                if (v == next || buffer.compareAndSetInt(counted, v, next)) {
                    break;
                }
            }
        }
    }

    /**
     * Records that {@code delta} threads of the attachment in {@code slot} were added to
     * ({@code +1}) or removed from ({@code -1}) the waiter count at {@code waitersOffset}.
     * Best effort: when all records of the slot name other counts, the contribution is not
     * recorded (it then survives a crash as a count one too high: a spare wake-up call, never a
     * lost one).
     */
    public void noteWaiting(int slot, int waitersOffset, int delta) {
        for (int r = 0; r < RECORDS; r++) {
            int at = recordOffset(offset, slot, r);
            while (true) {
                long rec = buffer.getLongVolatile(at);
                if (recordedOffset(rec) != waitersOffset || recordedCount(rec) <= 0) {
                    break;
                }
                int n = recordedCount(rec) + delta;
                if (buffer.compareAndSetLong(at, rec, n == 0 ? 0L : record(waitersOffset, n))) {
                    return;
                }
            }
        }
        if (delta < 0) {
            return; // its increment was not recorded
        }
        for (int r = 0; r < RECORDS; r++) {
            if (buffer.compareAndSetLong(recordOffset(offset, slot, r), 0L, record(waitersOffset, delta))) {
                return;
            }
        }
    }

    /**
     * @param ownerId an owner id read from shared memory
     * @return the slot whose control word carries it, or -1
     */
    public int slotOf(int ownerId) {
        if (ownerId <= 0) {
            return -1;
        }
        int first = ProcessTableDescriptor.preferredSlot(capacity, ownerId);
        for (int i = 0; i < capacity; i++) {
            int slot = (first + i) % capacity;
            if (ownerId(slotControl(slot)) == ownerId) {
                return slot;
            }
        }
        return -1;
    }

    /**
     * @param ownerId an owner id read from shared memory
     * @return true if its slot still carries it, is LIVE, and its liveness lock is held (or
     *     cannot be tested)
     */
    public boolean isAlive(int ownerId) {
        int slot = slotOf(ownerId);
        if (slot < 0) {
            return false;
        }
        long c = slotControl(slot);
        return ownerId(c) == ownerId && state(c) == STATE_LIVE && locks.isHeld(slot);
    }

    /**
     * @param ownerId an owner id
     * @return the pid recorded for it (in its own PID namespace): of a live attachment, or of a dead
     *     one until its slot is reused; -1 if it closed or no slot carries it any more
     */
    public long pidOf(int ownerId) {
        int slot = slotOf(ownerId);
        if (slot < 0) {
            return -1;
        }
        return buffer.getLong(ProcessTableDescriptor.slotOffset(offset, slot) + PID_OFFSET);
    }

    /** @return a snapshot of every LIVE slot, with whether its lock is held */
    public List<ProcessInfo> snapshot() {
        List<ProcessInfo> out = new ArrayList<>();
        for (int slot = 0; slot < capacity; slot++) {
            long c = slotControl(slot);
            if (state(c) != STATE_LIVE) {
                continue;
            }
            int base = ProcessTableDescriptor.slotOffset(offset, slot);
            out.add(new ProcessInfo(slot, ownerId(c), buffer.getLong(base + PID_OFFSET),
                    buffer.getLong(base + START_TIME_OFFSET), buffer.getLong(base + ATTACHED_AT_OFFSET),
                    locks.isHeld(slot)));
        }
        return out;
    }
}
