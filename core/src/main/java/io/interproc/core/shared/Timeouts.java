package io.interproc.core.shared;

import java.time.Duration;
import java.util.Objects;

/** Duration to nanoseconds, saturating (a very long duration means "practically forever"). */
final class Timeouts {
    private Timeouts() {
    }

    static long nanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return timeout.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
