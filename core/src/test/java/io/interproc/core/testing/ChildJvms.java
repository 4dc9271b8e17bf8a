package io.interproc.core.testing;

import io.interproc.process.JvmProcess;
import io.interproc.process.JvmProcessBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that starts child JVMs for a test and kills whatever is still running after
 * it, passed or failed. Output is captured, and shown in the failure message of
 * {@link #awaitSuccess}.
 */
public final class ChildJvms implements AfterEachCallback {
    private final List<JvmProcess> started = new ArrayList<>();

    /**
     * @param main the child's main class
     * @param args its arguments
     * @return the started child, output captured
     */
    public JvmProcess start(Class<?> main, String... args) {
        return start(JvmProcess.builder(main).args(args).captureOutput());
    }

    /**
     * @param builder a configured builder
     * @return the started child, tracked for clean-up
     */
    public synchronized JvmProcess start(JvmProcessBuilder builder) {
        JvmProcess p = builder.start();
        started.add(p);
        return p;
    }

    /**
     * Waits for a child to exit with code 0.
     *
     * @param p the child
     * @param seconds deadline
     * @throws AssertionError with the child's output if it did not exit in time or failed
     */
    public static void awaitSuccess(JvmProcess p, long seconds) throws InterruptedException {
        if (!p.join(seconds, TimeUnit.SECONDS)) {
            p.kill();
            throw new AssertionError("child " + p + " did not exit within " + seconds + " s\nstdout:\n"
                    + p.output() + "\nstderr:\n" + p.errorOutput());
        }
        if (p.exitCode() != 0) {
            throw new AssertionError("child " + p + " exited with " + p.exitCode() + "\nstdout:\n" + p.output()
                    + "\nstderr:\n" + p.errorOutput());
        }
    }

    /**
     * Polls a condition until it holds or the deadline passes.
     *
     * @param what description for the failure message
     * @param seconds deadline
     * @param condition the condition
     * @throws AssertionError if it did not hold in time
     */
    public static void awaitCondition(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + seconds + " s waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) throws Exception {
        for (JvmProcess p : started) {
            if (p.isAlive()) {
                p.kill();
            }
        }
        for (JvmProcess p : started) {
            p.join(10, TimeUnit.SECONDS);
        }
        started.clear();
    }

    /**
     * @return the pid of a process that has exited (it may be reused later, but names no process now)
     * @throws java.io.IOException if {@code true} cannot be started
     */
    public static long deadPid() throws java.io.IOException {
        Process p = new ProcessBuilder("true").start();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.IOException(e);
        }
        return p.pid();
    }
}
