package io.interproc.core;

/**
 * A snapshot of one occupied slot of a segment's process table, for inspection tools.
 */
public final class ProcessInfo {
    private final int slot;
    private final int generation;
    private final long pid;
    private final long startTime;
    private final long attachedAtMillis;
    private final boolean alive;

    ProcessInfo(int slot, int generation, long pid, long startTime, long attachedAtMillis, boolean alive) {
        this.slot = slot;
        this.generation = generation;
        this.pid = pid;
        this.startTime = startTime;
        this.attachedAtMillis = attachedAtMillis;
        this.alive = alive;
    }

    /** @return the slot index */
    public int slot() {
        return slot;
    }

    /** @return the slot's generation */
    public int generation() {
        return generation;
    }

    /** @return the owner id {@code (generation << 16) | slot} */
    public int ownerId() {
        return ProcessTableDescriptor.ownerId(generation, slot);
    }

    /** @return the process id */
    public long pid() {
        return pid;
    }

    /** @return the process start time recorded (Linux: clock ticks since boot; elsewhere epoch millis), or -1 */
    public long startTime() {
        return startTime;
    }

    /** @return when the process attached, epoch millis */
    public long attachedAtMillis() {
        return attachedAtMillis;
    }

    /** @return whether the process was alive when the snapshot was taken */
    public boolean alive() {
        return alive;
    }

    @Override
    public String toString() {
        return "ProcessInfo[slot=" + slot + ", generation=" + generation + ", pid=" + pid
                + ", alive=" + alive + "]";
    }
}
