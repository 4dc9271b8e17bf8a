package io.interproc.sync;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Child JVM for {@link SemaphoreMultiProcessTest}. Args: segment, iterations. Waits for the event
 * "go", then repeatedly takes a permit of "sem", counts itself into "inside", records the largest
 * "inside" ever seen into "max" (CAS max), holds the permit ~200 µs, leaves and releases; counts
 * every pass in "passes".
 */
public final class SemaphoreHolderMain {
    private SemaphoreHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        try (Segment segment = Segment.open(args[0])) {
            int iterations = Integer.parseInt(args[1]);
            SharedSemaphore sem = SharedSemaphore.open(segment, "sem");
            SharedLong inside = SharedLong.open(segment, "inside");
            SharedLong max = SharedLong.open(segment, "max");
            SharedLong passes = SharedLong.open(segment, "passes");
            if (!SharedEvent.open(segment, "go").await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no go within 60 s");
            }
            for (int i = 0; i < iterations; i++) {
                sem.acquire();
                long now = inside.incrementAndGet();
                max.accumulateAndGet(now, Math::max);
                LockSupport.parkNanos(200_000);
                inside.decrementAndGet();
                passes.incrementAndGet();
                sem.release();
            }
        }
    }
}
