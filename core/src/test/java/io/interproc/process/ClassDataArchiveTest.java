package io.interproc.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.testing.EchoMain;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClassDataArchive}: which children get which options, and, with real child JVMs started
 * from a class path of jars, that the second child maps its classes from the archive the first
 * one wrote.
 */
class ClassDataArchiveTest {
    private static final Duration EXIT_DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void shouldDoNothingForAClassPathWithADirectory() throws IOException {
        Path jar = Files.write(tmp.resolve("a.jar"), new byte[] {1});
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        String classPath = jar + File.pathSeparator + classes;
        assertNull(ClassDataArchive.key(classPath));
        assertEquals(List.of(), ClassDataArchive.plan(classPath, List.of(), tmp.resolve("cds")).options());
    }

    @Test
    void shouldLeaveSharingToOptionsThatAlreadyControlIt() throws IOException {
        Path jar = Files.write(tmp.resolve("a.jar"), new byte[] {1});
        for (String option : List.of("-Xshare:off", "-XX:SharedArchiveFile=/x.jsa", "-XX:ArchiveClassesAtExit=/x.jsa")) {
            assertEquals(List.of(), ClassDataArchive.plan(jar.toString(), List.of(option), tmp.resolve("cds")).options(),
                    option);
        }
    }

    @Test
    void shouldLetOneChildWriteTheArchiveAndTheNextOnesUseIt() throws IOException {
        Path jar = Files.write(tmp.resolve("a.jar"), new byte[] {1});
        Path cds = tmp.resolve("cds");
        ClassDataArchive.Plan writer = ClassDataArchive.plan(jar.toString(), List.of(), cds);
        String written = option(writer.options(), "-XX:ArchiveClassesAtExit=");
        assertNotNull(written, writer.options().toString());
        assertEquals(List.of(), ClassDataArchive.plan(jar.toString(), List.of(), cds).options(),
                "a second child while the first writes");

        Files.write(Path.of(written), new byte[] {42});
        writer.childExited();
        ClassDataArchive.Plan reader = ClassDataArchive.plan(jar.toString(), List.of(), cds);
        String archive = option(reader.options(), "-XX:SharedArchiveFile=");
        assertNotNull(archive, reader.options().toString());
        assertTrue(reader.options().contains("-Xshare:auto"), reader.options().toString());
        try (Stream<Path> files = Files.list(cds)) {
            assertEquals(List.of(Path.of(archive)), files.toList(), "only the archive is left");
        }
    }

    @Test
    void shouldTryAgainWhenTheWriterLeftNoArchive() throws IOException {
        Path jar = Files.write(tmp.resolve("a.jar"), new byte[] {1});
        Path cds = tmp.resolve("cds");
        ClassDataArchive.plan(jar.toString(), List.of(), cds).childExited(); // killed: wrote nothing
        assertNotNull(option(ClassDataArchive.plan(jar.toString(), List.of(), cds).options(), "-XX:ArchiveClassesAtExit="));
    }

    @Test
    void shouldRemoveALockLeftByADeadParent() throws IOException {
        Path jar = Files.write(tmp.resolve("a.jar"), new byte[] {1});
        Path cds = tmp.resolve("cds");
        ClassDataArchive.plan(jar.toString(), List.of(), cds); // never told of the exit
        Path lock;
        try (Stream<Path> files = Files.list(cds)) {
            lock = files.filter(p -> p.toString().endsWith(".lock")).findFirst().orElseThrow();
        }
        Files.setLastModifiedTime(lock, FileTime.fromMillis(
                System.currentTimeMillis() - ClassDataArchive.STALE_LOCK.toMillis() - 1000));
        assertEquals(List.of(), ClassDataArchive.plan(jar.toString(), List.of(), cds).options());
        assertFalse(Files.exists(lock), "stale lock removed");
        assertNotNull(option(ClassDataArchive.plan(jar.toString(), List.of(), cds).options(), "-XX:ArchiveClassesAtExit="));
    }

    @Test
    void shouldKeyTheArchiveByTheJarsContentStamp() throws IOException {
        Path jar = Files.write(tmp.resolve("a.jar"), new byte[] {1});
        String before = ClassDataArchive.key(jar.toString());
        Files.write(jar, new byte[] {1, 2});
        assertFalse(before.equals(ClassDataArchive.key(jar.toString())), "a changed jar gives a new key");
    }

    @Test
    void shouldStartTheSecondChildFromTheArchiveTheFirstWrote() throws Exception {
        Path jar = tmp.resolve("classes.jar");
        jarUp(jar, codeSource(ChildMain.class), codeSource(EchoMain.class));
        String classPath = jar + File.pathSeparator + codeSource(com.sun.jna.Native.class);
        Path cds = tmp.resolve("cds");

        String first = runEcho(classPath, cds);
        assertTrue(first.contains("args=[x]"), first);
        try (Stream<Path> files = Files.list(cds)) {
            assertEquals(1, files.filter(p -> p.toString().endsWith(".jsa")).count(), "archive written at the first exit");
        }
        String second = runEcho(classPath, cds);
        assertTrue(second.contains("args=[x]"), second);
        assertTrue(second.contains("io.interproc.process.ChildMain source: shared objects file"),
                "ChildMain came from the archive:\n" + second);
    }

    private static String runEcho(String classPath, Path cds) throws InterruptedException {
        JvmProcessBuilder builder = JvmProcess.builder(EchoMain.class).args("x").inheritJvmOptions(false)
                .jvmOptions("-Xlog:class+load=info").classDataSharing(true).classPath(classPath)
                .archiveDirectory(cds).captureOutput();
        try (JvmProcess child = builder.start()) {
            assertTrue(child.join(EXIT_DEADLINE), "child did not exit");
            assertEquals(0, child.exitCode(), child.errorOutput());
            // The parent renames the archive when it sees the exit; wait for that to have run.
            long deadline = System.nanoTime() + EXIT_DEADLINE.toNanos();
            while (hasLock(cds) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            return child.output();
        }
    }

    private static boolean hasLock(Path cds) {
        try (Stream<Path> files = Files.list(cds)) {
            return files.anyMatch(p -> p.toString().endsWith(".lock"));
        } catch (IOException e) {
            return false;
        }
    }

    private static Path codeSource(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Writes the class files under each directory into one jar. */
    private static void jarUp(Path jar, Path... directories) throws IOException {
        Set<String> names = new HashSet<>();
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            for (Path directory : directories) {
                try (Stream<Path> files = Files.walk(directory)) {
                    for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        String name = directory.relativize(file).toString().replace(File.separatorChar, '/');
                        if (!names.add(name)) {
                            continue;
                        }
                        j.putNextEntry(new JarEntry(name));
                        Files.copy(file, j);
                        j.closeEntry();
                    }
                }
            }
        }
    }

    private static String option(List<String> options, String prefix) {
        return options.stream().filter(o -> o.startsWith(prefix)).map(o -> o.substring(prefix.length())).findFirst()
                .orElse(null);
    }
}
