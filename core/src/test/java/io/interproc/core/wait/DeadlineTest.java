package io.interproc.core.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class DeadlineTest {
    @Test
    void shouldHaveNoDeadlineForForever() {
        assertEquals(Deadline.NONE, Deadline.deadline(WaitLoop.FOREVER, TimeUnit.NANOSECONDS));
        assertEquals(WaitLoop.FOREVER, Deadline.remaining(Deadline.NONE));
    }

    @Test
    void shouldCountDownAndGoNegativeOncePassed() {
        long d = Deadline.deadline(1, TimeUnit.HOURS);
        long left = Deadline.remaining(d);
        assertTrue(left > TimeUnit.MINUTES.toNanos(59) && left <= TimeUnit.HOURS.toNanos(1), "left=" + left);
        assertTrue(Deadline.remaining(Deadline.deadline(0, TimeUnit.SECONDS)) <= 0);
        assertTrue(Deadline.remaining(Deadline.deadline(Long.MIN_VALUE, TimeUnit.NANOSECONDS)) <= 0,
                "clamped: a very negative timeout is not a deadline decades away");
        assertTrue(Deadline.remaining(Deadline.deadline(WaitLoop.FOREVER - 1, TimeUnit.NANOSECONDS)) > 0,
                "a very long timeout does not overflow into the past");
    }

    @Test
    void shouldSaturateDurationsAsWaitLoopDoes() {
        assertEquals(1_500_000, Deadline.toNanos(Duration.ofNanos(1_500_000)));
        assertEquals(WaitLoop.FOREVER - 1, Deadline.toNanos(ChronoUnit.FOREVER.getDuration()));
        assertEquals(Long.MIN_VALUE, Deadline.toNanos(ChronoUnit.FOREVER.getDuration().negated()));
        assertEquals("timeout", assertThrows(NullPointerException.class, () -> Deadline.toNanos(null)).getMessage());
    }
}
