package io.interproc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.interproc.core.children.NamelessUserChild;
import io.interproc.core.segment.SegmentFiles;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * A process whose UID has no passwd entry (OpenShift-style random UIDs; the JDK then reports
 * {@code user.name} as {@code ?}) gets its own directory, {@code interproc-uid-<uid>}, and may use
 * it: ownership is checked by numeric UID. Needs root (to run a child with {@code setpriv}).
 */
class NamelessUidTest {
    @Test
    void shouldLetAUidWithoutAPasswdEntryUseItsOwnDirectory() throws Exception {
        assumeTrue(SegmentFiles.currentUid() == 0,
                "skipped: needs root to start a child JVM under a UID without a passwd entry (setpriv)");
        assumeTrue(Files.isExecutable(Paths.get("/usr/bin/setpriv")), "skipped: /usr/bin/setpriv is missing");
        assumeTrue(Files.isDirectory(Paths.get("/dev/shm")), "skipped: no /dev/shm");
        int uid = freeUid();
        Path expectedDir = Paths.get("/dev/shm/interproc-uid-" + uid);
        Path staging = Files.createTempDirectory("interproc-nameless");
        Process child = null;
        try {
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path tmp = Files.createDirectory(staging.resolve("tmp"));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
            String classPath = stageClassPath(staging);
            String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            String name = "nameless-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 1_000_000;
            Path out = staging.resolve("out.txt");
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/setpriv", "--reuid=" + uid, "--regid=" + uid,
                    "--clear-groups", java, "-cp", classPath, "-Djna.tmpdir=" + tmp, "-Djava.io.tmpdir=" + tmp,
                    NamelessUserChild.class.getName(), name);
            pb.environment().remove(SegmentOptions.DIRECTORY_ENV);
            pb.environment().put("HOME", tmp.toString());
            Path err = staging.resolve("err.txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            child = pb.start();
            boolean exited = child.waitFor(120, TimeUnit.SECONDS);
            String output = Files.readString(out, StandardCharsets.UTF_8);
            String errors = Files.readString(err, StandardCharsets.UTF_8);
            assertEquals(true, exited, "child did not exit within 120 s; output:\n" + output + errors);
            assertEquals(0, child.exitValue(), "child failed; output:\n" + output + errors);
            assertEquals("user.name=?\ndir=" + expectedDir + "\nn=42\nmode=rwx------\n", output, errors);
            assertEquals(uid, ((Number) Files.getAttribute(expectedDir, "unix:uid")).intValue());
        } finally {
            if (child != null && child.isAlive()) {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
            deleteTree(expectedDir);
            deleteTree(staging);
        }
    }

    /** @return a UID in 100000..199999 that /etc/passwd does not name */
    private static int freeUid() throws IOException {
        List<String> passwd = Files.exists(Paths.get("/etc/passwd"))
                ? Files.readAllLines(Paths.get("/etc/passwd"), StandardCharsets.ISO_8859_1) : List.of();
        while (true) {
            int uid = 100_000 + (int) (Math.random() * 100_000);
            if (passwd.stream().noneMatch(l -> l.split(":").length > 2 && l.split(":")[2].equals(String.valueOf(uid)))
                    && !Files.exists(Paths.get("/dev/shm/interproc-uid-" + uid))) {
                return uid;
            }
        }
    }

    /** Copies the jars of the class path (under /root, unreadable to the child) into staging. */
    private static String stageClassPath(Path staging) throws IOException {
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Paths.get(entry);
            if (Files.isRegularFile(p)) {
                Path copy = staging.resolve((i++) + "-" + p.getFileName());
                Files.copy(p, copy);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                entries.add(copy.toString());
            } else if (Files.isDirectory(p)) {
                Path copy = staging.resolve("dir" + (i++));
                try (Stream<Path> files = Files.walk(p)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Path target = copy.resolve(p.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(target);
                            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                        } else {
                            Files.copy(f, target);
                            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
                        }
                    }
                }
                entries.add(copy.toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        }
    }
}
