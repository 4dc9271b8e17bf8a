package io.interproc.bench;

/**
 * One implementation's figure in one scenario: a median (and, for latencies, p99 and p99.9) in
 * the scenario's unit, or the reason it is absent.
 *
 * @param impl what was measured, e.g. {@code Agrona OneToOneRingBuffer}
 * @param median the median, or NaN if absent
 * @param p99 the 99th percentile, or NaN where not meaningful (throughput)
 * @param p999 the 99.9th percentile, or NaN
 * @param note how it was measured or what to know (may be empty)
 * @param absence null if present; otherwise why not
 * @param failed true if the absence is a failure (an error), false if the peer is simply missing
 *     here (not installed, not loadable, not merged yet)
 */
record Figure(String impl, double median, double p99, double p999, String note, String absence, boolean failed) {
    static Figure of(String impl, double median, String note) {
        return new Figure(impl, median, Double.NaN, Double.NaN, note, null, false);
    }

    static Figure latency(String impl, double p50, double p99, double p999, String note) {
        return new Figure(impl, p50, p99, p999, note, null, false);
    }

    /** A peer that is not available on this machine: counts as present, with its reason. */
    static Figure missing(String impl, String reason) {
        return new Figure(impl, Double.NaN, Double.NaN, Double.NaN, "", reason, false);
    }

    /** A run that failed: a missing figure for {@code --check}. */
    static Figure failed(String impl, String reason) {
        return new Figure(impl, Double.NaN, Double.NaN, Double.NaN, "", reason, true);
    }

    boolean present() {
        return absence == null && !Double.isNaN(median);
    }

    Figure withNote(String more) {
        return new Figure(impl, median, p99, p999, note.isEmpty() ? more : note + "; " + more, absence, failed);
    }
}
