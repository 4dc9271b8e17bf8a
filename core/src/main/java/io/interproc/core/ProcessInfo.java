package io.interproc.core;

/**
 * A snapshot of one occupied slot of a segment's process table, for inspection tools.
 *
 * @param slot the slot index
 * @param ownerId the attachment's owner id (never reused within the segment)
 * @param pid the process id, as the process's own PID namespace numbers it (for display)
 * @param startTime the process start time recorded (Linux: clock ticks since boot; elsewhere epoch
 *     millis), or -1
 * @param attachedAtMillis when the process attached, epoch millis
 * @param alive whether the attachment's liveness lock was held when the snapshot was taken (the
 *     kernel drops it when the process dies, in any PID namespace)
 */
public record ProcessInfo(int slot, int ownerId, long pid, long startTime, long attachedAtMillis, boolean alive) {
    @Override
    public String toString() {
        return "ProcessInfo[slot=" + slot + ", ownerId=" + ownerId + ", pid=" + pid
                + ", alive=" + alive + "]";
    }
}
