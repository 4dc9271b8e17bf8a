package io.interproc.core.wait;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The one place interproc turns timeouts into deadlines and back. A blocking call computes its
 * deadline once on entry and what is left before each wait. Deadline are
 * {@link System#nanoTime()} values; a wait without timeout ({@link WaitLoop#FOREVER}) has the
 * deadline {@link #NONE}. Timeouts are clamped: a negative one (even {@code Long.MIN_VALUE})
 * means "now", never a deadline that wraps round to decades away, and a huge finite one cannot
 * overflow. Stateless; any thread.
 */
public final class Deadline {
    /** The deadline of a wait without timeout. */
    public static final long NONE = Long.MAX_VALUE;

    /** Longer timeouts (about 73 years) are cut to this, so that {@code nanoTime() + timeout} cannot overflow. */
    private static final long LONGEST_NANOS = Long.MAX_VALUE >> 2;

    private Deadline() {
    }

    /**
     * @param timeout how long from now; {@code <= 0} gives a deadline that has passed, and
     *     {@link WaitLoop#FOREVER} nanoseconds gives {@link #NONE}
     * @param unit its unit
     * @return the deadline, for {@link #remaining(long)}
     * @throws NullPointerException if {@code unit} is null
     */
    public static long deadline(long timeout, TimeUnit unit) {
        return after(Objects.requireNonNull(unit, "unit").toNanos(timeout));
    }

    /**
     * @param timeoutNanos how long from now, in nanoseconds ({@link WaitLoop#FOREVER}: no timeout)
     * @return the deadline, for {@link #remaining(long)} and {@link #remainingOrZero(long)}
     */
    public static long after(long timeoutNanos) {
        if (timeoutNanos == WaitLoop.FOREVER) {
            return NONE;
        }
        return System.nanoTime() + Math.min(Math.max(0, timeoutNanos), LONGEST_NANOS);
    }

    /**
     * @param deadline from {@link #deadline} or {@link #after}
     * @return the nanoseconds left until it, negative once it has passed (by that much), or
     *     {@link WaitLoop#FOREVER} for {@link #NONE}: a timeout for {@link WaitLoop}
     */
    public static long remaining(long deadline) {
        return deadline == NONE ? WaitLoop.FOREVER : deadline - System.nanoTime();
    }

    /**
     * @param deadline from {@link #deadline} or {@link #after}
     * @return the nanoseconds left until it, 0 once it has passed, or {@link WaitLoop#FOREVER}
     *     for {@link #NONE}
     */
    public static long remainingOrZero(long deadline) {
        return Math.max(0, remaining(deadline));
    }

    /**
     * A {@link Duration} as a timeout for the waits: nanoseconds, saturated as
     * {@link WaitLoop#toNanos} does (a duration too long for a {@code long} is a finite
     * {@code FOREVER - 1}, one too negative {@code Long.MIN_VALUE}).
     *
     * @param timeout the duration
     * @return nanoseconds
     * @throws NullPointerException with the message {@code timeout} if it is null
     */
    public static long toNanos(Duration timeout) {
        return WaitLoop.toNanos(TimeUnit.NANOSECONDS.convert(Objects.requireNonNull(timeout, "timeout")),
                TimeUnit.NANOSECONDS);
    }
}
