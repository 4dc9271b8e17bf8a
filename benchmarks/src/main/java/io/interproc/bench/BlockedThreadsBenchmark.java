package io.interproc.bench;

import io.interproc.cli.args.ArgParser;
import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.SegmentOptions;
import io.interproc.ipc.queue.SharedQueue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * CPU of N platform threads blocked in {@code SharedQueue.takeBytes()} on an empty queue: the
 * whole process's CPU time over {@code --seconds} after one second to settle, in ms per second
 * of wall time, total and per thread. Standalone so that it runs unchanged against older builds
 * (before/after comparisons in one session).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.interproc.bench.BlockedThreadsBenchmark [--threads N] [--seconds S]</pre>
 */
public final class BlockedThreadsBenchmark {
    private BlockedThreadsBenchmark() {
    }

    /**
     * @param args {@code --threads N} (default 1000), {@code --seconds S} (default 5)
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int[] values = new ArgParser("BlockedThreadsBenchmark", "BlockedThreadsBenchmark [--threads N] [--seconds S]")
                .help().option("--threads", "N").option("--seconds", "S")
                .parseOrExit(args, a -> new int[] {a.intValue("--threads", 1000, 1, 100_000),
                        a.intValue("--seconds", 5, 1, 3600)});
        int threads = values[0];
        int seconds = values[1];
        String name = "bench-blocked-" + ProcessHandle.current().pid();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Segment s = Segment.create(name, 4 << 20)) {
            SharedQueue<byte[]> q = SharedQueue.create(s, "q", 1 << 16, Codec.bytes());
            List<Thread> blocked = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(() -> {
                    try {
                        q.takeBytes(ByteBuffer.allocate(64));
                    } catch (InterruptedException | RuntimeException e) {
                        // ended by the interrupt or the close below
                    }
                }, "blocked-" + i);
                t.setDaemon(true);
                t.start();
                blocked.add(t);
            }
            Thread.sleep(1000); // to settle: every thread asleep, the JIT quiet
            String load = Files.readString(Path.of("/proc/loadavg")).trim();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            long cpu = os.getProcessCpuTime() - cpu0;
            double wallSeconds = (System.nanoTime() - t0) / 1e9;
            double msPerSecond = cpu / 1e6 / wallSeconds;
            System.out.printf(Locale.ROOT, "load average at start: %s%n", load);
            System.out.printf(Locale.ROOT, "%d threads blocked in SharedQueue.takeBytes(): process CPU %.3f ms/s "
                    + "(%.3f %% of one core), %.5f ms/s per thread%n", threads, msPerSecond, msPerSecond / 10,
                    msPerSecond / threads);
            blocked.forEach(Thread::interrupt);
        } finally {
            Segment.unlink(name, SegmentOptions.defaults());
        }
        System.exit(0);
    }
}
