package io.interproc.bench;

import io.interproc.core.Codec;
import io.interproc.process.JvmProcess;
import io.interproc.process.JvmProcessBuilder;
import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.ipc.pipe.Pipe;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.sync.SharedEvent;
import io.interproc.sync.SharedLock;
import io.interproc.sync.SharedReentrantLock;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The cross-process harness (issues 3, 4 and 6): starts its peer JVMs ({@link JvmProcess}) and
 * Python processes itself, warms them up, measures, and writes a Markdown table, a PNG chart of
 * the ratios and one MET / NOT MET line per target.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.interproc.bench.Harness [--quick] [--check]
 *      [--out DIR] [--only ID[,ID...]] [--python EXE]
 * </pre>
 * <ul>
 *   <li>{@code --quick}: a smoke run (well under a minute): short warm-ups and iterations; the
 *       figures mean little. Writes to {@code benchmarks/target/results-quick} unless {@code --out}.</li>
 *   <li>{@code --check}: exit 1 unless every figure is present (a peer missing on this machine,
 *       with its reason, counts as present; a failed run does not). Never judges speed.</li>
 *   <li>{@code --out DIR}: where {@code <date>-<host>.md/.png} and {@code latest.md/.png} go
 *       (default {@code benchmarks/results}).</li>
 *   <li>{@code --only}: run only the scenarios whose id starts with one of these prefixes.</li>
 * </ul>
 * Every measurement runs alone, one after the other; the harness JVM itself sleeps while its
 * peers run. See benchmarks/README.md for what each scenario measures.
 */
public final class Harness {
    /** Options of every Java peer JVM (the harness's own options are not passed on). */
    static final List<String> JAVA_OPTIONS = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC");
    private static final int QUEUE_CAPACITY = 1 << 20;
    private static final int PIPE_CAPACITY = 64 << 10;
    private static final Pattern LATENCY = Pattern.compile("RESULT (\\d+) (\\d+) (\\d+) (\\d+) (\\d+) (\\d+)");

    private final Settings settings;
    private final List<String> only;
    private final String python;
    private final Path tmp;
    private final Path shm;
    private String pythonVersion;
    private String pythonMissing;
    private Path pythonScript;
    private int runs;
    private final long startNanos = System.nanoTime();
    private String lastLoad = "?";

    /** Durations and counts of one mode. */
    record Settings(boolean quick, long warmupMs, int iterations, long iterationMs, int pingWarmup, int pingRounds,
            long pingMaxMillis, int pyPingWarmup, int pyPingRounds, long settleMs, long cpuWindowMs, int eventWarmup,
            int eventRounds, int uncontendedIterations, int uncontendedOps) {
        static Settings quickMode() {
            return new Settings(true, 400, 3, 100, 2_000, 10_000, 500, 200, 1_000, 300, 300, 50, 300, 5, 1_000_000);
        }

        static Settings fullMode() {
            return new Settings(false, 3_000, 5, 1_000, 50_000, 200_000, 30_000, 5_000, 50_000, 1_000, 2_000, 500,
                    10_000, 10, 20_000_000);
        }

        /** @return how long one ping-pong or Python run may take before it counts as failed, in seconds */
        long runTimeoutSeconds() {
            return quick ? 60 : 300;
        }
    }

    /** A peer JVM to start: its main class, kind, index and parameters. */
    private record Spec(Class<?> main, String kind, int index, List<String> params) {
        static Spec of(Class<?> main, String kind, int index, Object... params) {
            return new Spec(main, kind, index, Arrays.stream(params).map(String::valueOf).collect(Collectors.toList()));
        }

        boolean agrona() {
            return main == AgronaPeer.class;
        }
    }

    /** Creates the objects a run needs in its fresh segment. */
    @FunctionalInterface
    private interface SegmentSetup {
        void setUp(Segment segment) throws Exception;
    }

    private Harness(Settings settings, List<String> only, String python) throws IOException {
        this.settings = settings;
        this.only = only;
        this.python = python;
        this.tmp = Files.createTempDirectory("ipbench");
        Path devShm = Path.of("/dev/shm");
        this.shm = Files.isDirectory(devShm) && Files.isWritable(devShm)
                ? Files.createTempDirectory(devShm, "ipbench") : tmp;
    }

