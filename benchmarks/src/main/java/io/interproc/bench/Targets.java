package io.interproc.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The targets the project set itself (issues 3, 4 and 6, and liveness), judged on a run's
 * figures: one MET / NOT MET / UNKNOWN line each at the top of the report. A target whose
 * scenario did not run is left out.
 */
final class Targets {
    private Targets() {
    }

    /** @return the verdicts on the scenarios that ran */
    static List<Report.Target> of(List<Scenario> scenarios) {
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
        int blocked = ScenarioCatalogue.BLOCKED_THREADS;
        cpuTarget(targets, find(scenarios, "blocked-cpu-1000"), 10, blocked,
                "liveness: " + blocked + " blocked threads use ≤ 1 % of one core together (10 ms/s)");
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
        // collections (issue 15)
        for (String id : new String[] {"map-get-8B", "map-put-8B", "map-get-100B", "map-put-100B"}) {
            ratioTarget(targets, find(scenarios, id), "Chronicle", 1, false, "issue 15: " + id + " ≥ Chronicle Map");
            ratioTarget(targets, find(scenarios, id), "Python", 100, false, "issue 15: " + id
                    + " ≥ 100× Python Manager().dict()");
        }
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
}
