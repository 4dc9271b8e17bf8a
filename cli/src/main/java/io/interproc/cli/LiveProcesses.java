package io.interproc.cli;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.NoSuchObjectException;
import io.interproc.core.ProcessInfo;
import io.interproc.core.Segment;
import io.interproc.core.SegmentOptions;

import java.util.List;
import java.util.stream.Collectors;

/** The live processes attached to a segment, as {@code rm} and {@code gc} check them before removing it. */
final class LiveProcesses {
    private LiveProcesses() {
    }

    /**
     * Looks without attaching (a read-only view).
     *
     * @return the attached processes found alive
     * @throws NoSuchObjectException if the segment does not exist (any more)
     * @throws CorruptSegmentException if it is not a readable segment
     */
    static List<ProcessInfo> of(String name, SegmentOptions options) {
        try (Segment view = Segment.inspect(name, options)) {
            return view.processes().stream().filter(ProcessInfo::alive).collect(Collectors.toList());
        }
    }

    /** @return e.g. {@code 1 process alive (pid 123)}, {@code 2 processes alive (pids 123, 456)} */
    static String describe(List<ProcessInfo> alive) {
        List<Long> pids = alive.stream().map(ProcessInfo::pid).distinct().sorted().collect(Collectors.toList());
        String list = pids.stream().map(String::valueOf).collect(Collectors.joining(", "));
        return pids.size() == 1 ? "1 process alive (pid " + list + ")"
                : pids.size() + " processes alive (pids " + list + ")";
    }
}
