package io.interproc.core.wait;

/**
 * Deadlines on {@link System#nanoTime()} for blocking calls that take a timeout in nanoseconds,
 * where {@link WaitLoop#FOREVER} means no timeout. One helper so that every blocking call clamps
 * the same way: a negative timeout (even {@code Long.MIN_VALUE}) means "now", never a deadline
 * that wraps round to decades away. Compare deadlines only through {@link #remaining}.
 */
public final class Deadline {
    private Deadline() {
    }

    /**
     * @param timeoutNanos a timeout; negative counts as 0
     * @return the {@code nanoTime} at which it expires (meaningless for {@link WaitLoop#FOREVER},
     *     which {@link #remaining} recognises by the timeout)
     */
    public static long after(long timeoutNanos) {
        return System.nanoTime() + Math.max(0, timeoutNanos);
    }

    /**
     * @param timeoutNanos the timeout the deadline was made from
     * @param deadline from {@link #after(long)}
     * @return nanoseconds left (0 when expired), or {@link WaitLoop#FOREVER} for no timeout
     */
    public static long remaining(long timeoutNanos, long deadline) {
        return timeoutNanos == WaitLoop.FOREVER ? WaitLoop.FOREVER : Math.max(0, deadline - System.nanoTime());
    }
}
