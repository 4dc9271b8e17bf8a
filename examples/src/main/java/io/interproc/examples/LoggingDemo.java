package io.interproc.examples;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.logging.FullQueuePolicy;
import io.interproc.logging.LogEvent;
import io.interproc.logging.LogListener;
import io.interproc.logging.LogPublisher;
import io.interproc.logging.LogSink;
import io.interproc.logging.SharedQueueHandler;
import io.interproc.process.JvmProcess;

import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Logging from many JVMs to one file (Python: {@code QueueHandler} in each worker, one
 * {@code QueueListener}): four worker JVMs log through {@code java.util.logging} (worker 1 through
 * {@link System.Logger}) into one {@link SharedQueue}; this JVM's {@link LogListener} writes every
 * record to one file, naming the process and thread it came from. Worker 3 is killed with SIGKILL
 * in the middle of its stream; the demo then reads the file back and checks that every record a
 * worker completed is in it exactly once, in order.
 *
 * <p>Flags: {@code --records N} per surviving worker (default 2,000), {@code --out FILE} (default
 * a new file in the temporary directory).
 */
public final class LoggingDemo {
    private static final int WORKERS = 4;
    private static final int KILLED = 3;
    private static final Pattern STEP = Pattern.compile("\\[worker-(\\d)\\[\\d+\\]/main\\] demo\\.worker #\\d+ - step (\\d+)$");

    private LoggingDemo() {
    }

    /**
     * @param args flags
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int records = 2_000;
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length && (args[i].equals("--records") || args[i].equals("--out"))) {
                usage(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--records" -> records = Integer.parseInt(args[++i]);
                case "--out" -> file = Path.of(args[++i]);
                default -> usage("unknown flag: " + args[i]);
            }
        }
        if (file == null) {
            file = Files.createTempFile("interproc-logging-demo-", ".log");
        }
        String name = "demo-logging-" + ProcessHandle.current().pid();
        try (Segment segment = Segment.create(name, 4 << 20)) {
            try {
                SharedQueue<LogEvent> queue = SharedQueue.create(segment, "logs", 256 << 10, LogEvent.codec());
                List<SharedLong> progress = new ArrayList<>();
                long[] completed = new long[WORKERS];
                try (PrintStream out = new PrintStream(new FileOutputStream(file.toFile()), false, StandardCharsets.UTF_8)) {
                    LogListener listener = LogListener.start(queue, LogSink.print(out));
                    List<JvmProcess> workers = new ArrayList<>();
                    for (int w = 0; w < WORKERS; w++) {
                        progress.add(SharedLong.create(segment, "progress-" + w));
                        workers.add(JvmProcess.builder(Worker.class)
                                .args(name, String.valueOf(w), w == KILLED ? "-1" : String.valueOf(records)).start());
                    }
                    JvmProcess victim = workers.get(KILLED);
                    while (progress.get(KILLED).get() < records / 2 && victim.isAlive()) {
                        Thread.sleep(1);
                    }
                    victim.kill();
                    victim.join(30, TimeUnit.SECONDS);
                    completed[KILLED] = progress.get(KILLED).get();
                    System.out.printf("killed worker %d (pid %d) with SIGKILL after %,d completed records%n", KILLED,
                            victim.pid(), completed[KILLED]);
                    for (int w = 0; w < WORKERS; w++) {
                        if (w != KILLED) {
                            JvmProcess p = workers.get(w);
                            if (!p.join(2, TimeUnit.MINUTES) || p.exitCode() != 0) {
                                throw new IllegalStateException("worker " + w + " failed: " + p);
                            }
                            completed[w] = progress.get(w).get();
                        }
                    }
                    if (!listener.stop(Duration.ofSeconds(30))) {
                        throw new IllegalStateException("the listener did not drain the queue in time: " + listener);
                    }
                    System.out.printf("listener wrote %,d records from %d JVMs to %s%n", listener.written(), WORKERS, file);
                }
                verify(file, completed);
            } finally {
                segment.unlink();
            }
        }
    }

    private static void usage(String problem) {
        System.err.println(problem + " (flags: --records N, --out FILE)");
        System.exit(2);
    }

    /** Reads the file back: each worker's steps 0, 1, 2 ... in order, once each. */
    private static void verify(Path file, long[] completed) throws Exception {
        long[] next = new long[WORKERS];
        long outOfOrder = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Matcher m = STEP.matcher(line);
            if (m.find()) {
                int w = Integer.parseInt(m.group(1));
                long step = Long.parseLong(m.group(2));
                if (step != next[w]) {
                    outOfOrder++;
                }
                next[w] = step + 1;
            }
        }
        boolean ok = outOfOrder == 0;
        for (int w = 0; w < WORKERS; w++) {
            // The killed worker's record in flight at the kill may be in the file or not; never in part.
            boolean complete = w == KILLED ? next[w] == completed[w] || next[w] == completed[w] + 1 : next[w] == completed[w];
            ok &= complete;
            System.out.printf("worker %d: %,d records in the file, %,d completed%s%n", w, next[w], completed[w],
                    w == KILLED ? " (killed)" : "");
        }
        System.out.println(ok ? "verified: every completed record is in the file exactly once, in order"
                : "NOT verified: " + outOfOrder + " records missing, repeated or out of order");
        if (!ok) {
            System.exit(1);
        }
    }

    /** A worker JVM: logs {@code step 0}, {@code step 1} ... through JUL. Args: segment, index, count (-1: forever). */
    public static final class Worker {
        private Worker() {
        }

        /**
         * @param args segment, worker index, records to log (-1: until killed)
         */
        public static void main(String[] args) {
            String segmentName = args[0];
            int index = Integer.parseInt(args[1]);
            long count = Long.parseLong(args[2]);
            LogManager.getLogManager().reset();
            SharedQueueHandler handler = new SharedQueueHandler(LogPublisher.open(segmentName, "logs",
                    LogPublisher.DEFAULT_CAPACITY, FullQueuePolicy.block(Duration.ofSeconds(60)), "worker-" + index));
            Logger root = Logger.getLogger("");
            root.addHandler(handler);
            try (Segment segment = Segment.open(segmentName)) {
                SharedLong progress = SharedLong.open(segment, "progress-" + index);
                Logger jul = Logger.getLogger("demo.worker");
                System.Logger system = System.getLogger("demo.worker");
                for (long i = 0; count < 0 || i < count; i++) {
                    if (index == 1) {
                        system.log(System.Logger.Level.INFO, "step " + i);
                    } else if (i % 500 == 499) {
                        jul.log(Level.WARNING, "step " + i, new IllegalStateException("a warning with a stack trace"));
                    } else {
                        jul.info("step " + i);
                    }
                    progress.set(i + 1);
                }
            } finally {
                handler.close();
            }
        }
    }
}
