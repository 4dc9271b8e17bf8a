package io.interproc.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPU time of another process's threads, read from {@code /proc/<pid>/task/*}: what the
 * blocked-waiter scenarios measure (a blocked thread should use none).
 */
final class ThreadCpu {
    private ThreadCpu() {
    }

    /**
     * @return CPU time in ns of each thread of the process, keyed {@code name/tid}, from
     *     {@code /proc/<pid>/task/<tid>/schedstat}; or one entry {@code process/0} from
     *     {@link ProcessHandle} where there is no {@code /proc}
     */
    static Map<String, Long> byThread(long pid) throws IOException {
        Map<String, Long> cpu = new TreeMap<>();
        Path tasks = Path.of("/proc", String.valueOf(pid), "task");
        if (Files.isDirectory(tasks)) {
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
                for (Path task : dir) {
                    try {
                        String name = Files.readString(task.resolve("comm")).trim();
                        String stat = Files.readString(task.resolve("schedstat")).trim();
                        cpu.put(name + "/" + task.getFileName(), Long.parseLong(stat.substring(0, stat.indexOf(' '))));
                    } catch (IOException | RuntimeException threadGone) {
                        // a thread that ended meanwhile
                    }
                }
            }
            return cpu;
        }
        cpu.put("process/0", ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(d -> d.toNanos())
                .orElse(0L));
        return cpu;
    }

    /** @return the process's CPU time in ns, all threads together */
    static long total(long pid) throws IOException {
        return byThread(pid).values().stream().mapToLong(Long::longValue).sum();
    }
}
