package io.interproc.core;

import static io.interproc.core.ProcessTableDescriptor.ATTACHED_AT_OFFSET;
import static io.interproc.core.ProcessTableDescriptor.CONTROL_OFFSET;
import static io.interproc.core.ProcessTableDescriptor.SLOT_SIZE;
import static io.interproc.core.ProcessTableDescriptor.START_TIME_OFFSET;
import static io.interproc.core.ProcessTableDescriptor.STATE_CLAIMING;
import static io.interproc.core.ProcessTableDescriptor.STATE_FREE;
import static io.interproc.core.ProcessTableDescriptor.STATE_LIVE;
import static io.interproc.core.ProcessTableDescriptor.control;
import static io.interproc.core.ProcessTableDescriptor.generation;
import static io.interproc.core.ProcessTableDescriptor.nextGeneration;
import static io.interproc.core.ProcessTableDescriptor.pid;
import static io.interproc.core.ProcessTableDescriptor.state;

import java.util.ArrayList;
import java.util.List;

/**
 * The process table of one segment (layout: {@link ProcessTableDescriptor}): claiming a slot
 * for this process, freeing it, and deciding whether the holder of an owner id is alive.
 * Thread-safe; every change is a CAS on the slot's control word.
 */
final class ProcessTable {
    private final SharedBuffer buffer;
    private final int offset;
    private final int capacity;
    private final String segmentName;

    ProcessTable(SharedBuffer buffer, int offset, int capacity, String segmentName) {
        this.buffer = buffer;
        this.offset = offset;
        this.capacity = capacity;
        this.segmentName = segmentName;
    }

    int capacity() {
        return capacity;
    }

    private int controlOffset(int slot) {
        return offset + slot * SLOT_SIZE + CONTROL_OFFSET;
    }

    /**
     * Claims a free slot, or else the slot of a dead process, for the current process.
     *
     * @return the owner id of the new attachment
     * @throws SegmentFullException if every slot belongs to a live process
     */
    int attach() {
        long pid = ProcessLiveness.CURRENT_PID;
        for (int pass = 0; pass < 2; pass++) {
            for (int slot = 0; slot < capacity; slot++) {
                int at = controlOffset(slot);
                long c = buffer.getLongVolatile(at);
                boolean free = state(c) == STATE_FREE;
                if (!free && (pass == 0 || isSlotAlive(slot, c))) {
                    continue;
                }
                int gen = nextGeneration(generation(c));
                if (buffer.compareAndSetLong(at, c, control(pid, gen, STATE_CLAIMING))) {
                    int base = offset + slot * SLOT_SIZE;
                    buffer.setLong(base + START_TIME_OFFSET, ProcessLiveness.CURRENT_START);
                    buffer.setLong(base + ATTACHED_AT_OFFSET, System.currentTimeMillis());
                    buffer.setLongVolatile(at, control(pid, gen, STATE_LIVE));
                    return ProcessTableDescriptor.ownerId(gen, slot);
                }
            }
        }
        throw new SegmentFullException("process table of segment '" + segmentName + "' is full: "
                + capacity + " slots all held by live processes; create the segment with a larger "
                + "process table (SegmentOptions.processTableSize)");
    }

    /** Frees the slot of an owner id held by this process; a no-op if it is no longer ours. */
    void detach(int ownerId) {
        int slot = ProcessTableDescriptor.slotOf(ownerId);
        int at = controlOffset(slot);
        long c = buffer.getLongVolatile(at);
        if (generation(c) == ProcessTableDescriptor.generationOf(ownerId) && state(c) == STATE_LIVE
                && pid(c) == ProcessLiveness.CURRENT_PID) {
            buffer.compareAndSetLong(at, c, control(0, generation(c), STATE_FREE));
        }
    }

    /**
     * @param ownerId an owner id read from shared memory
     * @return true if its slot still has that generation, is LIVE, and its process runs
     */
    boolean isAlive(int ownerId) {
        int slot = ProcessTableDescriptor.slotOf(ownerId);
        if (ownerId <= 0 || slot >= capacity) {
            return false;
        }
        long c = buffer.getLongVolatile(controlOffset(slot));
        if (generation(c) != ProcessTableDescriptor.generationOf(ownerId) || state(c) != STATE_LIVE) {
            return false;
        }
        return isSlotAlive(slot, c);
    }

    /**
     * @param ownerId an owner id
     * @return the pid recorded for it, or -1 if the slot has moved on to another generation
     */
    long pidOf(int ownerId) {
        int slot = ProcessTableDescriptor.slotOf(ownerId);
        if (ownerId <= 0 || slot >= capacity) {
            return -1;
        }
        long c = buffer.getLongVolatile(controlOffset(slot));
        if (generation(c) != ProcessTableDescriptor.generationOf(ownerId) || state(c) == STATE_FREE) {
            return -1;
        }
        return pid(c);
    }

    private boolean isSlotAlive(int slot, long c) {
        if (state(c) == STATE_FREE) {
            return false;
        }
        // While CLAIMING, the start-time field still holds the previous occupant's: pid only.
        long start = state(c) == STATE_CLAIMING
                ? -1
                : buffer.getLong(offset + slot * SLOT_SIZE + START_TIME_OFFSET);
        return ProcessLiveness.isAlive(pid(c), start);
    }

    /** @return a snapshot of every occupied slot */
    List<ProcessInfo> snapshot() {
        List<ProcessInfo> out = new ArrayList<>();
        for (int slot = 0; slot < capacity; slot++) {
            long c = buffer.getLongVolatile(controlOffset(slot));
            if (state(c) == STATE_FREE) {
                continue;
            }
            int base = offset + slot * SLOT_SIZE;
            out.add(new ProcessInfo(slot, generation(c), pid(c),
                    buffer.getLong(base + START_TIME_OFFSET), buffer.getLong(base + ATTACHED_AT_OFFSET),
                    isSlotAlive(slot, c)));
        }
        return out;
    }

    /** Test hook: overwrites a slot as if a process with that pid and start time held it. */
    void forceSlot(int slot, long pid, int generation, long startMillis) {
        int base = offset + slot * SLOT_SIZE;
        buffer.setLong(base + START_TIME_OFFSET, startMillis);
        buffer.setLongVolatile(base + CONTROL_OFFSET, control(pid, generation, STATE_LIVE));
    }
}
