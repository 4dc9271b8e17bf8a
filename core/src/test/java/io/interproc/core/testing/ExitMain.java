package io.interproc.core.testing;

/** Child main for tests: exits at once with the exit code given as its only argument. */
public final class ExitMain {
    private ExitMain() {
    }

    /**
     * Called by the child JVM's launcher.
     *
     * @param args {@code <exitCode>}
     */
    public static void main(String[] args) {
        System.exit(Integer.parseInt(args[0]));
    }
}
