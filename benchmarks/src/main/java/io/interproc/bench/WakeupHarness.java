package io.interproc.bench;

import io.interproc.core.Segment;
import io.interproc.core.SharedIntArray;
import io.interproc.process.JvmProcess;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cross-JVM wake-up latency: a round trip between two JVMs through two words in a segment, with
 * three ways to wait, measured in the same run so the figures compare:
 * <ul>
 *   <li>{@code spin}: pure busy-wait (the floor; burns a core per waiter);</li>
 *   <li>{@code spin-then-wait}: {@code WaitLoop} with its default spin (20 µs) then futex;</li>
 *   <li>{@code wait}: {@code WaitLoop} with no spin, every hand-off a futex wake-up.</li>
 * </ul>
 * Run: {@code java -cp benchmarks/target/benchmarks.jar io.interproc.bench.WakeupHarness [rounds]}.
 * Prints one Markdown table of round-trip percentiles in microseconds.
 */
public final class WakeupHarness {
    private WakeupHarness() {
    }

    /**
     * @param args optional: measured rounds (default 200000)
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int warmup = Math.max(rounds / 4, 1000);
        String[][] modes = {{"spin", "spin", "20"}, {"spin-then-wait", "wait", "20"}, {"wait", "wait", "0"}};
        List<String> rows = new ArrayList<>();
        for (String[] mode : modes) {
            String name = "bench-wakeup-" + ProcessHandle.current().pid();
            try (Segment segment = Segment.create(name, 1 << 20)) {
                SharedIntArray.create(segment, "pp", 64);
                JvmProcess pong = JvmProcess.builder(WakeupPingPong.class)
                        .args("pong", name, mode[1], String.valueOf(warmup), String.valueOf(rounds))
                        .systemProperty("interproc.wait.spinMicros", mode[2]).captureOutput().start();
                JvmProcess ping = JvmProcess.builder(WakeupPingPong.class)
                        .args("ping", name, mode[1], String.valueOf(warmup), String.valueOf(rounds))
                        .systemProperty("interproc.wait.spinMicros", mode[2]).captureOutput().start();
                try {
                    if (!ping.join(10, TimeUnit.MINUTES) || ping.exitCode() != 0) {
                        throw new IllegalStateException("pinger failed: " + ping.errorOutput());
                    }
                    pong.join(1, TimeUnit.MINUTES);
                    String line = ping.output().lines().filter(l -> l.startsWith("RESULT")).findFirst()
                            .orElseThrow(() -> new IllegalStateException("no result from pinger: " + ping.output()));
                    String[] f = line.split(" ");
                    rows.add(String.format("| %s | %.2f | %.2f | %.2f | %.2f | %.2f |", mode[0], us(f[2]), us(f[3]),
                            us(f[4]), us(f[5]), us(f[6])));
                } finally {
                    ping.close();
                    pong.close();
                    segment.unlink();
                }
            }
        }
        System.out.println("Cross-JVM round trip (two hand-offs), " + rounds + " rounds, microseconds");
        System.out.println("| wait | p50 | p90 | p99 | p99.9 | max |");
        System.out.println("|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static double us(String nanos) {
        return Long.parseLong(nanos) / 1000.0;
    }
}
