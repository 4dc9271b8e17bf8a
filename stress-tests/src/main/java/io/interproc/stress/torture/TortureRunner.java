package io.interproc.stress.torture;

import io.interproc.cli.args.ArgParser;
import io.interproc.cli.args.ParsedArgs;
import io.interproc.cli.args.UsageException;
import io.interproc.core.Segment;
import io.interproc.process.JvmProcess;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The kill -9 torture run: for a number of seconds, worker JVMs hammer a lock-protected counter, a
 * queue of checksummed sequenced messages (some larger than the ring, so streamed), a pipe
 * ping-pong, a barrier, and a SharedMap and SharedList checked against an oracle, while this JVM SIGKILLs random workers at random moments and restarts
 * them. Then it stops them, drains the queue, checks everything, and prints one table: operations
 * done, processes killed, lock recoveries, the longest time a survivor waited on a dead process,
 * and messages lost, duplicated or corrupted. Exits 1 if any of those three, or any invariant
 * violation, is not 0.
 *
 * <p>Run: {@code java -cp stress-tests/target/jcstress.jar io.interproc.stress.torture.TortureRunner
 * --seconds 60 [--seed N] [--kill-every-ms MIN MAX]}.
 */
public final class TortureRunner {
    private static final String[] ROLES = {"lock", "lock", "producer", "producer", "consumer", "consumer", "ping",
        "pong", "barrier", "barrier", "barrier", "map", "map", "list", "list"};
    private static final int[] INDEXES = {0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 2, 0, 1, 0, 1};

    private final TortureLayout t;
    private final String segmentName;
    private final JvmProcess[] workers = new JvmProcess[ROLES.length];
    private final Map<String, Integer> kills = new LinkedHashMap<>();
    private final List<Set<Long>> uncertain = new ArrayList<>();
    private final List<Set<Long>> uncertainAppends = List.of(new HashSet<>(), new HashSet<>());
    private int consumerKillsInFlight;
    private final List<String> failures = new ArrayList<>();

    private TortureRunner(TortureLayout layout, String segmentName) {
        this.t = layout;
        this.segmentName = segmentName;
        for (int p = 0; p < TortureLayout.PRODUCERS; p++) {
            uncertain.add(new HashSet<>());
        }
    }

    /** The command line, as the shared parser reads it. */
    static final ArgParser ARGS = new ArgParser("TortureRunner",
            "TortureRunner [--seconds N] [--seed N] [--kill-every-ms MIN MAX]").help()
            .option("--seconds", "N").option("--seed", "N").option("--kill-every-ms", "MIN", "MAX");

    /** The runner's options. */
    record Options(int seconds, long seed, int minKillMillis, int maxKillMillis) {
    }

    /** @throws UsageException on a bad value, or MIN above MAX */
    static Options options(ParsedArgs a) {
        int seconds = a.intValue("--seconds", 60, 1, 7 * 24 * 3600);
        long seed = a.longValue("--seed", System.nanoTime(), Long.MIN_VALUE, Long.MAX_VALUE);
        int minKill = 200;
        int maxKill = 800;
        if (a.has("--kill-every-ms")) {
            minKill = a.intValueAt("--kill-every-ms", 0, 1, Integer.MAX_VALUE);
            maxKill = a.intValueAt("--kill-every-ms", 1, 1, Integer.MAX_VALUE);
            if (minKill > maxKill) {
                throw new UsageException("--kill-every-ms", "--kill-every-ms needs MIN <= MAX, not " + minKill + " "
                        + maxKill);
            }
        }
        return new Options(seconds, seed, minKill, maxKill);
    }

    /**
     * @param args {@code --seconds N}, {@code --seed N}, {@code --kill-every-ms MIN MAX}
     * @throws Exception if the run cannot be set up
     */
    public static void main(String[] args) throws Exception {
        Options o = ARGS.parseOrExit(args, TortureRunner::options);
        int seconds = o.seconds();
        long seed = o.seed();
        int minKill = o.minKillMillis();
        int maxKill = o.maxKillMillis();
        String name = "torture-" + ProcessHandle.current().pid();
        int exit;
        try (Segment segment = Segment.create(name, TortureLayout.segmentSize())) {
            try {
                exit = new TortureRunner(TortureLayout.create(segment), name).run(seconds, seed, minKill, maxKill);
            } finally {
                segment.unlink();
            }
        }
        System.exit(exit);
    }

