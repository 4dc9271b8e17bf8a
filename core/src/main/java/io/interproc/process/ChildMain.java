package io.interproc.process;

import io.interproc.core.segment.ProcessLiveness;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Optional;

/**
 * The launcher that runs first in every child JVM started by {@link JvmProcess}; not for other
 * callers. Command line: {@code <parentPid> <parentStartTime> <mainClass> [args...]}, where a
 * parent pid of {@code 0} means "not a daemon: no watchdog".
 *
 * <p>For a daemon child it starts a daemon thread that checks every {@value #WATCH_INTERVAL_MILLIS}
 * ms whether the parent JVM still runs and halts this JVM with
 * {@link JvmProcess#PARENT_DIED_EXIT_CODE} (no shutdown hooks) when it does not. The parent is
 * dead when this process was re-parented (its parent pid changed: exact, and immune to a parent
 * that lingers as a zombie), when no process with the parent's pid exists, or when the process
 * with that pid started at another time than the parent (pid reuse). Start times are compared in the
 * unit of {@code ProcessLiveness} (on Linux the raw start ticks of {@code /proc/<pid>/stat}, which
 * every process reads alike), against the parent's own record.
 *
 * <p>It then runs the target's {@code public static void main(String[])}: a class or method that
 * cannot be found ends the JVM with exit code 1 and a message on standard error naming the class;
 * an exception thrown by {@code main} is printed to standard error as the {@code java} launcher
 * prints it and ends the JVM with exit code 1; a {@code main} that returns lets the JVM exit
 * normally, when its last non-daemon thread ends.
 */
final class ChildMain {
    /** How often the watchdog looks at the parent. */
    static final long WATCH_INTERVAL_MILLIS = 100;
    /** Exit code for a malformed launcher command line (never produced by {@link JvmProcessBuilder}). */
    static final int USAGE_EXIT_CODE = 2;

    private ChildMain() {
    }

    /**
     * Entry point of the child JVM; called by the {@code java} launcher only.
     *
     * @param args {@code <parentPid> <parentStartTime> <mainClass> [args...]}
     */
    public static void main(String[] args) {
        if (args.length < 3) {
            usage("expected <parentPid> <parentStartTime> <mainClass> [args...]: args=" + Arrays.toString(args));
        }
        long parentPid = 0;
        long parentStartTime = -1;
        try {
            parentPid = Long.parseLong(args[0]);
            parentStartTime = Long.parseLong(args[1]);
        } catch (NumberFormatException e) {
            usage("parent pid and start time must be numbers: parentPid=" + args[0] + ", parentStartTime=" + args[1]);
        }
        if (parentPid > 0) {
            ParentWatchdog.start(parentPid, parentStartTime);
        }
        String mainClass = args[2];
        Method main = findMain(mainClass);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 3, args.length));
        } catch (InvocationTargetException e) {
            die(e.getCause());
        } catch (IllegalAccessException e) {
            System.err.println("Error: cannot call main method: mainClass=" + mainClass);
            System.err.println("Caused by: " + e);
            System.exit(1);
        } catch (RuntimeException | Error e) {
            // ExceptionInInitializerError from the class's static initialiser, for example.
            die(e);
        }
    }

    private static Method findMain(String mainClass) {
        Class<?> target;
        try {
            target = Class.forName(mainClass, false, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            System.err.println("Error: could not find or load main class: mainClass=" + mainClass);
            System.err.println("Caused by: " + e);
            System.exit(1);
            throw new AssertionError(e);
        }
        Method main = null;
        try {
            main = target.getMethod("main", String[].class);
        } catch (NoSuchMethodException e) {
            // reported below
        }
        if (main == null || !Modifier.isStatic(main.getModifiers()) || main.getReturnType() != void.class) {
            System.err.println("Error: main method not found: mainClass=" + mainClass
                    + " (expected public static void main(String[] args))");
            System.exit(1);
            throw new AssertionError(mainClass);
        }
        if (!Modifier.isPublic(target.getModifiers())) {
            // A package-private class's public main runs under the java launcher too.
            main.trySetAccessible();
        }
        return main;
    }

    private static void die(Throwable thrown) {
        System.err.print("Exception in thread \"" + Thread.currentThread().getName() + "\" ");
        thrown.printStackTrace();
        System.err.flush();
        System.exit(1);
    }

    private static void usage(String message) {
        System.err.println("Error: " + ChildMain.class.getName() + " is the launcher of JvmProcess children: " + message);
        System.exit(USAGE_EXIT_CODE);
    }

    /** Halts this JVM when the parent JVM is gone. */
    private static final class ParentWatchdog implements Runnable {
        private final long parentPid;
        private final boolean directParent;
        private final long observedStartTime;

        private ParentWatchdog(long parentPid, boolean directParent, long observedStartTime) {
            this.parentPid = parentPid;
            this.directParent = directParent;
            this.observedStartTime = observedStartTime;
        }

        /** Halts at once if the parent is already gone, else starts the watchdog thread. */
        static void start(long parentPid, long recordedStartTime) {
            Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
            if (parent.isEmpty() || !parent.get().isAlive()) {
                halt();
            }
            long observed = ProcessLiveness.startTime(parentPid);
            boolean direct = currentParentPid() == parentPid;
            if (recordedStartTime != -1 && observed != -1 && observed != recordedStartTime) {
                halt(); // the pid belongs to another process now
            }
            Thread thread = new Thread(new ParentWatchdog(parentPid, direct, observed), "interproc-parent-watchdog");
            thread.setDaemon(true);
            thread.setPriority(Thread.MAX_PRIORITY);
            thread.start();
        }

        @Override
        public void run() {
            while (true) {
                if (!parentAlive()) {
                    halt();
                }
                try {
                    Thread.sleep(WATCH_INTERVAL_MILLIS);
                } catch (InterruptedException e) {
                    // Not ours to stop: keep watching.
                }
            }
        }

        private boolean parentAlive() {
            if (directParent && currentParentPid() != parentPid) {
                return false;
            }
            return ProcessLiveness.isAlive(parentPid, observedStartTime);
        }

        private static long currentParentPid() {
            return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        }

        private static void halt() {
            Runtime.getRuntime().halt(JvmProcess.PARENT_DIED_EXIT_CODE);
        }
    }
}
