package io.interproc.bench;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.process.JvmProcess;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The liveness measurements: peer JVMs whose threads block in {@code takeBytes()} on an empty
 * {@link SharedQueue}, and the CPU those threads use while blocked ({@link ThreadCpu}), in ms
 * per second. A waiter that sleeps in the kernel should use none.
 */
final class BlockedRuns {
    private final Settings settings;
    private final Workspace workspace;
    private final Progress progress;
    private final JvmRuns jvm;

    BlockedRuns(Settings settings, Workspace workspace, Progress progress, JvmRuns jvm) {
        this.settings = settings;
        this.workspace = workspace;
        this.progress = progress;
        this.jvm = jvm;
    }

    /** @return the mean CPU of the blocked main threads of two JVMs (the whole JVMs in the note) */
    Figure twoJvms() throws Exception {
        String impl = "interproc SharedQueue.take()";
        String seg = workspace.newSegmentName();
        progress.step(impl + " (2 JVMs blocked)");
        List<PeerSpec> specs = List.of(PeerSpec.of(Peer.class, "blocked-take", 0), PeerSpec.of(Peer.class, "blocked-take", 1));
        try (Segment segment = Segment.create(seg, 4L << 20)) {
            Control control = Control.create(segment);
            SharedQueue.create(segment, "q", 64 << 10, Codec.bytes());
            List<JvmProcess> procs = new ArrayList<>();
            try {
                for (PeerSpec spec : specs) {
                    procs.add(jvm.start(spec, seg));
                }
                String notReady = jvm.awaitReady(control, procs, specs);
                if (notReady != null) {
                    return Failures.absent(impl, notReady, specs);
                }
                Thread.sleep(settings.settleMs());
                List<Map<String, Long>> before = new ArrayList<>();
                for (JvmProcess p : procs) {
                    before.add(ThreadCpu.byThread(p.pid()));
                }
                long t0 = System.nanoTime();
                Thread.sleep(settings.cpuWindowMs());
                double seconds = (System.nanoTime() - t0) / 1e9;
                double[] waiter = new double[procs.size()];
                double[] whole = new double[procs.size()];
                Map<String, Double> byName = new TreeMap<>();
                for (int i = 0; i < procs.size(); i++) {
                    if (!procs.get(i).isAlive()) {
                        return Failures.absent(impl, "peer died while blocked: " + Failures.reason(procs.get(i)), specs);
                    }
                    Map<String, Long> after = ThreadCpu.byThread(procs.get(i).pid());
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
                return progress.withLoad(Figure.of(impl, mean, String.format(Locale.ROOT,
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
    Figure threads(int n) throws Exception {
        String impl = "interproc SharedQueue.take() × " + n;
        String seg = workspace.newSegmentName();
        progress.step(impl + " (1 JVM, " + n + " threads blocked)");
        List<PeerSpec> specs = List.of(PeerSpec.of(Peer.class, "blocked-threads", 0, n));
        try (Segment segment = Segment.create(seg, 4L << 20)) {
            Control control = Control.create(segment);
            SharedQueue.create(segment, "q", 64 << 10, Codec.bytes());
            JvmProcess proc = jvm.start(specs.get(0), seg);
            try {
                String notReady = jvm.awaitReady(control, List.of(proc), specs);
                if (notReady != null) {
                    return Failures.absent(impl, notReady, specs);
                }
                Thread.sleep(settings.settleMs());
                Map<String, Long> before = ThreadCpu.byThread(proc.pid());
                long t0 = System.nanoTime();
                Thread.sleep(Math.max(settings.cpuWindowMs(), 1000));
                double seconds = (System.nanoTime() - t0) / 1e9;
                Map<String, Long> after = ThreadCpu.byThread(proc.pid());
                if (!proc.isAlive()) {
                    return Failures.absent(impl, "peer died while blocked: " + Failures.reason(proc), specs);
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
                return progress.withLoad(Figure.of(impl, blocked, String.format(Locale.ROOT,
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
}