    private JvmProcess start(int w) {
        return JvmProcess.builder(TortureWorker.class)
                .inheritJvmOptions(false)
                .jvmOptions("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k")
                .args(segmentName, ROLES[w], String.valueOf(INDEXES[w]))
                .captureOutput()
                .start();
    }

    private int run(int seconds, long seed, int minKill, int maxKill) throws Exception {
        System.out.printf("torture: %d s, seed %d, a SIGKILL every %d-%d ms, %d worker JVMs, segment %s%n", seconds,
                seed, minKill, maxKill, ROLES.length, segmentName);
        Random random = new Random(seed);
        for (int w = 0; w < ROLES.length; w++) {
            workers[w] = start(w);
        }
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        try {
            while (System.nanoTime() < end) {
                TimeUnit.MILLISECONDS.sleep(minKill + random.nextInt(Math.max(1, maxKill - minKill)));
                checkUnexpectedExits();
                int w = random.nextInt(ROLES.length);
                kill(w);
                workers[w] = start(w);
            }
            t.stop.set();
            for (int w = 0; w < ROLES.length; w++) {
                if (!workers[w].join(30, TimeUnit.SECONDS)) {
                    failures.add(ROLES[w] + " " + INDEXES[w] + " did not stop within 30 s after the stop event: "
                            + workers[w]);
                } else if (workers[w].exitCode() != 0) {
                    failures.add(describeExit(w));
                }
            }
        } finally {
            for (JvmProcess p : workers) {
                if (p != null) {
                    p.close();
                }
            }
        }
        return report((System.nanoTime() - start) / 1e9);
    }

    private void checkUnexpectedExits() {
        for (int w = 0; w < ROLES.length; w++) {
            if (!workers[w].isAlive()) {
                failures.add(describeExit(w));
                workers[w] = start(w);
            }
        }
    }

    private String describeExit(int w) {
        JvmProcess p = workers[w];
        return ROLES[w] + " " + INDEXES[w] + " (pid " + p.pid() + ") exited with " + p.exitCode() + ": "
                + p.errorOutput().lines().limit(5).reduce("", (a, b) -> a + "\n    " + b);
    }

    private void kill(int w) throws InterruptedException {
        JvmProcess victim = workers[w];
        victim.kill();
        if (!victim.join(30, TimeUnit.SECONDS)) {
            failures.add("killed " + victim + " did not die within 30 s");
        }
        kills.merge(ROLES[w], 1, Integer::sum);
        int i = INDEXES[w];
        switch (ROLES[w]) {
            case "producer" -> {
                long attempted = t.producers.get(i * 2 + TortureLayout.P_ATTEMPTED);
                long confirmed = t.producers.get(i * 2 + TortureLayout.P_CONFIRMED);
                for (long seq = confirmed + 1; seq <= attempted; seq++) {
                    uncertain.get(i).add(seq); // killed inside a put or a batch put: published or not, both are right
                }
            }
            case "list" -> t.collections.listWorkerKilled(i, uncertainAppends);
            case "consumer" -> {
                if (t.consumerHolding.get(i) != 0) {
                    consumerKillsInFlight++; // it may have taken a message and not recorded it yet
                    t.consumerHolding.set(i, 0);
                }
            }
            default -> {
            }
        }
    }

