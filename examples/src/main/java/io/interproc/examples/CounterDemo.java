package io.interproc.examples;

import io.interproc.cli.args.ArgParser;
import io.interproc.cli.args.ParsedArgs;
import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.process.JvmProcess;
import io.interproc.sync.SharedLock;

import java.util.ArrayList;
import java.util.List;

/**
 * A shared counter updated from several JVMs, twice: as a plain read-then-write under a
 * {@link SharedLock} (Python: {@code with lock: v.value += 1}), and with {@link SharedLong}
 * atomics ({@code incrementAndGet}). Both totals must be exact; the times show what the lock costs.
 *
 * <p>Flags: {@code --jvms N} (default 3), {@code --increments N} per JVM (default 200,000).
 */
public final class CounterDemo {
    private CounterDemo() {
    }

    /** The command line: {@code counter [--jvms N] [--increments N]}. */
    static final ArgParser ARGS = new ArgParser("counter", "counter [--jvms N] [--increments N]").help()
            .option("--jvms", "N").option("--increments", "N");

    /** The demo's options. */
    record Options(int jvms, int increments) {
    }

    /** @throws io.interproc.cli.args.UsageException on a bad value */
    static Options options(ParsedArgs a) {
        return new Options(a.intValue("--jvms", 3, 1, 1024), a.intValue("--increments", 200_000, 1, Integer.MAX_VALUE));
    }

    /**
     * @param args flags
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Options options = ARGS.parseOrExit(args, CounterDemo::options);
        int jvms = options.jvms();
        int increments = options.increments();
        String name = "demo-counter-" + ProcessHandle.current().pid();
        try (Segment segment = Segment.create(name, 1 << 20)) {
            try {
                SharedLock.create(segment, "lock");
                SharedLong locked = SharedLong.create(segment, "locked");
                SharedLong atomic = SharedLong.create(segment, "atomic");
                for (String mode : new String[] {"lock", "atomic"}) {
                    long start = System.nanoTime();
                    List<JvmProcess> children = new ArrayList<>();
                    for (int j = 0; j < jvms; j++) {
                        children.add(JvmProcess.builder(Worker.class).args(name, mode, String.valueOf(increments)).start());
                    }
                    for (JvmProcess child : children) {
                        child.join();
                        if (child.exitCode() != 0) {
                            throw new IllegalStateException(child + " failed");
                        }
                    }
                    double ms = (System.nanoTime() - start) / 1e6;
                    long total = mode.equals("lock") ? locked.get() : atomic.get();
                    System.out.printf("%-7s %d JVMs x %,d increments = %,d (expected %,d) %s, %.0f ms including JVM start%n",
                            mode, jvms, increments, total, (long) jvms * increments,
                            total == (long) jvms * increments ? "exact" : "WRONG", ms);
                }
            } finally {
                segment.unlink();
            }
        }
    }

    /** A worker JVM. Args: segment, mode (lock | atomic), increments. */
    public static final class Worker {
        private Worker() {
        }

        /**
         * @param args segment, mode, increments
         */
        public static void main(String[] args) {
            int n = Integer.parseInt(args[2]);
            try (Segment segment = Segment.open(args[0])) {
                if (args[1].equals("lock")) {
                    SharedLock lock = SharedLock.open(segment, "lock");
                    SharedLong value = SharedLong.open(segment, "locked");
                    for (int i = 0; i < n; i++) {
                        lock.lock();
                        try {
                            value.set(value.get() + 1); // a non-atomic read-modify-write, made safe by the lock
                        } finally {
                            lock.unlock();
                        }
                    }
                } else {
                    SharedLong value = SharedLong.open(segment, "atomic");
                    for (int i = 0; i < n; i++) {
                        value.incrementAndGet();
                    }
                }
            }
        }
    }
}
