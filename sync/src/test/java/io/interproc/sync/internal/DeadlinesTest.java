package io.interproc.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.WaitLoop;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class DeadlinesTest {
    @Test
    void shouldHaveNoDeadlineForForever() {
        assertEquals(Deadlines.NONE, Deadlines.deadline(WaitLoop.FOREVER, TimeUnit.NANOSECONDS));
        assertEquals(WaitLoop.FOREVER, Deadlines.remaining(Deadlines.NONE));
    }

    @Test
    void shouldCountDownAndGoNegativeOncePassed() {
        long d = Deadlines.deadline(1, TimeUnit.HOURS);
        long left = Deadlines.remaining(d);
        assertTrue(left > TimeUnit.MINUTES.toNanos(59) && left <= TimeUnit.HOURS.toNanos(1), "left=" + left);
        assertTrue(Deadlines.remaining(Deadlines.deadline(0, TimeUnit.SECONDS)) <= 0);
        assertTrue(Deadlines.remaining(Deadlines.deadline(Long.MIN_VALUE, TimeUnit.NANOSECONDS)) <= 0,
                "clamped: a very negative timeout is not a deadline decades away");
        assertTrue(Deadlines.remaining(Deadlines.deadline(WaitLoop.FOREVER - 1, TimeUnit.NANOSECONDS)) > 0,
                "a very long timeout does not overflow into the past");
    }

    @Test
    void shouldSaturateDurationsAsWaitLoopDoes() {
        assertEquals(1_500_000, Deadlines.toNanos(Duration.ofNanos(1_500_000)));
        assertEquals(WaitLoop.FOREVER - 1, Deadlines.toNanos(ChronoUnit.FOREVER.getDuration()));
        assertEquals(Long.MIN_VALUE, Deadlines.toNanos(ChronoUnit.FOREVER.getDuration().negated()));
        assertEquals("timeout", assertThrows(NullPointerException.class, () -> Deadlines.toNanos(null)).getMessage());
    }
}
