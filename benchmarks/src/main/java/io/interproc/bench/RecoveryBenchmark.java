package io.interproc.bench;

import io.interproc.cli.args.ArgParser;
import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.process.JvmProcess;
import io.interproc.sync.SharedLock;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recovery after {@code kill -9}: a child JVM holds a lock, a thread of this JVM waits for it in
 * {@code lock()}, the child is killed with SIGKILL, and the time from the kill to the waiter's
 * acquisition is measured. The peer is {@code FileChannel.lock()}, which the kernel releases as
 * the process dies (the floor for any recovery). Prints median, p90 and max of each over
 * {@code --rounds} rounds, with the load average.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.interproc.bench.RecoveryBenchmark [--rounds N]</pre>
 */
public final class RecoveryBenchmark {
    private RecoveryBenchmark() {
    }

    /**
     * @param args {@code --rounds N} (default 20)
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int rounds = new ArgParser("RecoveryBenchmark", "RecoveryBenchmark [--rounds N]").help().option("--rounds", "N")
                .parseOrExit(args, a -> a.intValue("--rounds", 20, 1, 1_000_000));
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        String name = "bench-recovery-" + ProcessHandle.current().pid();
        Path file = Files.createTempFile("bench-recovery", ".lock");
        try (Segment s = Segment.create(name, 1 << 20)) {
            SharedLock lock = SharedLock.create(s, "lock");
            SharedLong held = SharedLong.create(s, "held");
            long[] ours = new long[rounds];
            long[] peer = new long[rounds];
            for (int r = 0; r < rounds; r++) {
                ours[r] = round(s, held, () -> {
                    lock.lock();
                    lock.unlock();
                }, "interproc");
                peer[r] = round(s, held, () -> {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.lock().release();
                    }
                }, file.toString());
            }
            System.out.printf(Locale.ROOT, "load average at start: %s%n", load);
            print("interproc SharedLock, waiter blocked in lock()", ours);
            print("FileChannel.lock(), waiter blocked in lock()", peer);
            System.out.printf(Locale.ROOT, "ratio of medians (interproc / FileChannel): %.2f%n",
                    (double) median(ours) / median(peer));
        } finally {
            Segment.unlink(name, io.interproc.core.SegmentOptions.defaults());
            Files.deleteIfExists(file);
        }
    }

    /** Something that blocks until the lock is free, then takes and releases it. */
    private interface Acquire {
        void run() throws Exception;
    }

    private static long round(Segment s, SharedLong held, Acquire acquire, String what) throws Exception {
        held.set(0);
        JvmProcess holder = JvmProcess.start(Holder.class, s.name(), what);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (held.get() == 0) {
                if (System.nanoTime() > deadline || !holder.isAlive()) {
                    throw new IllegalStateException("holder did not take the lock: " + holder.errorOutput());
                }
                Thread.sleep(5);
            }
            AtomicLong acquiredAt = new AtomicLong();
            Thread waiter = new Thread(() -> {
                try {
                    acquire.run();
                    acquiredAt.set(System.nanoTime());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            waiter.start();
            // The waiter is asleep in the kernel by then (a benchmark, not a test); a random delay so
            // that the kill falls at any phase of a periodic check, if the waiter has one.
            Thread.sleep(100 + java.util.concurrent.ThreadLocalRandom.current().nextInt(200));
            long killedAt = System.nanoTime();
            holder.kill();
            waiter.join(TimeUnit.SECONDS.toMillis(60));
            if (acquiredAt.get() == 0) {
                throw new IllegalStateException(what + ": the waiter did not get the lock within 60 s of the kill");
            }
            return acquiredAt.get() - killedAt;
        } finally {
            holder.kill();
            holder.join(30, TimeUnit.SECONDS);
        }
    }

    private static long median(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    private static void print(String what, long[] nanos) {
        long[] c = nanos.clone();
        Arrays.sort(c);
        System.out.printf(Locale.ROOT, "%-48s median %8.3f ms   p90 %8.3f ms   max %8.3f ms   (%d rounds)%n", what,
                c[c.length / 2] / 1e6, c[(int) (c.length * 0.9)] / 1e6, c[c.length - 1] / 1e6, c.length);
    }

    /** The child: takes the lock ({@code interproc}) or a file lock (a path), reports, and waits to be killed. */
    public static final class Holder {
        private Holder() {
        }

        /**
         * @param args segment name, then {@code interproc} or the path of a file to lock
         * @throws IOException on failure
         * @throws InterruptedException never in practice: it sleeps until killed
         */
        public static void main(String[] args) throws IOException, InterruptedException {
            Segment s = Segment.open(args[0]);
            if (args[1].equals("interproc")) {
                SharedLock.open(s, "lock").lock();
            } else {
                FileChannel.open(Path.of(args[1]), StandardOpenOption.WRITE).lock();
            }
            SharedLong.open(s, "held").set(1);
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
