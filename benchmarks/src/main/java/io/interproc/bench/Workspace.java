package io.interproc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The harness's scratch space for one invocation: a temporary directory (lock files, sockets,
 * the extracted Python script, Python's output), one in {@code /dev/shm} where it is writable
 * (Agrona's ring files), and the run counter that names each run's segment and files. Removed
 * by {@link #cleanUp()} when the harness ends.
 */
final class Workspace {
    private final Path tmp;
    private final Path shm;
    private int runs;

    private Workspace(Path tmp, Path shm) {
        this.tmp = tmp;
        this.shm = shm;
    }

    /** @return a workspace with fresh directories */
    static Workspace create() throws IOException {
        Path tmp = Files.createTempDirectory("ipbench");
        Path devShm = Path.of("/dev/shm");
        Path shm = Files.isDirectory(devShm) && Files.isWritable(devShm)
                ? Files.createTempDirectory(devShm, "ipbench") : tmp;
        return new Workspace(tmp, shm);
    }

    /** @return the name of a fresh segment for the next run, which this call starts */
    String newSegmentName() {
        runs++;
        return "bench-" + ProcessHandle.current().pid() + "-" + runs;
    }

    /** @return {@code <prefix><n><suffix>} in the temporary directory, n the number of the next run */
    Path nextRunFile(String prefix, String suffix) {
        return tmp.resolve(prefix + (runs + 1) + suffix);
    }

    /** @return like {@link #nextRunFile} but in {@code /dev/shm} where it is writable */
    Path nextRunSharedMemoryFile(String prefix, String suffix) {
        return shm.resolve(prefix + (runs + 1) + suffix);
    }

    /** @return {@code name} in the temporary directory */
    Path file(String name) {
        return tmp.resolve(name);
    }

    /** Deletes both directories and what is in them; reports, never throws. */
    void cleanUp() {
        for (Path dir : new Path[] {tmp, shm}) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | RuntimeException e) {
                System.err.println("could not remove " + dir + ": " + e);
            }
        }
    }
}
