package io.interproc.bench;

import java.util.Locale;

/**
 * The harness's progress lines ({@code [  1.2 s] load 0.31: what}) and the load average each
 * figure's run started under, which goes into the figure's note so that noise shows.
 */
final class Progress {
    private final long startNanos = System.nanoTime();
    private String lastLoad = "?";

    /** Prints a progress line for a run that is starting and remembers the load average. */
    void step(String what) {
        lastLoad = Environment.loadAverage().split(",")[0];
        System.out.printf(Locale.ROOT, "[%5.1f s] load %s: %s%n", (System.nanoTime() - startNanos) / 1e9, lastLoad, what);
    }

    /** @return the figure with the 1-minute load average seen when its run started, so noise shows */
    Figure withLoad(Figure f) {
        return f.absence() != null ? f : f.withNote("load average " + lastLoad + " at its start");
    }
}
