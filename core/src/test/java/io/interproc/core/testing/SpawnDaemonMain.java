package io.interproc.core.testing;

import io.interproc.process.JvmProcess;

/**
 * Child main for tests: an intermediate parent. It starts a daemon grandchild running
 * {@link SleepMain} (60 s, output inherited, so it goes where this JVM's goes), prints
 * {@code grandchildPid=<pid>} on standard output, and then sleeps for 60 s itself. The grandchild
 * prints {@value #GRANDCHILD_LINE} once its {@code main} runs. A test kills this JVM and checks
 * that the grandchild dies too.
 */
public final class SpawnDaemonMain {
    /** Prefix of the line that carries the grandchild's pid. */
    public static final String PID_PREFIX = "grandchildPid=";
    /** The line the grandchild prints when its {@code main} starts. */
    public static final String GRANDCHILD_LINE = "grandchild sleeping";

    private SpawnDaemonMain() {
    }

    /**
     * Called by the child JVM's launcher.
     *
     * @param args ignored
     * @throws InterruptedException never, in practice: nobody interrupts the main thread
     */
    public static void main(String[] args) throws InterruptedException {
        JvmProcess grandchild = JvmProcess.start(SleepMain.class, "60000", GRANDCHILD_LINE);
        System.out.println(PID_PREFIX + grandchild.pid());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
