package io.interproc.bench;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.process.JvmProcess;
import io.interproc.process.JvmProcessBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts the Java peer JVMs of one run and times them. Each run gets a fresh segment holding a
 * {@link Control} block and what the scenario's {@link SegmentSetup} creates; the peers report
 * ready there, start on "go", count their operations in their {@link Control} slots (throughput)
 * or print a {@code RESULT} line of percentiles (latency), and are closed and the segment
 * unlinked whatever happens. A run that fails becomes a failed or missing {@link Figure}.
 */
final class JvmRuns {
    /** Options of every Java peer JVM (the harness's own options are not passed on). */
    static final List<String> JAVA_OPTIONS = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC");
    private static final Pattern LATENCY = Pattern.compile("RESULT (\\d+) (\\d+) (\\d+) (\\d+) (\\d+) (\\d+)");

    /** Creates the objects a run needs in its fresh segment. */
    @FunctionalInterface
    interface SegmentSetup {
        void setUp(Segment segment) throws Exception;
    }

    private final Settings settings;
    private final Workspace workspace;
    private final Progress progress;

    JvmRuns(Settings settings, Workspace workspace, Progress progress) {
        this.settings = settings;
        this.workspace = workspace;
        this.progress = progress;
    }

    /** @return the extra options of Agrona's peers */
    static List<String> agronaOptions() {
        // JDK 24+ warns on sun.misc.Unsafe memory access (JEP 498); Agrona uses it. Its peers only.
        return Runtime.version().feature() >= 24 ? List.of("--sun-misc-unsafe-memory-access=allow") : List.of();
    }

    /** @return the started peer, its output captured, with arguments {@code kind segment index params...} */
    JvmProcess start(PeerSpec spec, String segment) {
        JvmProcessBuilder b = JvmProcess.builder(spec.main()).inheritJvmOptions(false)
                .jvmOptions(JAVA_OPTIONS.toArray(new String[0]));
        if (spec.agrona() || spec.main() == CodecPeer.class) {
            b.jvmOptions(agronaOptions().toArray(new String[0]));
        }
        if (spec.main() == CodecPeer.class) {
            b.jvmOptions(io.interproc.chronicle.ChronicleJvmOptions.REQUIRED.toArray(new String[0]))
                    .jvmOptions(io.interproc.chronicle.ChronicleJvmOptions.NO_ANALYTICS);
        }
        if (spec.main() == ChronicleMapPeer.class) { // collections (issue 15): Chronicle's module flags
            b.jvmOptions(ChronicleMapPeer.JVM_OPTIONS.toArray(new String[0]));
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
    Figure throughput(String impl, String what, SegmentSetup setup, List<PeerSpec> specs, int countFrom,
            int countTo, boolean split) throws Exception {
        String seg = workspace.newSegmentName();
        progress.step(impl + " (" + what + ")");
        try (Segment segment = Segment.create(seg, 4L << 20)) {
            Control control = Control.create(segment);
            List<JvmProcess> procs = new ArrayList<>();
            try {
                setup.setUp(segment);
                for (PeerSpec spec : specs) {
                    procs.add(start(spec, seg));
                }
                String notReady = awaitReady(control, procs, specs);
                if (notReady != null) {
                    return Failures.absent(impl, notReady, specs);
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
                        return Failures.absent(impl, "peer " + specs.get(i).kind() + " died during the run: "
                                + Failures.reason(procs.get(i)), specs);
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
                return progress.withLoad(Figure.of(impl, sorted[sorted.length / 2], note));
            } finally {
                control.stop();
                for (JvmProcess p : procs) {
                    p.close();
                }
                segment.unlink();
            }
        }
    }

    /**
     * Waits up to 60 s until every peer has reported ready in {@code control}.
     *
     * @return null when all are ready, else why not (a peer exited, or the time ran out)
     */
    String awaitReady(Control control, List<JvmProcess> procs, List<PeerSpec> specs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (control.readyCount() < procs.size()) {
            for (int i = 0; i < procs.size(); i++) {
                if (!procs.get(i).isAlive()) {
                    procs.get(i).join(2, TimeUnit.SECONDS);
                    return "peer " + specs.get(i).kind() + " exited before it was ready: " + Failures.reason(procs.get(i));
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
    Figure latency(String impl, String what, SegmentSetup setup, PeerSpec pong, PeerSpec ping) throws Exception {
        String seg = workspace.newSegmentName();
        progress.step(impl + " (" + what + ")");
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
                    return Failures.absent(impl, "no result after " + timeout + " s", List.of(ping));
                }
                if (pingProcess.exitCode() != 0) {
                    JvmProcess culprit = pongProcess.isAlive() ? pingProcess : pongProcess;
                    pongProcess.join(2, TimeUnit.SECONDS);
                    return Failures.absent(impl, Failures.reason(culprit), List.of(culprit == pingProcess ? ping : pong));
                }
                Matcher m = LATENCY.matcher(pingProcess.output());
                if (!m.find()) {
                    return Figure.failed(impl, "no RESULT line in: " + pingProcess.output());
                }
                return progress.withLoad(Figure.latency(impl, Double.parseDouble(m.group(1)), Double.parseDouble(m.group(3)),
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
}
