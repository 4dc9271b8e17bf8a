package io.interproc.bench;

/**
 * The durations and counts of one harness mode: {@code --quick} (a smoke run whose figures mean
 * little) or the full run. Every runner reads its warm-ups, iterations and windows from here.
 */
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

    /** @return how long one Java or Python ping-pong run may take before it counts as failed, in seconds */
    long runTimeoutSeconds() {
        return quick ? 60 : 300;
    }
}
