package io.interproc.ipc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.interproc.core.testing.ChildJvms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Freezes and thaws a child JVM (SIGSTOP / SIGCONT, Linux), so that a kill test can hold a process
 * at an exact point of a protocol: a stopped process is alive to its peers but makes no progress.
 */
public final class Signals {
    private static final int SIGCONT = 18; // x86_64 and aarch64 Linux
    private static final int SIGSTOP = 19;

    /** The C library's kill(2). */
    public interface CLibrary extends Library {
        /**
         * @param pid process
         * @param signal signal number
         * @return 0 on success, -1 on error
         */
        int kill(int pid, int signal);
    }

    private static final class Holder {
        static final CLibrary C = Native.load("c", CLibrary.class);
    }

    private Signals() {
    }

    /** Skips the calling test unless this is Linux (signal numbers and /proc state are Linux's). */
    public static void assumeLinux() {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "SIGSTOP/SIGCONT tests need Linux");
    }

    /** Stops a process and waits until the kernel reports every one of its threads stopped. */
    public static void stop(long pid) throws InterruptedException {
        send(pid, SIGSTOP);
        ChildJvms.awaitCondition("every thread of process " + pid + " stopped", 10, () -> allThreads(pid, 'T'));
    }

    /** Lets a stopped process run again and waits until none of its threads shows as stopped. */
    public static void resume(long pid) throws InterruptedException {
        send(pid, SIGCONT);
        ChildJvms.awaitCondition("every thread of process " + pid + " resumed", 10, () -> noThread(pid, 'T'));
    }

    private static void send(long pid, int signal) {
        if (Holder.C.kill((int) pid, signal) != 0) {
            throw new AssertionError("kill(" + pid + ", " + signal + ") failed: errno=" + Native.getLastError());
        }
    }

    private static boolean allThreads(long pid, char state) {
        List<Character> states = threadStates(pid);
        return !states.isEmpty() && states.stream().allMatch(c -> c == state);
    }

    private static boolean noThread(long pid, char state) {
        return threadStates(pid).stream().noneMatch(c -> c == state);
    }

    /** @return the state letter (R, S, T, Z, ...) of every thread of the process; empty if it is gone */
    public static List<Character> threadStates(long pid) {
        List<Character> states = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    // tid (comm) state ...: comm may hold spaces and parentheses, so look after the last ')'.
                    states.add(stat.charAt(stat.lastIndexOf(')') + 2));
                } catch (IOException threadEnded) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | UncheckedIOException gone) {
            return List.of();
        }
        return states;
    }
}
