package io.interproc.core.segment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a process recorded by pid and start time still runs. A process is dead when no process
 * with that pid exists or the one that does started at another time, so a reused pid never makes
 * a dead process look alive.
 *
 * <p>The start time is in the operating system's own unit, read the same way by every process so
 * that records compare exactly: on Linux the {@code starttime} field of {@code /proc/<pid>/stat}
 * (clock ticks since boot, immune to wall-clock changes); elsewhere
 * {@code ProcessHandle.info().startInstant()} in epoch milliseconds. The JDK's own start instant on
 * Linux is derived from the boot time, which each JVM reads once and which moves when the clock is
 * adjusted, so two JVMs can disagree about it by a second; the raw ticks cannot. A zombie (a
 * process that exited and has not been reaped by its parent) counts as dead; the JDK's
 * {@code ProcessHandle.isAlive()} would call it alive.
 */
public final class ProcessLiveness {
    private static final boolean PROC = Files.isReadable(Paths.get("/proc/self/stat"));

    public static final long CURRENT_PID = ProcessHandle.current().pid();
    public static final long CURRENT_START = startTime(CURRENT_PID);

    private ProcessLiveness() {
    }

    /** Returned by {@link #procStat} when the process does not exist or is a zombie. */
    private static final long GONE = -2;

    /**
     * @param pid a process id
     * @return its start time in this platform's unit, or -1 if it does not exist or the OS does
     *     not say
     */
    public static long startTime(long pid) {
        if (PROC) {
            long ticks = procStat(pid);
            if (ticks != -1) {
                return ticks == GONE ? -1 : ticks;
            }
        }
        Optional<Instant> start = ProcessHandle.of(pid).flatMap(h -> h.info().startInstant());
        return start.map(Instant::toEpochMilli).orElse(-1L);
    }

    /**
     * Reads {@code /proc/<pid>/stat}.
     *
     * @return the start ticks; {@link #GONE} if there is no such process or it is a zombie (dead,
     *     not yet reaped by its parent); -1 if the file could not be parsed
     */
    private static long procStat(long pid) {
        try {
            String stat = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat")),
                    StandardCharsets.US_ASCII);
            // "pid (comm) state ppid ..." — comm may contain spaces and parentheses: split after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            char state = fields[0].charAt(0);
            if (state == 'Z' || state == 'X' || state == 'x') {
                return GONE;
            }
            return Long.parseLong(fields[19]); // field 22 overall; fields[0] is field 3 (state)
        } catch (NoSuchFileException e) {
            return GONE;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * @param pid a process id
     * @param start its recorded start time, or -1 to check the pid alone
     * @return true if a process with that pid runs and started at that time
     */
    public static boolean isAlive(long pid, long start) {
        if (pid <= 0) {
            return false;
        }
        if (pid == CURRENT_PID) {
            return start == -1 || start == CURRENT_START;
        }
        if (PROC) {
            long ticks = procStat(pid);
            if (ticks == GONE) {
                return false; // no such process, or a zombie: it has exited
            }
            if (ticks != -1) {
                return start == -1 || ticks == start;
            }
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        if (start == -1) {
            return true;
        }
        long actual = startTime(pid);
        return actual == -1 || actual == start;
    }
}
