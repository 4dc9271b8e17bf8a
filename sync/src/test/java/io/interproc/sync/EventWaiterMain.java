package io.interproc.sync;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.core.SharedLongArray;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM for {@link EventMultiProcessTest}. Args: segment, index. Waits for the event "ev"
 * (60 s at most), then writes into the SharedLongArray "report" at {@code 4 * index}: [0] 1 if it
 * woke because the event was set, 2 on timeout; [1] the payload it read after waking (a plain
 * read of the SharedLong "payload"'s memory); [2] its waiting thread's CPU nanos; [3] wall nanos.
 */
public final class EventWaiterMain {
    private EventWaiterMain() {
    }

    public static void main(String[] args) throws Exception {
        try (Segment segment = Segment.open(args[0])) {
            int base = 4 * Integer.parseInt(args[1]);
            SharedEvent ev = SharedEvent.open(segment, "ev");
            SharedLongArray report = SharedLongArray.open(segment, "report");
            SharedLong.open(segment, "payload");
            int payloadAt = segment.objects().stream().filter(o -> o.name().equals("payload")).findFirst()
                    .orElseThrow().offset();
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long cpu0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            boolean woke = ev.await(60, TimeUnit.SECONDS);
            long wall = System.nanoTime() - t0;
            long cpu = mx.getCurrentThreadCpuTime() - cpu0;
            long payload = segment.buffer().getLong(payloadAt); // plain: ordered by the await
            report.set(base + 1, payload);
            report.set(base + 2, cpu);
            report.set(base + 3, wall);
            report.set(base, woke ? 1 : 2);
        }
    }
}
