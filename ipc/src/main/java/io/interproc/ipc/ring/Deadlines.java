package io.interproc.ipc.ring;

import io.interproc.core.WaitLoop;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Timeouts of the queues and pipes as {@link WaitLoop} takes them: nanoseconds, {@code <= 0} to
 * try once, {@link WaitLoop#FOREVER} for no deadline. The one place ipc turns a timeout into a
 * deadline and back, so that the clamping below is written once. Stateless.
 *
 * <p>A deadline is a {@link System#nanoTime()} value and means nothing for {@link WaitLoop#FOREVER};
 * so {@link #remaining(long, long)} takes the timeout the deadline came from as well.
 */
public final class Deadlines {
    private Deadlines() {
    }

    /**
     * @param timeoutNanos a timeout, {@code <= 0} to try once
     * @return the {@link System#nanoTime()} at which it passes (ignore it for {@link WaitLoop#FOREVER})
     */
    public static long deadline(long timeoutNanos) {
        // Clamped: Long.MIN_VALUE + nanoTime() would wrap round to a deadline decades away.
        return System.nanoTime() + Math.max(0, timeoutNanos);
    }

    /**
     * @param timeoutNanos the timeout {@code deadline} was made from
     * @param deadline what {@link #deadline(long)} returned for it
     * @return what is left of the timeout now: {@link WaitLoop#FOREVER} for no deadline, else
     *     {@code >= 0} ({@code 0}: try once more)
     */
    public static long remaining(long timeoutNanos, long deadline) {
        if (timeoutNanos == WaitLoop.FOREVER) {
            return WaitLoop.FOREVER;
        }
        return Math.max(0, deadline - System.nanoTime());
    }

    /**
     * @param timeout an amount
     * @param unit its unit
     * @return nanoseconds, saturating below {@link WaitLoop#FOREVER}; {@code <= 0} stays {@code <= 0}
     */
    public static long toNanos(long timeout, TimeUnit unit) {
        return WaitLoop.toNanos(timeout, unit);
    }

    /**
     * @param timeout a duration
     * @return nanoseconds, saturating: below {@link WaitLoop#FOREVER} if huge, {@link Long#MIN_VALUE}
     *     if hugely negative
     */
    public static long toNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        try {
            return timeout.toNanos();
        } catch (ArithmeticException overflow) {
            return timeout.isNegative() ? Long.MIN_VALUE : WaitLoop.FOREVER - 1;
        }
    }
}
