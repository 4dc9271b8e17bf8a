package io.interproc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.cli.CliRunner.Result;
import io.interproc.core.Segment;
import io.interproc.core.SegmentOptions;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** inspect, rm and gc never open anything but regular files, and refuse a directory others can write. */
class FileSafetyCommandTest {
    private static final Duration LIMIT = Duration.ofSeconds(30); // before the fix these hung for ever

    @TempDir
    Path dir;

    private Path mkfifo(String name) throws Exception {
        Path fifo = dir.resolve(name);
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "mkfifo finished");
        assertEquals(0, p.exitValue(), "mkfifo " + fifo);
        return fifo;
    }

    @Test
    void shouldRefuseToInspectAFifo() throws Exception {
        Path fifo = mkfifo("fifo");
        Result r = assertTimeoutPreemptively(LIMIT, () -> CliRunner.run(dir, "inspect", "fifo"));
        assertEquals(Interproc.FAILED, r.code(), r::toString);
        assertEquals("", r.out());
        assertEquals("interproc: refusing segment 'fifo': " + fifo + " is not a regular file (it is a FIFO)\n",
                r.err());
    }

    @Test
    void shouldRefuseToRemoveAFifoEvenWithForce() throws Exception {
        Path fifo = mkfifo("fifo");
        for (String[] args : new String[][] {{"rm", "fifo"}, {"rm", "--force", "fifo"}}) {
            Result r = assertTimeoutPreemptively(LIMIT, () -> CliRunner.run(dir, args));
            assertEquals(Interproc.FAILED, r.code(), r::toString);
            assertEquals("", r.out());
            assertEquals("interproc: refusing segment 'fifo': " + fifo + " is not a regular file (it is a FIFO)\n",
                    r.err());
            assertTrue(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS));
        }
    }

    @Test
    void shouldLeaveAFifoAloneInGc() throws Exception {
        Path fifo = mkfifo("fifo");
        Segment.create("old", 1 << 20, SegmentOptions.defaults().withDirectory(dir)).close();
        Result r = assertTimeoutPreemptively(LIMIT, () -> CliRunner.run(dir, "gc"));
        assertEquals(Interproc.OK, r.code(), r::toString);
        assertEquals("removed old (no process attached)\n", r.out());
        assertTrue(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void shouldRefuseToInspectInADirectoryOthersCanWrite() throws Exception {
        Segment.create("seg", 1 << 20, SegmentOptions.defaults().withDirectory(dir)).close();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        try {
            Result r = CliRunner.run(dir, "inspect", "seg");
            assertEquals(Interproc.FAILED, r.code(), r::toString);
            assertEquals("interproc: refusing segment directory " + dir + ": its mode is 0777, so other users may"
                    + " delete or replace segment files in it; fix it with: chmod go-w " + dir + "\n", r.err());
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
