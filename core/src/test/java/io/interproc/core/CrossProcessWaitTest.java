package io.interproc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.children.WaitChild;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.core.value.ArrayDescriptor;
import io.interproc.core.wait.FutexWaiter;
import io.interproc.core.wait.WaitLoop;
import io.interproc.core.wait.Waiter;
import io.interproc.process.JvmProcess;
import io.interproc.process.JvmProcessBuilder;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A waiter in a child JVM sleeps on a word in shared memory while this JVM changes it and wakes
 * it; the same with the portable waiter. The child reports, through the segment, how it ended and
 * how much CPU its thread used while it waited.
 */
class CrossProcessWaitTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    /**
     * @param waiter {@code futex}, {@code parking}, or {@code futex-fallback}: futex without
     *     {@code futex_waitv}, as on kernels before 5.16 (sleeps in slices)
     */
    private JvmProcess start(String waiter, String segment, String mode) {
        JvmProcessBuilder builder = JvmProcess.builder(WaitChild.class).args(segment, mode).captureOutput();
        if (waiter.equals("futex-fallback")) {
            builder.systemProperty(Waiter.PROPERTY, "futex").systemProperty(FutexWaiter.WAITV_PROPERTY, "false");
        } else {
            builder.systemProperty(Waiter.PROPERTY, waiter);
        }
        return children.start(builder);
    }

    private static int word(Segment s) {
        return s.objects().stream().filter(o -> o.name().equals("w")).findFirst().orElseThrow().offset()
                + ArrayDescriptor.DATA_OFFSET;
    }

    @ParameterizedTest
    @ValueSource(strings = {"futex", "parking", "futex-fallback"})
    void shouldSleepUntilWokenFromAnotherJvm(String waiter) throws Exception {
        Segment s = segments.create(1 << 20);
        SharedLongArray w = SharedLongArray.create(s, "w", 8);
        int word = word(s);
        JvmProcess child = start(waiter, s.name(), "wake");
        // The child registers as a waiter only once its spin is over, i.e. once it sleeps.
        ChildJvms.awaitCondition("child waiting", 30, () -> s.buffer().getIntVolatile(word + 4) > 0);
        long sleepingSince = System.nanoTime();
        while (System.nanoTime() - sleepingSince < TimeUnit.SECONDS.toNanos(1)) {
            Thread.sleep(50); // let it sleep a measurable while: the property under test is its CPU use
        }
        s.buffer().setIntVolatile(word, 1);
        WaitLoop.wakeIfWaiting(s.buffer(), word, word + 4, Integer.MAX_VALUE);
        ChildJvms.awaitSuccess(child, 30);
        assertEquals(1, w.get(1), "woke with the condition met");
        long wall = w.get(2);
        long cpu = w.get(3);
        assertTrue(wall >= TimeUnit.MILLISECONDS.toNanos(900), "waited about a second: wall=" + wall);
        long maxCpu = waiter.equals("parking") ? TimeUnit.MILLISECONDS.toNanos(400) : TimeUnit.MILLISECONDS.toNanos(100);
        assertTrue(cpu < maxCpu, waiter + " waiter must sleep, not spin: cpu=" + cpu + " ns over wall=" + wall + " ns");
        assertEquals(0, s.buffer().getIntVolatile(word + 4), "waiter count back to 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"futex", "parking", "futex-fallback"})
    void shouldHonourTimeoutInAnotherJvm(String waiter) throws Exception {
        Segment s = segments.create(1 << 20);
        SharedLongArray w = SharedLongArray.create(s, "w", 8);
        ChildJvms.awaitSuccess(start(waiter, s.name(), "timeout"), 30);
        assertEquals(2, w.get(1), "timed out");
        assertTrue(w.get(4) >= TimeUnit.MILLISECONDS.toNanos(300), "waited the whole 300 ms: " + w.get(4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"futex", "parking", "futex-fallback"})
    void shouldHonourInterruptInAnotherJvm(String waiter) throws Exception {
        Segment s = segments.create(1 << 20);
        SharedLongArray w = SharedLongArray.create(s, "w", 8);
        ChildJvms.awaitSuccess(start(waiter, s.name(), "interrupt"), 30);
        assertEquals(3, w.get(1), "interrupted");
        assertEquals(1, w.get(5), "interrupt status cleared");
    }
}
