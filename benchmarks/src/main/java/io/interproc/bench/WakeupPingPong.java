package io.interproc.bench;

import io.interproc.core.Segment;
import io.interproc.core.SharedIntArray;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.value.ArrayDescriptor;
import io.interproc.core.wait.WaitLoop;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * One side of a cross-JVM ping-pong on two futex words, started by {@link WakeupHarness}. The
 * pinger writes {@code i} to word A and waits for word B to read {@code i}; the ponger waits for A
 * and answers on B. Waiting is either {@code spin} (busy loop, no system call) or {@code wait}
 * ({@link WaitLoop}: spin for {@code interproc.wait.spinMicros}, then futex). The pinger prints
 * {@code RESULT <mode> p50 p90 p99 p999 max} in nanoseconds per round trip.
 *
 * <p>Args: role (ping | pong), segment name, mode (spin | wait), warm-up rounds, measured rounds.
 */
public final class WakeupPingPong {
    // Int indexes in the SharedIntArray "pp": A word, A waiters, (pad), B word, B waiters.
    private static final int A = 0;
    private static final int A_WAITERS = 1;
    private static final int B = 32;
    private static final int B_WAITERS = 33;

    private WakeupPingPong() {
    }

    /**
     * @param args role, segment, mode, warm-up rounds, measured rounds
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        String role = args[0];
        boolean spin = args[2].equals("spin");
        int warmup = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        try (Segment segment = Segment.open(args[1])) {
            SharedIntArray.open(segment, "pp");
            int base = segment.objects().stream().filter(o -> o.name().equals("pp")).findFirst().orElseThrow().offset()
                    + ArrayDescriptor.DATA_OFFSET;
            SharedBuffer b = segment.buffer();
            int total = warmup + rounds;
            if (role.equals("pong")) {
                for (int i = 1; i <= total; i++) {
                    await(segment, base, A, A_WAITERS, i, spin);
                    signal(b, base, B, B_WAITERS, i);
                }
                return;
            }
            Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            for (int i = 1; i <= total; i++) {
                long t0 = System.nanoTime();
                signal(b, base, A, A_WAITERS, i);
                await(segment, base, B, B_WAITERS, i, spin);
                if (i > warmup) {
                    h.recordValue(System.nanoTime() - t0);
                }
            }
            System.out.printf("RESULT %s %d %d %d %d %d%n", args[2], h.getValueAtPercentile(50),
                    h.getValueAtPercentile(90), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue());
        }
    }

    private static void signal(SharedBuffer b, int base, int word, int waiters, int value) {
        b.setIntVolatile(base + word * 4, value);
        WaitLoop.wakeIfWaiting(b, base + word * 4, base + waiters * 4, 1);
    }

    private static void await(Segment segment, int base, int word, int waiters, int value, boolean spin)
            throws InterruptedException {
        SharedBuffer b = segment.buffer();
        int at = base + word * 4;
        if (spin) {
            while (b.getIntVolatile(at) != value) {
                Thread.onSpinWait();
            }
            return;
        }
        WaitLoop.await(segment, at, base + waiters * 4, () -> {
            int seen = b.getIntVolatile(at);
            return seen == value ? WaitLoop.DONE : seen;
        }, WaitLoop.SliceCheck.NONE, WaitLoop.FOREVER);
    }
}
