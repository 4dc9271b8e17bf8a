package io.interproc.process;

import io.interproc.core.wait.Deadline;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A {@code main} class running in a child JVM, started by this JVM: Python's
 * {@code multiprocessing.Process} for Java.
 *
 * <pre>{@code
 * try (JvmProcess worker = JvmProcess.builder(Worker.class).args("orders").start()) {
 *     if (!worker.join(Duration.ofSeconds(30))) {
 *         worker.terminate();
 *         worker.join();
 *     }
 *     System.out.println("worker exited with " + worker.exitCode());
 * }
 * }</pre>
 *
 * <p><b>The child.</b> It runs {@code <java.home>/bin/java} with this JVM's class path and, unless
 * the builder says otherwise, this JVM's options (debugger and coverage agents excepted, see
 * {@link JvmProcessBuilder#inheritJvmOptions(boolean)}). Its standard input is empty (end of
 * stream at once, as Python's children read from {@code os.devnull}); its standard output and
 * error are this JVM's unless captured ({@link JvmProcessBuilder#captureOutput()}) or redirected
 * to files. An exception thrown out of the child's {@code main} is printed to the child's
 * standard error and ends the child with exit code 1, as does a main class that cannot be found;
 * a {@code main} that returns lets the child exit as any JVM does, when its last non-daemon
 * thread ends.
 *
 * <p><b>Daemon children</b> (the default, see {@link JvmProcessBuilder#daemon(boolean)}) die with
 * this JVM: a shutdown hook kills them when this JVM exits normally, and a watchdog thread inside
 * the child halts it with {@link #PARENT_DIED_EXIT_CODE} within about 100 ms of this JVM's death
 * by any means, {@code kill -9} included. The watchdog identifies this JVM by pid and start time,
 * so a reused pid does not keep an orphan alive.
 *
 * <p><b>Threads.</b> Every method may be called by any thread, concurrently. Blocking methods
 * follow {@code java.util.concurrent}: a timeout {@code <= 0} checks once without waiting, and
 * {@link InterruptedException} is thrown with the thread's interrupt status cleared, also when
 * the thread was interrupted on entry.
 *
 * <p>The child's lifetime is not tied to this object: a {@code JvmProcess} that is dropped
 * without {@link #close()} leaves its child running (until this JVM exits, for a daemon).
 */
public final class JvmProcess implements AutoCloseable {
    /**
     * Exit code of a daemon child whose watchdog found its parent JVM dead. Chosen to be
     * distinctive; no other exit path of the launcher uses it.
     */
    public static final int PARENT_DIED_EXIT_CODE = 86;

    /**
     * How long {@link #join()} and {@link #close()} wait, after the child exited, for the output
     * pumps to reach the end of the captured streams. The child's own output is read in well under
     * a millisecond; only a process that inherited the streams from the child (a grandchild) can
     * keep them open longer.
     */
    static final long OUTPUT_DRAIN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Process process;
    private final String mainClass;
    private final boolean daemon;
    private final OutputPump stdout;
    private final OutputPump stderr;

    /**
     * Called by {@link JvmProcessBuilder#start()} once the child is running.
     *
     * @param process the child
     * @param mainClass the class it runs
     * @param daemon whether it must die with this JVM
     * @param captureStdout whether its standard output is a pipe to read into memory
     * @param captureStderr whether its standard error is a pipe to read into memory
     */
    JvmProcess(Process process, String mainClass, boolean daemon, boolean captureStdout, boolean captureStderr) {
        this.process = process;
        this.mainClass = mainClass;
        this.daemon = daemon;
        long pid = process.pid();
        this.stdout = captureStdout ? OutputPump.start(process.getInputStream(), "stdout", pid) : null;
        this.stderr = captureStderr ? OutputPump.start(process.getErrorStream(), "stderr", pid) : null;
        if (daemon) {
            DaemonChildren.register(process);
        }
    }

    // ---------------------------------------------------------------- factories

    /**
     * Starts configuring a child JVM that runs {@code mainClass}. Any thread may call this.
     *
     * @param mainClass a class with a {@code public static void main(String[])}, on this JVM's
     *     class path
     * @return a builder with the defaults: this JVM's options, no arguments, inherited output,
     *     daemon
     * @throws IllegalArgumentException if {@code mainClass} is {@code null}
     */
    public static JvmProcessBuilder builder(Class<?> mainClass) {
        return new JvmProcessBuilder(mainClass == null ? null : mainClass.getName());
    }

    /**
     * Starts configuring a child JVM that runs the named class. Any thread may call this. The
     * class is looked up in the child only: a name that does not resolve there ends the child
     * with exit code 1 and a message on its standard error naming the class.
     *
     * @param mainClass the binary name of a class with a {@code public static void
     *     main(String[])}, e.g. {@code com.example.Worker} or {@code com.example.Outer$Worker}
     * @return a builder with the defaults: this JVM's options, no arguments, inherited output,
     *     daemon
     * @throws IllegalArgumentException if {@code mainClass} is {@code null} or blank
     */
    public static JvmProcessBuilder builder(String mainClass) {
        return new JvmProcessBuilder(mainClass);
    }

    /**
     * Starts {@code mainClass} with {@code args} in a daemon child JVM with the defaults of
     * {@link #builder(Class)}. Any thread may call this; it returns once the child process
     * exists, without waiting for its {@code main} to start.
     *
     * @param mainClass the class to run
     * @param args its program arguments
     * @return the running child
     * @throws io.interproc.core.InterprocException if the operating system cannot start the JVM
     */
    public static JvmProcess start(Class<?> mainClass, String... args) {
        return builder(mainClass).args(args).start();
    }

    // ---------------------------------------------------------------- state

    /**
     * Any thread may call this.
     *
     * @return the operating-system process id of the child
     */
    public long pid() {
        return process.pid();
    }

    /**
     * Any thread may call this.
     *
     * @return the binary name of the class the child runs
     */
    public String mainClass() {
        return mainClass;
    }

    /**
     * Any thread may call this.
     *
     * @return true if the child dies with this JVM (see the class comment)
     */
    public boolean isDaemon() {
        return daemon;
    }

    /**
     * Whether the child still runs. Any thread may call this; it does not block.
     *
     * @return true until the child has exited
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The child's exit code. Any thread may call this; it does not block. A child ended by a
     * signal reports {@code 128 + signal} on Unix ({@code 143} after {@link #terminate()} unless
     * the child handles SIGTERM otherwise, {@code 137} after {@link #kill()}).
     *
     * @return the exit code
     * @throws IllegalStateException if the child has not exited yet
     */
    public int exitCode() {
        if (process.isAlive()) {
            throw new IllegalStateException("process has not exited yet: pid=" + pid() + ", mainClass=" + mainClass);
        }
        return process.exitValue();
    }

    // ---------------------------------------------------------------- waiting

    /**
     * Waits until the child has exited. Any thread may call this. It blocks on the child's exit
     * and then, if output is captured, until the output has been read to its end, so that
     * {@link #output()} holds everything the child wrote. That takes well under a millisecond;
     * only a grandchild that inherited the child's output streams can hold them open, and then
     * this gives up on the end of the output after two seconds and returns.
     *
     * @throws InterruptedException if the thread is interrupted on entry or while waiting (the
     *     interrupt status is cleared)
     */
    public void join() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        awaitExit(Long.MAX_VALUE);
        awaitOutputDrained(OUTPUT_DRAIN_GRACE_NANOS);
    }

    /**
     * Waits for the child's exit by parking on {@link Process#onExit()} (a virtual thread
     * unmounts; {@code Process.waitFor} waits on a monitor, which pins it before JDK 24).
     *
     * @return true if it exited within {@code nanos}
     */
    private boolean awaitExit(long nanos) throws InterruptedException {
        try {
            if (nanos == Long.MAX_VALUE) {
                process.onExit().get();
            } else {
                process.onExit().get(nanos, TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return process.waitFor(0, TimeUnit.NANOSECONDS); // not expected: fall back to asking directly
        }
    }

    /**
     * Waits at most {@code timeout} until the child has exited. Any thread may call this. It
     * blocks on the child's exit and then, within the same timeout, until captured output has
     * been read to its end (see {@link #join()}); the result says only whether the child exited.
     *
     * @param timeout how long to wait; {@code <= 0} checks once without waiting
     * @param unit the unit of {@code timeout}
     * @return true if the child has exited, false if the timeout elapsed first
     * @throws InterruptedException if the thread is interrupted on entry or while waiting (the
     *     interrupt status is cleared)
     */
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long total = unit.toNanos(timeout);
        long start = System.nanoTime();
        if (total >= Long.MAX_VALUE / 2) {
            join();
            return true;
        }
        if (!(total <= 0 ? process.waitFor(0, TimeUnit.NANOSECONDS) : awaitExit(total))) {
            return false;
        }
        awaitOutputDrained(Math.min(total - (System.nanoTime() - start), OUTPUT_DRAIN_GRACE_NANOS));
        return true;
    }

    /**
     * Waits at most {@code timeout} until the child has exited; the same as
     * {@link #join(long, TimeUnit)}. Any thread may call this.
     *
     * @param timeout how long to wait; zero or negative checks once without waiting
     * @return true if the child has exited, false if the timeout elapsed first
     * @throws InterruptedException if the thread is interrupted on entry or while waiting (the
     *     interrupt status is cleared)
     */
    public boolean join(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return join(TimeUnit.NANOSECONDS.convert(timeout), TimeUnit.NANOSECONDS);
    }

    private void awaitOutputDrained(long nanos) throws InterruptedException {
        long deadline = Deadline.after(nanos);
        if (stdout != null) {
            stdout.await(Deadline.remaining(deadline));
        }
        if (stderr != null) {
            stderr.await(Deadline.remaining(deadline));
        }
    }

    // ---------------------------------------------------------------- ending

    /**
     * Asks the child to exit: SIGTERM on Unix ({@link Process#destroy()}), which runs the
     * child's shutdown hooks. Any thread may call this; it does not wait (use {@link #join()}),
     * and does nothing if the child has exited.
     */
    public void terminate() {
        process.destroy();
    }

    /**
     * Kills the child: SIGKILL on Unix ({@link Process#destroyForcibly()}); its shutdown hooks do
     * not run. Any thread may call this; it does not wait (use {@link #join()}), and does nothing
     * if the child has exited.
     */
    public void kill() {
        process.destroyForcibly();
    }

    /**
     * Kills the child if it still runs and waits until it has exited and captured output has been
     * read (see {@link #join()}). Any thread may call this, any number of times. It blocks, but
     * not on the child's cooperation; an interrupt does not stop the wait and is kept as the
     * thread's interrupt status.
     */
    @Override
    public void close() {
        boolean interrupted = Thread.interrupted();
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        while (true) {
            try {
                process.waitFor();
                awaitOutputDrained(OUTPUT_DRAIN_GRACE_NANOS);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- output

    /**
     * What the child has written to its standard output so far, decoded as UTF-8. Any thread may
     * call this; it does not block. Everything is there once {@link #join()} has returned.
     *
     * @return the captured standard output
     * @throws IllegalStateException if standard output is not captured
     *     ({@link JvmProcessBuilder#captureOutput()})
     */
    public String output() {
        return captured(stdout, "output");
    }

    /**
     * What the child has written to its standard error so far, decoded as UTF-8. Any thread may
     * call this; it does not block. Everything is there once {@link #join()} has returned.
     *
     * @return the captured standard error
     * @throws IllegalStateException if standard error is not captured
     *     ({@link JvmProcessBuilder#captureOutput()})
     */
    public String errorOutput() {
        return captured(stderr, "error output");
    }

    private String captured(OutputPump pump, String what) {
        if (pump == null) {
            throw new IllegalStateException(what + " is not captured (see JvmProcessBuilder.captureOutput()): pid="
                    + pid() + ", mainClass=" + mainClass);
        }
        return pump.text();
    }

    /**
     * Any thread may call this.
     *
     * @return {@code JvmProcess[pid=<pid>, mainClass=<class>, alive]}, or with
     *     {@code exitCode=<code>} in place of {@code alive} once the child has exited
     */
    @Override
    public String toString() {
        String state = process.isAlive() ? "alive" : "exitCode=" + process.exitValue();
        return "JvmProcess[pid=" + pid() + ", mainClass=" + mainClass + ", " + state + "]";
    }

    // ---------------------------------------------------------------- helpers

    /** Reads one output stream of the child into memory on a daemon thread. */
    private static final class OutputPump implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread thread;

        private OutputPump(InputStream in, String name) {
            this.in = in;
            this.thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        static OutputPump start(InputStream in, String stream, long pid) {
            OutputPump pump = new OutputPump(in, "interproc-" + stream + "-pump-" + pid);
            pump.thread.start();
            return pump;
        }

        @Override
        public void run() {
            byte[] chunk = new byte[8192];
            try (InputStream stream = in) {
                int n;
                while ((n = stream.read(chunk)) != -1) {
                    bytes.write(chunk, 0, n);
                }
            } catch (IOException e) {
                // The stream was closed under us: what was read so far is all there is.
            }
        }

        /** Waits up to {@code nanos} (checking once if {@code <= 0}) for the end of the stream. */
        void await(long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.timedJoin(thread, nanos);
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** The daemon children of this JVM, killed by a shutdown hook when this JVM exits normally. */
    static final class DaemonChildren {
        private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
        private static boolean hookInstalled;
        private static volatile boolean shuttingDown;

        private DaemonChildren() {
        }

        /**
         * Installs the shutdown hook if needed; called before a daemon child is started.
         *
         * @param mainClass the class the child will run, for the message
         * @throws IllegalStateException if this JVM is already shutting down
         */
        static synchronized void ensureHook(String mainClass) {
            if (hookInstalled) {
                return;
            }
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(DaemonChildren::killAll, "interproc-daemon-reaper"));
            } catch (IllegalStateException e) {
                throw new IllegalStateException("cannot start a daemon child while the JVM shuts down: mainClass="
                        + mainClass, e);
            }
            hookInstalled = true;
        }

        /** @param process a daemon child that was just started, to be killed when this JVM exits */
        static void register(Process process) {
            LIVE.add(process);
            process.onExit().thenRun(() -> LIVE.remove(process));
            if (shuttingDown) {
                process.destroyForcibly();
            }
        }

        private static void killAll() {
            shuttingDown = true;
            for (Process process : LIVE) {
                process.destroyForcibly();
            }
        }
    }
}