    private int report(double seconds) {
        // Drain what is left, checking it as the consumers do.
        ByteBuffer buf = ByteBuffer.allocate(TortureLayout.STREAM_SIZE);
        long drained = 0;
        long corrupt = 0;
        long duplicates = 0;
        while (true) {
            buf.clear();
            int len = t.queue.pollBytes(buf);
            if (len < 0) {
                break;
            }
            drained++;
            ByteBuffer b = ByteBuffer.wrap(buf.array(), 0, len);
            int producer = len >= 24 ? b.getInt(0) : -1;
            long seq = len >= 24 ? b.getLong(8) : -1;
            if (producer < 0 || producer >= TortureLayout.PRODUCERS || seq < 0 || seq >= TortureLayout.MAX_SEQ
                    || b.getLong(len - 8) != TortureLayout.checksum(buf.array(), len)) {
                corrupt++;
            } else if (!t.markSeen(producer, seq)) {
                duplicates++;
            }
        }
        long missing = 0;
        long excusedUncertain = 0;
        long sent = 0;
        for (int p = 0; p < TortureLayout.PRODUCERS; p++) {
            long top = Math.max(t.producers.get(p * 2 + TortureLayout.P_ATTEMPTED),
                    t.producers.get(p * 2 + TortureLayout.P_CONFIRMED));
            for (long seq = 0; seq <= top; seq++) {
                if (t.wasSeen(p, seq)) {
                    sent++;
                } else if (uncertain.get(p).contains(seq)) {
                    excusedUncertain++;
                } else {
                    missing++;
                }
            }
        }
        long countedLost = t.queue.messagesLost();
        long unexplained = Math.max(0, missing - countedLost);
        long inFlight = Math.min(unexplained, consumerKillsInFlight);
        long lost = unexplained - inFlight;
        long dup = duplicates + t.counters.get(TortureLayout.C_DUPLICATE) + t.counters.get(TortureLayout.C_ORDER);
        long corrupted = corrupt + t.counters.get(TortureLayout.C_CORRUPT) + t.counters.get(TortureLayout.C_PIPE_CORRUPT);
        long lockViolations = t.lockState.get(TortureLayout.L_VIOLATIONS);
        long barrierViolations = t.counters.get(TortureLayout.C_BARRIER_VIOLATIONS);
        int killed = kills.values().stream().mapToInt(Integer::intValue).sum();

        System.out.println();
        System.out.println("| torture result | value |");
        System.out.println("|---|---|");
        row("duration", String.format("%.1f s", seconds));
        row("processes killed (SIGKILL)", killed + " " + kills);
        row("lock increments", t.lockState.get(TortureLayout.L_COUNTER));
        row("queue messages delivered and verified", String.format("%d (%d drained at the end)", sent, drained));
        row("pipe round trips", t.counters.get(TortureLayout.C_PIPE_ROUNDS));
        row("barrier passes / generations / breaks", t.counters.get(TortureLayout.C_BARRIER_PASSES) + " / "
                + t.barrierGeneration.get() + " / " + t.counters.get(TortureLayout.C_BARRIER_BROKEN));
        row("lock recoveries (lock / queue producer / queue consumer)", t.lock.recoveries() + " / "
                + t.queue.producerRecoveries() + " / " + t.queue.consumerRecoveries());
        row("longest wait that ended in a lock recovery", ms(t.lockState.get(TortureLayout.L_MAX_RECOVERY_NANOS)));
        row("longest single operation of a survivor", ms(t.counters.get(TortureLayout.C_MAX_OP_NANOS)));
        row("streamed messages discarded (producer killed mid-stream)", t.queue.partialsDiscarded());
        row("streamed messages lost and counted (consumer killed mid-stream)", countedLost);
        row("puts cut short by a kill (may or may not have been published)", excusedUncertain + " not published");
        row("messages in flight in a consumer when it was killed", inFlight);
        row("**messages lost**", lost);
        row("**messages duplicated or out of order**", dup);
        row("**messages corrupted** (queue and pipe)", corrupted);
        row("lock mutual-exclusion violations", lockViolations);
        row("barrier releases without the action", barrierViolations);
        boolean collectionsOk = true;
        for (Map.Entry<String, Object> r : t.collections.check(uncertainAppends).entrySet()) {
            row(r.getKey(), r.getValue());
            collectionsOk &= !r.getKey().startsWith("**") || ((Long) r.getValue()) == 0;
        }
        for (String f : failures) {
            System.out.println("worker failure: " + f);
        }
        boolean ok = lost == 0 && dup == 0 && corrupted == 0 && lockViolations == 0 && barrierViolations == 0
                && failures.isEmpty() && collectionsOk;
        System.out.println(ok ? "torture: PASSED" : "torture: FAILED");
        return ok ? 0 : 1;
    }

    private static void row(String name, Object value) {
        System.out.println("| " + name + " | " + value + " |");
    }

    private static String ms(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }
}
