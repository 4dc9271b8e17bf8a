package io.interproc.bench;

import java.util.List;

/**
 * The figures of one scenario: interproc's and each peer's, measured in the same run.
 *
 * @param id short stable name, e.g. {@code queue-1to1-8B}
 * @param title what is measured
 * @param unit {@code ops/s}, {@code msg/s}, {@code ns} or {@code cpu} (ms of CPU per second)
 * @param higherIsBetter true for throughput, false for times
 * @param ours interproc's figure
 * @param peers the peers' figures
 */
record Scenario(String id, String title, String unit, boolean higherIsBetter, Figure ours, List<Figure> peers) {
    /**
     * @param peer one of {@link #peers()}
     * @return how many times better interproc's median is (above 1: interproc better), NaN if
     *     either is absent or zero
     */
    double ratio(Figure peer) {
        return ratio(ours.median(), peer.median());
    }

    /** @return as {@link #ratio(Figure)} for the p99 values */
    double ratioP99(Figure peer) {
        return ratio(ours.p99(), peer.p99());
    }

    private double ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || a <= 0 || b <= 0) {
            return Double.NaN;
        }
        return higherIsBetter ? a / b : b / a;
    }

    /** @return the peer whose name starts with {@code prefix}, or null */
    Figure peer(String prefix) {
        return peers.stream().filter(p -> p.impl().startsWith(prefix)).findFirst().orElse(null);
    }
}
