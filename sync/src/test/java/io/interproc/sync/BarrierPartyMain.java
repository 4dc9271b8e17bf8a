package io.interproc.sync;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM for {@link BarrierMultiProcessTest}. Args: segment, mode, then per mode:
 * <ul>
 *   <li>{@code rounds <n>}: passes the barrier "b" n times. Its action (this process's copy)
 *       increments the SharedLong "actions" and stamps the new count into "stamp"; after
 *       returning from round r the process checks that both equal r, i.e. that the action of
 *       that generation ran exactly once before it was released, and counts any mismatch in
 *       "errors".</li>
 *   <li>{@code wait <index>}: awaits "b" once, untimed, and reports in the SharedLong
 *       "result-index": 1 for BrokenBarrierException, 2 for a normal return, 3 for anything
 *       else.</li>
 * </ul>
 */
public final class BarrierPartyMain {
    private BarrierPartyMain() {
    }

    public static void main(String[] args) throws Exception {
        try (Segment segment = Segment.open(args[0])) {
            switch (args[1]) {
                case "rounds":
                    rounds(segment, Integer.parseInt(args[2]));
                    break;
                case "wait":
                    waitOnce(segment, args[2]);
                    break;
                default:
                    throw new IllegalArgumentException("mode=" + args[1]);
            }
        }
    }

    private static void rounds(Segment segment, int rounds) throws Exception {
        SharedLong actions = SharedLong.open(segment, "actions");
        SharedLong stamp = SharedLong.open(segment, "stamp");
        SharedLong errors = SharedLong.open(segment, "errors");
        SharedBarrier b = SharedBarrier.open(segment, "b", () -> stamp.set(actions.incrementAndGet()));
        for (int r = 1; r <= rounds; r++) {
            b.await(60, TimeUnit.SECONDS);
            long a = actions.get();
            long st = stamp.get();
            if (a != r || st != r) {
                errors.incrementAndGet();
                System.err.println("round " + r + ": actions=" + a + ", stamp=" + st);
            }
        }
    }

    private static void waitOnce(Segment segment, String index) {
        SharedLong result = SharedLong.open(segment, "result-" + index);
        SharedBarrier b = SharedBarrier.open(segment, "b");
        try {
            b.await();
            result.set(2);
        } catch (BrokenBarrierException e) {
            result.set(1);
        } catch (Exception e) {
            e.printStackTrace();
            result.set(3);
        }
    }
}
