package io.interproc.core;

/**
 * A snapshot of one occupied slot of a segment's process table, for inspection tools.
 */
public final class ProcessInfo {
    private final int slot;
    private final int ownerId;
    private final long pid;
    private final long startTime;
    private final long attachedAtMillis;
    private final boolean alive;

    public ProcessInfo(int slot, int ownerId, long pid, long startTime, long attachedAtMillis, boolean alive) {
        this.slot = slot;
        this.ownerId = ownerId;
        this.pid = pid;
        this.startTime = startTime;
        this.attachedAtMillis = attachedAtMillis;
        this.alive = alive;
    }

    /** @return the slot index */
    public int slot() {
        return slot;
    }

    /** @return the attachment's owner id (never reused within the segment) */
    public int ownerId() {
        return ownerId;
    }

    /** @return the process id, as the process's own PID namespace numbers it (for display) */
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

    /**
     * @return whether the attachment's liveness lock was held when the snapshot was taken (the
     *     kernel drops it when the process dies, in any PID namespace)
     */
    public boolean alive() {
        return alive;
    }

    @Override
    public String toString() {
        return "ProcessInfo[slot=" + slot + ", ownerId=" + ownerId + ", pid=" + pid
                + ", alive=" + alive + "]";
    }
}
