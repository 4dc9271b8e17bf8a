package io.interproc.core.testing;

/**
 * Child main for tests: optionally prints a line, then sleeps and returns (exit code 0).
 * Arguments: milliseconds to sleep (60000 by default), and a line to print on standard output
 * before sleeping (nothing by default, so that a child with inherited output stays quiet: a
 * surefire fork's standard output is its channel to Maven). A test that captures the output waits
 * for that line to know the child runs its {@code main}. Tests end it with {@code terminate},
 * {@code kill} or {@code close}.
 */
public final class SleepMain {
    private SleepMain() {
    }

    /**
     * Called by the child JVM's launcher.
     *
     * @param args {@code [millis [line]]}
     * @throws InterruptedException never, in practice: nobody interrupts the main thread
     */
    public static void main(String[] args) throws InterruptedException {
        long millis = args.length > 0 ? Long.parseLong(args[0]) : 60_000;
        if (args.length > 1) {
            System.out.println(args[1]);
            System.out.flush();
        }
        Thread.sleep(millis);
    }
}
