package io.interproc.sync.internal;

import io.interproc.core.WaitLoop;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The one place sync turns timeouts into deadlines and back: every timed wait of the module
 * computes its deadline with {@link #deadline} once on entry and what is left with
 * {@link #remaining} before each wait. (To be pointed at core's {@code Deadline} once it exists.)
 * Deadlines are {@link System#nanoTime()} values; stateless.
 */
public final class Deadlines {
    /** The deadline of a wait without timeout ({@link WaitLoop#FOREVER}). */
    public static final long NONE = Long.MAX_VALUE;

    /** Longer timeouts (about 73 years) are cut to this, so that {@code nanoTime() + timeout} cannot overflow. */
    private static final long LONGEST_NANOS = Long.MAX_VALUE >> 2;

    private Deadlines() {
    }

    /**
     * @param timeout how long from now; {@code <= 0} gives a deadline that has passed, and
     *     {@link WaitLoop#FOREVER} nanoseconds gives {@link #NONE}
     * @param unit its unit
     * @return the deadline, for {@link #remaining}
     * @throws NullPointerException if {@code unit} is null
     */
    public static long deadline(long timeout, TimeUnit unit) {
        long nanos = Objects.requireNonNull(unit, "unit").toNanos(timeout);
        if (nanos == WaitLoop.FOREVER) {
            return NONE;
        }
        // Clamped: Long.MIN_VALUE + nanoTime() would wrap round to a deadline decades away.
        return System.nanoTime() + Math.min(Math.max(0, nanos), LONGEST_NANOS);
    }

    /**
     * @param deadline from {@link #deadline}
     * @return the nanoseconds left until it, negative once it has passed (by that much), or
     *     {@link WaitLoop#FOREVER} for {@link #NONE}: a timeout for {@link WaitLoop}
     */
    public static long remaining(long deadline) {
        return deadline == NONE ? WaitLoop.FOREVER : deadline - System.nanoTime();
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
