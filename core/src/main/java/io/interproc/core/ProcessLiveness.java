package io.interproc.core;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether a process recorded by pid and start time still runs. A process is dead when no process
 * with that pid exists or the one that does started at another time, so a reused pid never makes
 * a dead process look alive.
 */
final class ProcessLiveness {
    static final long CURRENT_PID = ProcessHandle.current().pid();
    static final long CURRENT_START_MILLIS = startMillis(ProcessHandle.current());

    private ProcessLiveness() {
    }

    /** @return the start time of {@code handle} in epoch millis, or -1 if the OS does not say */
    static long startMillis(ProcessHandle handle) {
        Optional<Instant> start = handle.info().startInstant();
        return start.map(Instant::toEpochMilli).orElse(-1L);
    }

    /**
     * @param pid a process id
     * @param startMillis its recorded start time, or -1 to check the pid alone
     * @return true if a process with that pid runs and started at that time
     */
    static boolean isAlive(long pid, long startMillis) {
        if (pid <= 0) {
            return false;
        }
        if (pid == CURRENT_PID) {
            return startMillis == -1 || startMillis == CURRENT_START_MILLIS;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        if (startMillis == -1) {
            return true;
        }
        long actual = startMillis(handle.get());
        return actual == -1 || actual == startMillis;
    }
}