    /**
     * @param args see the class comment
     * @throws Exception on a harness failure (a failed peer run is reported, not thrown)
     */
    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean check = false;
        Path out = null;
        List<String> only = List.of();
        String python = "python3";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick":
                    quick = true;
                    break;
                case "--check":
                    check = true;
                    break;
                case "--out":
                    out = Path.of(args[++i]);
                    break;
                case "--only":
                    only = List.of(args[++i].split(","));
                    break;
                case "--python":
                    python = args[++i];
                    break;
                default:
                    System.err.println("usage: Harness [--quick] [--check] [--out DIR] [--only ID,...] [--python EXE]");
                    System.exit(2);
            }
        }
        Path module = Files.isRegularFile(Path.of("benchmarks", "pom.xml")) ? Path.of("benchmarks") : Path.of(".");
        if (out == null) {
            out = quick ? module.resolve("target").resolve("results-quick") : module.resolve("results");
        }
        long start = System.nanoTime();
        Harness harness = new Harness(quick ? Settings.quickMode() : Settings.fullMode(), only, python);
        int status;
        try {
            status = harness.run(out, check, String.join(" ", args));
        } finally {
            harness.cleanUp();
        }
        System.out.printf(Locale.ROOT, "Harness finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
        System.exit(status);
    }

    private int run(Path out, boolean check, String commandLine) throws Exception {
        String loadBefore = loadAverage();
        LocalDateTime started = LocalDateTime.now();
        checkPython();
        List<Scenario> scenarios = new ArrayList<>();
        if (selected("uncontended")) {
            scenarios.addAll(uncontended());
        }
        if (selected("lock-handoff")) {
            scenarios.add(lockHandoff());
        }
        if (selected("value-increment")) {
            scenarios.add(valueIncrement());
        }
        for (int size : MESSAGE_SIZES) {
            if (selected("queue-1to1-" + sizeSuffix(size))) {
                scenarios.addAll(queueOneToOne(size));
            }
        }
        for (int size : MESSAGE_SIZES) {
            if (selected("queue-2to2-" + sizeSuffix(size))) {
                scenarios.add(queueTwoToTwo(size));
            }
        }
        if (selected("pipe-pingpong")) {
            scenarios.add(pipePingPong());
        }
        if (selected("event-wakeup")) {
            scenarios.add(eventWakeup());
        }
        if (selected("blocked-cpu")) {
            scenarios.add(blockedCpu());
        }
        if (selected("blocked-cpu-1000")) {
            scenarios.add(blockedThousand());
        }
        String loadAfter = loadAverage();

        List<Report.Target> targets = targets(scenarios);
        String host = hostName();
        String date = LocalDate.now().toString();
        List<String> environment = List.of(
                "run: " + started.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).replace('T', ' ') + " on host `" + host
                        + "`, mode " + (settings.quick() ? "**quick (smoke run: figures are indicative only)**"
                        : "full") + ", command `Harness " + commandLine + "`",
                "machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + cpuModel()
                        + "; load average (1, 5, 15 min) before: " + loadBefore + ", after: " + loadAfter,
                "JDK: " + System.getProperty("java.vm.name") + " " + Runtime.version() + "; peer JVM options: "
                        + String.join(" ", JAVA_OPTIONS) + (agronaOptions().isEmpty() ? ""
                        : "; Agrona peers also: " + String.join(" ", agronaOptions())),
                "Python: " + (pythonMissing != null ? "missing (" + pythonMissing + ")"
                        : pythonVersion + " (" + python + ")") + "; Agrona " + agronaVersion(),
                "throughput: warm-up " + settings.warmupMs() + " ms, then the median of " + settings.iterations()
                        + " iterations of " + settings.iterationMs() + " ms; latency: " + settings.pingWarmup()
                        + " warm-up + " + settings.pingRounds() + " measured round trips (Python: "
                        + settings.pyPingWarmup() + " + " + settings.pyPingRounds() + "), HdrHistogram");
        Files.createDirectories(out);
        String base = date + "-" + host;
        String chartNote = null;
        try {
            Report.chart("interproc vs peers, " + date + " on " + host + (settings.quick() ? " (quick)" : ""), scenarios,
                    out.resolve(base + ".png"));
            Files.copy(out.resolve(base + ".png"), out.resolve("latest.png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (Exception | Error e) {
            chartNote = "chart not drawn: " + e;
            System.err.println(chartNote);
        }
        String heading = "interproc cross-process benchmarks — " + date + " on " + host;
        List<String> env = chartNote == null ? environment
                : Stream.concat(environment.stream(), Stream.of(chartNote)).collect(Collectors.toList());
        String dated = Report.markdown(heading, env, scenarios, targets, chartNote == null ? base + ".png" : null,
                settings.quick());
        String latest = Report.markdown(heading, env, scenarios, targets, chartNote == null ? "latest.png" : null,
                settings.quick());
        Report.write(out.resolve(base + ".md"), dated);
        Report.write(out.resolve("latest.md"), latest);
        System.out.println(dated);
        System.out.println("Written: " + out.resolve(base + ".md") + " and " + out.resolve("latest.md"));
        return check ? check(scenarios, out, base) : 0;
    }

    private void progress(String what) {
        lastLoad = loadAverage().split(",")[0];
        System.out.printf(Locale.ROOT, "[%5.1f s] load %s: %s%n", (System.nanoTime() - startNanos) / 1e9, lastLoad, what);
    }

    /** @return the figure with the 1-minute load average seen when its run started, so noise shows */
    private Figure withLoad(Figure f) {
        return f.absence() != null ? f : f.withNote("load average " + lastLoad + " at its start");
    }

    private boolean selected(String id) {
        return only.isEmpty() || only.stream().anyMatch(id::startsWith);
    }

    // ---------------------------------------------------------------- scenarios

    private List<Scenario> uncontended() throws Exception {
        String note = "one thread, one JVM, timed loop of " + settings.uncontendedOps() + " lock()+unlock(), median of "
                + settings.uncontendedIterations() + " (JMH LockBenchmark is the careful figure)";
        String seg = newSegmentName();
        progress("uncontended lock+unlock (1 JVM)");
        String[] names = {"SharedLock", "SharedReentrantLock", "ReentrantLock"};
        double[] medians = new double[3];
        String failure = null;
        try (Segment segment = Segment.create(seg, 1 << 20)) {
            Control.create(segment);
            SharedLock.create(segment, "lock");
            SharedReentrantLock.create(segment, "rlock");
            JvmProcess p = start(Spec.of(Peer.class, "uncontended", 0, settings.uncontendedIterations(),
                    settings.uncontendedOps()), seg);
            try {
                if (!p.join(120, TimeUnit.SECONDS) || p.exitCode() != 0) {
                    failure = reason(p);
                } else {
                    for (int i = 0; i < 3; i++) {
                        Matcher m = Pattern.compile("RESULT " + names[i] + " ([0-9.]+)").matcher(p.output());
                        if (!m.find()) {
                            failure = "no RESULT for " + names[i] + " in: " + p.output();
                            break;
                        }
                        medians[i] = Double.parseDouble(m.group(1));
                    }
                }
            } finally {
                p.close();
                segment.unlink();
            }
        }
        List<Scenario> result = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Figure ours = failure != null ? Figure.failed("interproc " + names[i], failure)
                    : Figure.of("interproc " + names[i], medians[i], note);
            Figure peer = failure != null ? Figure.failed("ReentrantLock", failure)
                    : Figure.of("ReentrantLock", medians[2], "same JVM, same loop");
            result.add(new Scenario(i == 0 ? "uncontended-lock" : "uncontended-rlock",
                    "uncontended " + names[i] + " lock+unlock (1 JVM)", "ns", false, withLoad(ours),
                    List.of(withLoad(peer))));
        }
        return result;
    }

    private Scenario lockHandoff() throws Exception {
        Figure ours = throughput("interproc SharedLock", "2 JVMs: lock(); counter++; unlock()",
                s -> {
                    SharedLock.create(s, "lock");
                    SharedLong.create(s, "counter");
                    SharedLong.create(s, "last");
                    SharedLong.create(s, "handoffs");
                }, List.of(Spec.of(Peer.class, "lock-shared", 0), Spec.of(Peer.class, "lock-shared", 1)), 0, 2, true);
        Path lockFile = tmp.resolve("lockfile-" + (runs + 1));
        Figure file = throughput("FileChannel.lock()", "2 JVMs: channel.lock() on one file; counter++; release()",
                s -> {
                    SharedLong.create(s, "counter");
                    SharedLong.create(s, "last");
                    SharedLong.create(s, "handoffs");
                    new RandomAccessFile(lockFile.toFile(), "rw").close();
                }, List.of(Spec.of(Peer.class, "lock-file", 0, lockFile), Spec.of(Peer.class, "lock-file", 1, lockFile)),
                0, 2, true);
        Figure py = pythonThroughput("Python multiprocessing.Lock", "lock");
        return new Scenario("lock-handoff", "lock hand-off, 2 processes", "ops/s", true, ours, List.of(file, py));
    }

    private Scenario valueIncrement() throws Exception {
        Figure ours = throughput("interproc SharedLong.incrementAndGet", "2 JVMs, one CAS-free getAndAdd each",
                s -> SharedLong.create(s, "value"),
                List.of(Spec.of(Peer.class, "value-shared", 0), Spec.of(Peer.class, "value-shared", 1)), 0, 2, true);
        Figure py = pythonThroughput("Python multiprocessing.Value (with its lock)", "value");
        return new Scenario("value-increment", "shared value increments, 2 processes", "ops/s", true, ours, List.of(py));
    }

    /** The message sizes of the queue scenarios, in bytes. */
    private static final int[] MESSAGE_SIZES = {8, 1024};

    /** @return the size in a scenario id: {@code 8B} or {@code 1KiB} */
    private static String sizeSuffix(int size) {
        return size == 8 ? "8B" : "1KiB";
    }

    /** @return the size in a scenario title: {@code 8 B} or {@code 1 KiB} */
    private static String sizeText(int size) {
        return size == 8 ? "8 B" : "1 KiB";
    }

    private List<Scenario> queueOneToOne(int size) throws Exception {
        String suffix = sizeSuffix(size);
        Figure ours = throughput("interproc SharedQueue (bytes path)", "putBytes -> takeBytes, 1 MiB ring",
                s -> SharedQueue.create(s, "q", QUEUE_CAPACITY, Codec.bytes()),
                List.of(Spec.of(Peer.class, "queue-producer", 0, size), Spec.of(Peer.class, "queue-consumer", 1, size)),
                1, 2, false);
        Path ring = agronaFile(1);
        Figure agrona = throughput("Agrona OneToOneRingBuffer", "busy-spin, 1 MiB ring over a mapped file in /dev/shm",
                s -> { }, List.of(Spec.of(AgronaPeer.class, "producer", 0, ring, "o2o", QUEUE_CAPACITY, size),
                        Spec.of(AgronaPeer.class, "consumer", 1, ring, "o2o", QUEUE_CAPACITY, size)), 1, 2, false);
        Path socket = tmp.resolve("uds-" + (runs + 1) + ".sock");
        Figure uds = throughput("Unix-domain socket (SocketChannel)", "one write(2) per message, reader drains 64 KiB",
                s -> { }, List.of(Spec.of(Peer.class, "uds-producer", 0, socket, size),
                        Spec.of(Peer.class, "uds-consumer", 1, socket, size)), 1, 2, false);
        Figure py = pythonThroughput("Python multiprocessing.Queue", "queue", "--size", String.valueOf(size));
        String sizeText = sizeText(size);
        List<Scenario> result = new ArrayList<>();
        result.add(new Scenario("queue-1to1-" + suffix, "queue 1→1, " + sizeText + " messages", "msg/s", true, ours,
                List.of(agrona, uds, py)));
        if (size == 8) {
            // The same ring driven like Agrona's (never blocking), against the same Agrona figure: separates the
            // cost of the blocking protocol from the cost of the queue's own path.
            Figure spin = throughput("interproc SharedQueue, non-blocking (offerBytes/pollBytes busy-spin)",
                    "offerBytes -> pollBytes retried with Thread.onSpinWait(), 1 MiB ring",
                    s -> SharedQueue.create(s, "q", QUEUE_CAPACITY, Codec.bytes()),
                    List.of(Spec.of(Peer.class, "queue-producer-spin", 0, size),
                            Spec.of(Peer.class, "queue-consumer-spin", 1, size)), 1, 2, false);
            result.add(new Scenario("queue-1to1-" + suffix + "-spin", "queue 1→1, " + sizeText
                    + " messages, busy-spin like Agrona", "msg/s", true, spin, List.of(agrona)));
        }
        return result;
    }

    private Scenario queueTwoToTwo(int size) throws Exception {
        Figure ours = throughput("interproc SharedQueue 2→2 (bytes path)", "2 producer JVMs, 2 consumer JVMs, 1 MiB ring",
                s -> SharedQueue.create(s, "q", QUEUE_CAPACITY, Codec.bytes()),
                List.of(Spec.of(Peer.class, "queue-producer", 0, size), Spec.of(Peer.class, "queue-producer", 1, size),
                        Spec.of(Peer.class, "queue-consumer", 2, size), Spec.of(Peer.class, "queue-consumer", 3, size)),
                2, 4, false);
        Path ring = agronaFile(1);
        Figure agrona = throughput("Agrona ManyToOneRingBuffer 2→1",
                "2 producers, ONE consumer (Agrona has no many-to-many ring), busy-spin, 1 MiB ring",
                s -> { }, List.of(Spec.of(AgronaPeer.class, "producer", 0, ring, "m2o", QUEUE_CAPACITY, size),
                        Spec.of(AgronaPeer.class, "producer", 1, ring, "m2o", QUEUE_CAPACITY, size),
                        Spec.of(AgronaPeer.class, "consumer", 2, ring, "m2o", QUEUE_CAPACITY, size)), 2, 3, false);
        return new Scenario("queue-2to2-" + sizeSuffix(size), "queue 2→2, " + sizeText(size) + " messages", "msg/s",
                true, ours, List.of(agrona));
    }

    private Scenario pipePingPong() throws Exception {
        int size = 8;
        int w = settings.pingWarmup();
        int r = settings.pingRounds();
        Figure ours = latency("interproc Pipe/Connection", "sendBytes/recvBytesInto, 8 B, spin-then-block (default 20 µs spin)",
                s -> Pipe.create(s, "pp", PIPE_CAPACITY, true),
                Spec.of(Peer.class, "pipe-pong", 0, size, w, r), Spec.of(Peer.class, "pipe-ping", 1, size, w, r, settings.pingMaxMillis()));
        Path ring = agronaFile(2);
        Figure agrona = latency("Agrona OneToOneRingBuffer ping-pong", "two 64 KiB rings, busy-spin",
                s -> { }, Spec.of(AgronaPeer.class, "pong", 0, ring, PIPE_CAPACITY, size, w, r),
                Spec.of(AgronaPeer.class, "ping", 1, ring, PIPE_CAPACITY, size, w, r, settings.pingMaxMillis()));
        Path socket = tmp.resolve("uds-" + (runs + 1) + ".sock");
        Figure uds = latency("Unix-domain socket ping-pong", "blocking SocketChannel, 8 B",
                s -> { }, Spec.of(Peer.class, "uds-pong", 0, socket, size, w, r),
                Spec.of(Peer.class, "uds-ping", 1, socket, size, w, r, settings.pingMaxMillis()));
        Figure py = pythonLatency("Python multiprocessing.Pipe", "pipe", "--size", "8",
                "--warmup-rounds", String.valueOf(settings.pyPingWarmup()), "--rounds", String.valueOf(settings.pyPingRounds()));
        return new Scenario("pipe-pingpong", "pipe ping-pong round trip, 8 B", "ns", false, ours, List.of(agrona, uds, py));
    }

    private Scenario eventWakeup() throws Exception {
        int w = settings.eventWarmup();
        int r = settings.eventRounds();
        long gap = 200;
        Figure ours = latency("interproc SharedEvent", "set() in one JVM -> await() returns in another, " + gap
                + " µs apart (the waiter is asleep in futex), System.nanoTime stamps",
                s -> {
                    SharedEvent.create(s, "ev");
                    SharedEvent.create(s, "ack");
                    SharedLong.create(s, "stamp");
                    SharedLong.create(s, "done");
                }, Spec.of(Peer.class, "event-setter", 0, w, r, settings.pingMaxMillis(), gap),
                Spec.of(Peer.class, "event-waiter", 1, w, r, settings.pingMaxMillis()));
        Figure py = pythonLatency("Python multiprocessing.Event", "event", "--gap-us", "200",
                "--warmup-rounds", String.valueOf(settings.eventWarmup()), "--rounds", String.valueOf(settings.eventRounds()));
        return new Scenario("event-wakeup", "event wake-up latency (set → await returns, other process)", "ns", false,
                ours, List.of(py));
    }

    private Scenario blockedCpu() throws Exception {
        Figure ours = blockedJava();
        Figure py = blockedPython();
        return new Scenario("blocked-cpu", "CPU of a waiter blocked in take()/get()", "cpu", false, ours, List.of(py));
    }

    /** Threads blocked at once in the {@code blocked-cpu-1000} scenario. */
    private static final int BLOCKED_THREADS = 1000;

    private Scenario blockedThousand() throws Exception {
        return new Scenario("blocked-cpu-1000", "CPU of " + BLOCKED_THREADS + " threads blocked in take() (one JVM)",
                "cpu", false, blockedThreads(BLOCKED_THREADS), List.of());
    }

    // ---------------------------------------------------------------- Java runs

    private String newSegmentName() {
        runs++;
        return "bench-" + ProcessHandle.current().pid() + "-" + runs;
    }

    private Path agronaFile(int rings) throws IOException {
        Path file = shm.resolve("agrona-" + (runs + 1) + ".ring");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(((long) rings) * (QUEUE_CAPACITY + 768)); // >= rings * (capacity + Agrona's trailer)
        }
        return file;
    }

    private static List<String> agronaOptions() {
        // JDK 24+ warns on sun.misc.Unsafe memory access (JEP 498); Agrona uses it. Its peers only.
        return Runtime.version().feature() >= 24 ? List.of("--sun-misc-unsafe-memory-access=allow") : List.of();
    }

    private JvmProcess start(Spec spec, String segment) {
        JvmProcessBuilder b = JvmProcess.builder(spec.main()).inheritJvmOptions(false)
                .jvmOptions(JAVA_OPTIONS.toArray(new String[0]));
        if (spec.agrona()) {
            b.jvmOptions(agronaOptions().toArray(new String[0]));
        }
        List<String> args = new ArrayList<>(List.of(spec.kind(), segment, String.valueOf(spec.index())));
        args.addAll(spec.params());
        return b.args(args).captureOutput().start();
    }

    /**
     * Runs the peers' loops and samples the summed counters of peers {@code [countFrom, countTo)}.
     *
     * @param split add each counted peer's share to the note
     */
    private Figure throughput(String impl, String what, SegmentSetup setup, List<Spec> specs, int countFrom,
            int countTo, boolean split) throws Exception {
        String seg = newSegmentName();
        progress(impl + " (" + what + ")");
        try (Segment segment = Segment.create(seg, 4L << 20)) {
            Control control = Control.create(segment);
            List<JvmProcess> procs = new ArrayList<>();
            try {
                setup.setUp(segment);
                for (Spec spec : specs) {
                    procs.add(start(spec, seg));
                }
                String notReady = awaitReady(control, procs, specs);
                if (notReady != null) {
                    return absent(impl, notReady, specs);
                }
                control.go();
                Thread.sleep(settings.warmupMs());
                double[] rates = new double[settings.iterations()];
                SharedLong handoffs = segment.objects().stream().anyMatch(o -> o.name().equals("handoffs"))
                        ? SharedLong.open(segment, "handoffs") : null;
                long handoffs0 = handoffs == null ? 0 : handoffs.get();
                long measureStart = System.nanoTime();
                long[] first = counts(control, countFrom, countTo);
                long[] last = first;
                for (int i = 0; i < rates.length; i++) {
                    long t0 = System.nanoTime();
                    long c0 = sum(last);
                    Thread.sleep(settings.iterationMs());
                    long[] now = counts(control, countFrom, countTo);
                    long t1 = System.nanoTime();
                    rates[i] = (sum(now) - c0) * 1e9 / (t1 - t0);
                    last = now;
                }
                for (int i = 0; i < procs.size(); i++) {
                    if (!procs.get(i).isAlive()) {
                        return absent(impl, "peer " + specs.get(i).kind() + " died during the run: " + reason(procs.get(i)),
                                specs);
                    }
                }
                control.stop();
                double[] sorted = rates.clone();
                Arrays.sort(sorted);
                String note = what + "; median of " + rates.length + " × " + settings.iterationMs() + " ms, range "
                        + Report.value(sorted[0], "/s") + " – " + Report.value(sorted[sorted.length - 1], "/s");
                if (split) {
                    long total = sum(last) - sum(first);
                    StringBuilder shares = new StringBuilder();
                    for (int i = 0; i < last.length; i++) {
                        shares.append(i == 0 ? "" : " / ").append(
                                String.format(Locale.ROOT, "%.0f%%", 100.0 * (last[i] - first[i]) / Math.max(1, total)));
                    }
                    note += "; share per JVM " + shares;
                }
                if (handoffs != null) {
                    note += "; hand-offs (an acquisition from the other JVM) "
                            + Report.value((handoffs.get() - handoffs0) * 1e9 / (System.nanoTime() - measureStart), "/s");
                }
                return withLoad(Figure.of(impl, sorted[sorted.length / 2], note));
            } finally {
                control.stop();
                for (JvmProcess p : procs) {
                    p.close();
                }
                segment.unlink();
            }
        }
    }

    private String awaitReady(Control control, List<JvmProcess> procs, List<Spec> specs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (control.readyCount() < procs.size()) {
            for (int i = 0; i < procs.size(); i++) {
                if (!procs.get(i).isAlive()) {
                    procs.get(i).join(2, TimeUnit.SECONDS);
                    return "peer " + specs.get(i).kind() + " exited before it was ready: " + reason(procs.get(i));
                }
            }
            if (System.nanoTime() - deadline > 0) {
                return "peers not ready after 60 s (" + control.readyCount() + " of " + procs.size() + ")";
            }
            Thread.sleep(5);
        }
        return null;
    }

    private static long[] counts(Control control, int from, int to) {
        long[] c = new long[to - from];
        for (int i = from; i < to; i++) {
            c[i - from] = control.count(i);
        }
        return c;
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
    }

    /** Runs a pinger that prints {@code RESULT p50 p90 p99 p999 max count} against its ponger. */
    private Figure latency(String impl, String what, SegmentSetup setup, Spec pong, Spec ping) throws Exception {
        String seg = newSegmentName();
        progress(impl + " (" + what + ")");
        try (Segment segment = Segment.create(seg, 4L << 20)) {
            Control.create(segment);
            JvmProcess pongProcess = null;
            JvmProcess pingProcess = null;
            try {
                setup.setUp(segment);
                pongProcess = start(pong, seg);
                pingProcess = start(ping, seg);
                long timeout = settings.runTimeoutSeconds();
                if (!pingProcess.join(timeout, TimeUnit.SECONDS)) {
                    return absent(impl, "no result after " + timeout + " s", List.of(ping));
                }
                if (pingProcess.exitCode() != 0) {
                    JvmProcess culprit = pongProcess.isAlive() ? pingProcess : pongProcess;
                    pongProcess.join(2, TimeUnit.SECONDS);
                    return absent(impl, reason(culprit), List.of(culprit == pingProcess ? ping : pong));
                }
                Matcher m = LATENCY.matcher(pingProcess.output());
                if (!m.find()) {
                    return Figure.failed(impl, "no RESULT line in: " + pingProcess.output());
                }
                return withLoad(Figure.latency(impl, Double.parseDouble(m.group(1)), Double.parseDouble(m.group(3)),
                        Double.parseDouble(m.group(4)), what + "; p90 " + Report.value(Double.parseDouble(m.group(2)), "ns")
                        + ", max " + Report.value(Double.parseDouble(m.group(5)), "ns") + ", " + m.group(6) + " measured"));
            } finally {
                if (pingProcess != null) {
                    pingProcess.close();
                }
                if (pongProcess != null) {
                    pongProcess.close();
                }
                segment.unlink();
            }
        }
    }

    private Figure blockedJava() throws Exception {
        String impl = "interproc SharedQueue.take()";
        String seg = newSegmentName();
        progress(impl + " (2 JVMs blocked)");
        List<Spec> specs = List.of(Spec.of(Peer.class, "blocked-take", 0), Spec.of(Peer.class, "blocked-take", 1));
        try (Segment segment = Segment.create(seg, 4L << 20)) {
            Control control = Control.create(segment);
            SharedQueue.create(segment, "q", 64 << 10, Codec.bytes());
            List<JvmProcess> procs = new ArrayList<>();
            try {
                for (Spec spec : specs) {
                    procs.add(start(spec, seg));
                }
                String notReady = awaitReady(control, procs, specs);
                if (notReady != null) {
                    return absent(impl, notReady, specs);
                }
                Thread.sleep(settings.settleMs());
                List<Map<String, Long>> before = new ArrayList<>();
                for (JvmProcess p : procs) {
                    before.add(cpuByThread(p.pid()));
                }
                long t0 = System.nanoTime();
                Thread.sleep(settings.cpuWindowMs());
                double seconds = (System.nanoTime() - t0) / 1e9;
                double[] waiter = new double[procs.size()];
                double[] whole = new double[procs.size()];
                Map<String, Double> byName = new TreeMap<>();
                for (int i = 0; i < procs.size(); i++) {
                    if (!procs.get(i).isAlive()) {
                        return absent(impl, "peer died while blocked: " + reason(procs.get(i)), specs);
                    }
                    Map<String, Long> after = cpuByThread(procs.get(i).pid());
                    for (Map.Entry<String, Long> e : after.entrySet()) {
                        double ms = (e.getValue() - before.get(i).getOrDefault(e.getKey(), 0L)) / 1e6 / seconds;
                        String name = e.getKey().substring(0, e.getKey().lastIndexOf('/'));
                        whole[i] += ms;
                        if (name.equals("java")) {
                            waiter[i] += ms; // the launcher thread (idle) and the main thread, blocked in takeBytes()
                        } else {
                            byName.merge(name, ms / procs.size(), Double::sum);
                        }
                    }
                }
                String others = byName.entrySet().stream().filter(e -> e.getValue() >= 0.05)
                        .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                        .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(", "));
                double mean = Arrays.stream(waiter).average().orElse(Double.NaN);
                return withLoad(Figure.of(impl, mean, String.format(Locale.ROOT,
                        "2 JVMs blocked in takeBytes() on an empty queue for %.1f s after %d ms to settle; figure: the "
                        + "blocked main thread (%.3f and %.3f ms/s), which sleeps in the kernel until woken (no "
                        + "slices); the whole JVM used %.2f and %.2f ms/s (other threads, ms/s per JVM: %s); from "
                        + "/proc/<pid>/task/*/schedstat", seconds, settings.settleMs(), waiter[0], waiter[1], whole[0],
                        whole[1], others.isEmpty() ? "none" : others)));
            } finally {
                for (JvmProcess p : procs) {
                    p.close();
                }
                segment.unlink();
            }
        }
    }

    /**
     * One JVM with {@code n} threads blocked in {@code takeBytes()} on an empty queue; the figure is
     * the CPU of those threads together, in ms per second (per thread in the note).
     */
    private Figure blockedThreads(int n) throws Exception {
        String impl = "interproc SharedQueue.take() × " + n;
        String seg = newSegmentName();
        progress(impl + " (1 JVM, " + n + " threads blocked)");
        List<Spec> specs = List.of(Spec.of(Peer.class, "blocked-threads", 0, n));
        try (Segment segment = Segment.create(seg, 4L << 20)) {
            Control control = Control.create(segment);
            SharedQueue.create(segment, "q", 64 << 10, Codec.bytes());
            JvmProcess proc = start(specs.get(0), seg);
            try {
                String notReady = awaitReady(control, List.of(proc), specs);
                if (notReady != null) {
                    return absent(impl, notReady, specs);
                }
                Thread.sleep(settings.settleMs());
                Map<String, Long> before = cpuByThread(proc.pid());
                long t0 = System.nanoTime();
                Thread.sleep(Math.max(settings.cpuWindowMs(), 1000));
                double seconds = (System.nanoTime() - t0) / 1e9;
                Map<String, Long> after = cpuByThread(proc.pid());
                if (!proc.isAlive()) {
                    return absent(impl, "peer died while blocked: " + reason(proc), specs);
                }
                double blocked = 0;
                double whole = 0;
                int threads = 0;
                for (Map.Entry<String, Long> e : after.entrySet()) {
                    double ms = (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / 1e6 / seconds;
                    whole += ms;
                    if (e.getKey().startsWith(Peer.BLOCKED_THREAD_PREFIX)) {
                        blocked += ms;
                        threads++;
                    }
                }
                if (threads < n) {
                    return Figure.failed(impl, "found " + threads + " of " + n + " blocked threads in /proc");
                }
                return withLoad(Figure.of(impl, blocked, String.format(Locale.ROOT,
                        "%d threads blocked in takeBytes() on one empty queue for %.1f s after %d ms to settle: "
                        + "%.3f ms/s together (%.1f %% of one core), %.5f ms/s per thread; the whole JVM %.2f ms/s "
                        + "(%d threads); from /proc/<pid>/task/*/schedstat", n, seconds, settings.settleMs(), blocked,
                        blocked / 10, blocked / n, whole, after.size())));
            } finally {
                proc.close();
                segment.unlink();
            }
        }
    }

    private Figure blockedPython() throws Exception {
        String impl = "Python multiprocessing.Queue.get()";
        if (pythonMissing != null) {
            return Figure.missing(impl, pythonMissing);
        }
        progress(impl + " (blocked)");
        Process p = new ProcessBuilder(python, pythonScript.toString(), "blocked").redirectError(
                ProcessBuilder.Redirect.to(tmp.resolve("py-blocked.err").toFile())).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                OutputStream stdin = p.getOutputStream()) {
            String line = in.readLine();
            if (line == null || !line.startsWith("PID ")) {
                p.waitFor(5, TimeUnit.SECONDS);
                return Figure.failed(impl, "no PID line: " + lastLines(Files.readString(tmp.resolve("py-blocked.err"))));
            }
            long pid = Long.parseLong(line.substring(4).trim());
            Thread.sleep(settings.settleMs());
            long before = sum(cpuByThread(pid));
            long t0 = System.nanoTime();
            Thread.sleep(settings.cpuWindowMs());
            long after = sum(cpuByThread(pid));
            double seconds = (System.nanoTime() - t0) / 1e9;
            stdin.write('\n');
            stdin.flush();
            p.waitFor(10, TimeUnit.SECONDS);
            return withLoad(Figure.of(impl, (after - before) / 1e6 / seconds, String.format(Locale.ROOT,
                    "1 child process blocked in Queue.get() for %.1f s, all its threads, same /proc measure", seconds)));
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * @return CPU time in ns of each thread of the process, keyed {@code name/tid}, from
     *     {@code /proc/<pid>/task/<tid>/schedstat}; or one entry {@code process/0} from
     *     {@link ProcessHandle} where there is no {@code /proc}
     */
    static Map<String, Long> cpuByThread(long pid) throws IOException {
        Map<String, Long> cpu = new TreeMap<>();
        Path tasks = Path.of("/proc", String.valueOf(pid), "task");
        if (Files.isDirectory(tasks)) {
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
                for (Path task : dir) {
                    try {
                        String name = Files.readString(task.resolve("comm")).trim();
                        String stat = Files.readString(task.resolve("schedstat")).trim();
                        cpu.put(name + "/" + task.getFileName(), Long.parseLong(stat.substring(0, stat.indexOf(' '))));
                    } catch (IOException | RuntimeException threadGone) {
                        // a thread that ended meanwhile
                    }
                }
            }
            return cpu;
        }
        cpu.put("process/0", ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(d -> d.toNanos())
                .orElse(0L));
        return cpu;
    }

    private static long sum(Map<String, Long> values) {
        return values.values().stream().mapToLong(Long::longValue).sum();
    }

    /** A figure for a run that did not produce one: "missing" if Agrona cannot load, else failed. */
    private static Figure absent(String impl, String reason, List<Spec> specs) {
        boolean agrona = specs.stream().anyMatch(Spec::agrona);
        if (agrona && (reason.contains("NoClassDefFoundError") || reason.contains("ClassNotFoundException"))
                && reason.toLowerCase(Locale.ROOT).contains("agrona")) {
            return Figure.missing(impl, "Agrona not loadable: " + reason);
        }
        return Figure.failed(impl, reason);
    }

    private static String reason(JvmProcess p) {
        String exit;
        try {
            exit = p.isAlive() ? "still running" : "exit code " + p.exitCode();
        } catch (RuntimeException e) {
            exit = e.getMessage();
        }
        String err = "";
        try {
            err = lastLines(p.errorOutput());
        } catch (RuntimeException ignored) {
            // not captured
        }
        return exit + (err.isEmpty() ? "" : ": " + err);
    }

    /** @return the first exception line of a stderr text, else its last line */
    private static String lastLines(String text) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.toList());
        for (String l : lines) {
            if (l.contains("Exception") || l.contains("Error")) {
                return l;
            }
        }
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    // ---------------------------------------------------------------- Python runs

    private void checkPython() throws IOException {
        try (InputStream in = Harness.class.getResourceAsStream("/python/interproc_peers.py")) {
            if (in != null) {
                pythonScript = tmp.resolve("interproc_peers.py");
                Files.copy(in, pythonScript);
            } else {
                Path source = Path.of("benchmarks", "src", "main", "python", "interproc_peers.py");
                pythonScript = Files.isRegularFile(source) ? source : Path.of("src", "main", "python", "interproc_peers.py");
            }
        }
        if (!Files.isRegularFile(pythonScript)) {
            pythonMissing = "interproc_peers.py not found in the jar nor in src/main/python";
            return;
        }
        try {
            Process p = new ProcessBuilder(python, "-c", "import multiprocessing, sys; print(sys.version.split()[0])")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                pythonMissing = python + " cannot import multiprocessing: " + lastLines(out);
            } else {
                pythonVersion = out;
            }
        } catch (IOException e) {
            pythonMissing = python + " not found on PATH (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pythonMissing = "interrupted";
        }
    }

    private String runPython(List<String> args, String what) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python, pythonScript.toString()));
        command.addAll(args);
        progress(what + " (python " + String.join(" ", args) + ")");
        Path out = tmp.resolve("py.out");
        Path err = tmp.resolve("py.err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        long timeout = settings.runTimeoutSeconds();
        if (!p.waitFor(timeout, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("no result after " + timeout + " s");
        }
        String stdout = Files.readString(out);
        for (String line : stdout.lines().collect(Collectors.toList())) {
            if (line.startsWith("RESULT ")) {
                return line.substring(7);
            }
        }
        throw new IOException("exit code " + p.exitValue() + ", no RESULT: " + lastLines(Files.readString(err)));
    }

    private Figure pythonThroughput(String impl, String scenario, String... extra) throws InterruptedException {
        if (pythonMissing != null) {
            return Figure.missing(impl, pythonMissing);
        }
        List<String> args = new ArrayList<>(List.of(scenario, "--warmup", seconds(settings.warmupMs()),
                "--iterations", String.valueOf(settings.iterations()), "--duration", seconds(settings.iterationMs())));
        args.addAll(List.of(extra));
        try {
            String json = runPython(args, impl);
            double[] samples = jsonArray(json, "samples");
            double[] sorted = samples.clone();
            Arrays.sort(sorted);
            String handoffs = json.contains("\"handoffs_per_s\"")
                    ? "; hand-offs (an acquisition from the other process) " + Report.value(jsonNumber(json, "handoffs_per_s"), "/s")
                    : "";
            return withLoad(Figure.of(impl, sorted[sorted.length / 2], jsonString(json, "what") + "; median of " + samples.length
                    + " × " + settings.iterationMs() + " ms, range " + Report.value(sorted[0], "/s") + " – "
                    + Report.value(sorted[sorted.length - 1], "/s") + handoffs));
        } catch (IOException | RuntimeException e) {
            return Figure.failed(impl, e.getMessage());
        }
    }

    private Figure pythonLatency(String impl, String scenario, String... args) throws InterruptedException {
        if (pythonMissing != null) {
            return Figure.missing(impl, pythonMissing);
        }
        try {
            String json = runPython(List.of(Stream.concat(Stream.of(scenario), Stream.of(args)).toArray(String[]::new)), impl);
            return withLoad(Figure.latency(impl, jsonNumber(json, "p50"), jsonNumber(json, "p99"), jsonNumber(json, "p999"),
                    jsonString(json, "what") + "; p90 " + Report.value(jsonNumber(json, "p90"), "ns") + ", max "
                    + Report.value(jsonNumber(json, "max"), "ns") + ", " + (long) jsonNumber(json, "count")
                    + " measured, " + jsonString(json, "clock")));
        } catch (IOException | RuntimeException e) {
            return Figure.failed(impl, e.getMessage());
        }
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    static double jsonNumber(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": (-?[0-9.eE+-]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("no \"" + key + "\" in " + json);
        }
        return Double.parseDouble(m.group(1));
    }

    static double[] jsonArray(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": \\[([^\\]]*)\\]").matcher(json);
        if (!m.find() || m.group(1).isBlank()) {
            throw new IllegalArgumentException("no \"" + key + "\" samples in " + json);
        }
        return Arrays.stream(m.group(1).split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
    }

    static String jsonString(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    // ---------------------------------------------------------------- targets and check

    private static List<Report.Target> targets(List<Scenario> scenarios) {
        List<Report.Target> targets = new ArrayList<>();
        Scenario uncontended = find(scenarios, "uncontended-lock");
        if (uncontended != null) {
            Figure f = uncontended.ours();
            targets.add(new Report.Target("uncontended SharedLock lock+unlock ≤ 30 ns",
                    !f.present() ? "UNKNOWN" : f.median() <= 30 ? "MET" : "NOT MET",
                    f.present() ? Report.value(f.median(), "ns") + " (ReentrantLock "
                            + Report.value(uncontended.peers().get(0).median(), "ns") + ")" : "figure absent"));
        }
        cpuTarget(targets, find(scenarios, "blocked-cpu"), 0.05, 1,
                "liveness: a blocked waiter uses ≤ 0.05 ms of CPU per second");
        cpuTarget(targets, find(scenarios, "blocked-cpu-1000"), 10, BLOCKED_THREADS,
                "liveness: " + BLOCKED_THREADS + " blocked threads use ≤ 1 % of one core together (10 ms/s)");
        ratioTarget(targets, find(scenarios, "lock-handoff"), "FileChannel", 10, false,
                "issue 3: lock hand-off between 2 JVMs ≥ 10× FileChannel.lock()");
        ratioTarget(targets, find(scenarios, "queue-1to1-8B"), "Agrona", 1, false,
                "issue 4: queue 1→1, 8 B ≥ Agrona OneToOneRingBuffer");
        ratioTarget(targets, find(scenarios, "queue-1to1-8B"), "Python", 100, false,
                "issue 4: queue 1→1, 8 B ≥ 100× Python multiprocessing.Queue");
        ratioTarget(targets, find(scenarios, "pipe-pingpong"), "Agrona", 1, false,
                "pipe ping-pong round trip p50 ≤ Agrona ring ping-pong");
        ratioTarget(targets, find(scenarios, "pipe-pingpong"), "Unix", 20, false,
                "pipe ping-pong round trip p50 ≥ 20× faster than Unix-domain sockets");
        return targets;
    }

    /** A CPU target on interproc's own figure (ms/s), with the per-thread share when there are several threads. */
    private static void cpuTarget(List<Report.Target> targets, Scenario s, double limit, int threads, String text) {
        if (s == null) {
            return;
        }
        Figure f = s.ours();
        String detail = !f.present() ? "figure absent" : Report.value(f.median(), "cpu")
                + (threads > 1 ? String.format(Locale.ROOT, " (%.5f ms/s per thread)", f.median() / threads) : "");
        targets.add(new Report.Target(text, !f.present() ? "UNKNOWN" : f.median() <= limit ? "MET" : "NOT MET", detail));
    }

    private static void ratioTarget(List<Report.Target> targets, Scenario s, String peerPrefix, double needed,
            boolean p99, String text) {
        if (s == null) {
            return;
        }
        Figure peer = s.peer(peerPrefix);
        double r = peer == null ? Double.NaN : p99 ? s.ratioP99(peer) : s.ratio(peer);
        String detail = Double.isNaN(r) ? "figure absent"
                : Report.ratio(r) + " (interproc " + Report.value(s.ours().median(), s.unit()) + ", " + peer.impl() + " "
                + Report.value(peer.median(), s.unit()) + ")";
        targets.add(new Report.Target(text, Double.isNaN(r) ? "UNKNOWN" : r >= needed ? "MET" : "NOT MET", detail));
    }

    private static Scenario find(List<Scenario> scenarios, String id) {
        return scenarios.stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
    }

    private static int check(List<Scenario> scenarios, Path out, String base) {
        List<String> problems = new ArrayList<>();
        int figures = 0;
        for (Scenario s : scenarios) {
            for (Figure f : Stream.concat(Stream.of(s.ours()), s.peers().stream()).collect(Collectors.toList())) {
                figures++;
                if (f.absence() != null) {
                    if (f.failed()) {
                        problems.add(s.id() + " / " + f.impl() + ": FAILED: " + f.absence());
                    }
                } else if (!f.present()) {
                    problems.add(s.id() + " / " + f.impl() + ": no figure");
                }
            }
        }
        if (scenarios.isEmpty()) {
            problems.add("no scenario ran");
        }
        for (String file : List.of(base + ".md", "latest.md")) {
            if (!Files.isRegularFile(out.resolve(file))) {
                problems.add("not written: " + out.resolve(file));
            }
        }
        if (problems.isEmpty()) {
            System.out.println("CHECK OK: " + figures + " figures present in " + scenarios.size() + " scenarios");
            return 0;
        }
        System.out.println("CHECK FAILED: " + problems.size() + " of " + figures + " figures missing");
        problems.forEach(p -> System.out.println("  " + p));
        return 1;
    }

    // ---------------------------------------------------------------- environment

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown CPU");
        } catch (IOException | RuntimeException e) {
            return "unknown CPU";
        }
    }

    private static String hostName() {
        String h = null;
        try {
            h = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            h = System.getenv("HOSTNAME");
        }
        if (h == null || h.isBlank()) {
            h = "unknown-host";
        }
        return h.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String agronaVersion() {
        try (InputStream in = Harness.class.getResourceAsStream("peers.properties")) {
            if (in == null) {
                return "version unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("agrona.version", "version unknown");
        } catch (IOException e) {
            return "version unknown";
        }
    }

    private void cleanUp() {
        for (Path dir : new Path[] {tmp, shm}) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | RuntimeException e) {
                System.err.println("could not remove " + dir + ": " + e);
            }
        }
    }
}
