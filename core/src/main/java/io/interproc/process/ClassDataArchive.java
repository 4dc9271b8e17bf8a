package io.interproc.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A dynamic class-data-sharing (AppCDS) archive for child JVMs of one class path, so that every
 * child after the first maps the classes it loads at start-up (the JDK's, JNA's, interproc's and
 * the application's) from a file instead of loading, verifying and linking them again.
 *
 * <p>How: the archive of a class path is {@code <directory>/<key>.jsa}, where the key is a hash of
 * the JDK ({@code java.home}, {@code java.vm.version}) and of every class-path entry's path, size
 * and modification time; any change gives another key, so a stale archive is never used. While no
 * archive exists, one child at a time (the one whose parent created {@code <key>.lock}) is started
 * with {@code -XX:ArchiveClassesAtExit=<key>.<n>.tmp}: the JVM writes the archive when it exits
 * normally, and the parent renames it into place when it sees the child exit (a child that is
 * killed writes nothing, and the next child tries again). Later children get
 * {@code -XX:SharedArchiveFile=<key>.jsa -Xshare:auto}: the JVM checks the archive against its
 * own class path and JDK and ignores it if they differ. {@code -Xlog:cds*=off} keeps the JVM's
 * archive messages out of the child's output.
 *
 * <p>When nothing is done: a class-path entry that is not a regular file (the JVM refuses to
 * archive a class path with a non-empty directory, as in a build's {@code target/classes}); the
 * child's options already name {@code -Xshare}, {@code SharedArchiveFile} or
 * {@code ArchiveClassesAtExit}; the directory is not the current user's own (mode {@code 0700}
 * when created here) or cannot be created. Each case only costs the speed-up.
 *
 * <p>The directory is {@code <java.io.tmpdir>/interproc-cds-<uid>} unless the system property
 * {@value #DIRECTORY_PROPERTY} names another. A lock older than {@link #STALE_LOCK} (its creator's
 * parent died before the child exited) is removed so that a later child can try again.
 */
final class ClassDataArchive {
    /** System property naming the archive directory. */
    static final String DIRECTORY_PROPERTY = "interproc.cds.directory";
    /** A lock file older than this is left over by a dead parent and removed. */
    static final Duration STALE_LOCK = Duration.ofMinutes(10);

    /** What a child is started with, and what to do when it has exited. */
    interface Plan {
        /** @return the JVM options to add */
        List<String> options();

        /** Called once the child has exited (renames a written archive into place, unlocks). */
        void childExited();
    }

    private static final Plan NONE = new Plan() {
        @Override
        public List<String> options() {
            return List.of();
        }

        @Override
        public void childExited() {
        }
    };

    private static final List<String> QUIET = List.of("-Xlog:cds*=off");

    private ClassDataArchive() {
    }

    /**
     * Decides how a child with this class path and these options uses the archive.
     *
     * @param classPath the child's class path
     * @param childOptions the options the child is started with so far
     * @param directory the archive directory
     * @return the plan; {@link #NONE}'s options are empty
     */
    static Plan plan(String classPath, List<String> childOptions, Path directory) {
        if (classPath.isEmpty() || childOptions.stream().anyMatch(ClassDataArchive::controlsSharing)) {
            return NONE;
        }
        String key = key(classPath);
        if (key == null || !ownDirectory(directory)) {
            return NONE;
        }
        Path archive = directory.resolve(key + ".jsa");
        if (Files.isRegularFile(archive)) {
            List<String> options = new ArrayList<>(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto"));
            options.addAll(QUIET);
            return new Fixed(options);
        }
        Path lock = directory.resolve(key + ".lock");
        try {
            Files.createFile(lock);
        } catch (FileAlreadyExistsException e) {
            removeIfStale(lock);
            return NONE;
        } catch (IOException e) {
            return NONE;
        }
        Path written = directory.resolve(key + "." + System.nanoTime() + ".tmp");
        List<String> options = new ArrayList<>(List.of("-XX:ArchiveClassesAtExit=" + written));
        options.addAll(QUIET);
        return new Creating(options, written, archive, lock);
    }

    /** @return the directory {@link #plan} uses by default */
    static Path defaultDirectory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        return Paths.get(System.getProperty("java.io.tmpdir"), "interproc-cds-" + currentUid());
    }

    private static boolean controlsSharing(String option) {
        return option.startsWith("-Xshare") || option.contains("SharedArchiveFile")
                || option.contains("ArchiveClassesAtExit");
    }

    /** @return the archive key of a class path, or null if an entry is not a regular file */
    static String key(String classPath) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((System.getProperty("java.home") + '\n' + System.getProperty("java.vm.version") + '\n')
                    .getBytes(StandardCharsets.UTF_8));
            for (String entry : classPath.split(File.pathSeparator)) {
                Path path = Paths.get(entry).toAbsolutePath();
                if (!Files.isRegularFile(path)) {
                    return null;
                }
                digest.update((path + "|" + Files.size(path) + "|" + Files.getLastModifiedTime(path).toMillis() + '\n')
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (IOException | RuntimeException | NoSuchAlgorithmException e) {
            return null;
        }
    }

    /** Creates the directory (0700) if absent; true if it is ours and not writable by others. */
    private static boolean ownDirectory(Path directory) {
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(directory);
            return Files.getAttribute(directory, "unix:uid").equals(currentUid())
                    && !mode.contains(PosixFilePermission.GROUP_WRITE) && !mode.contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Object currentUid() {
        try {
            return Files.getAttribute(Paths.get("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void removeIfStale(Path lock) {
        try {
            FileTime modified = Files.getLastModifiedTime(lock);
            if (modified.toMillis() < System.currentTimeMillis() - STALE_LOCK.toMillis()) {
                Files.deleteIfExists(lock);
            }
        } catch (IOException e) {
            // Gone meanwhile, or not ours to remove: a later child tries again.
        }
    }

    private record Fixed(List<String> options) implements Plan {
        @Override
        public void childExited() {
        }
    }

    private record Creating(List<String> options, Path written, Path archive, Path lock) implements Plan {
        @Override
        public void childExited() {
            try {
                if (Files.isRegularFile(written) && Files.size(written) > 0) {
                    Files.move(written, archive, StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException e) {
                // Another parent's archive got there first, or the directory went away: either way
                // the next child reads whatever archive is in place or tries again.
            } finally {
                try {
                    Files.deleteIfExists(written);
                    Files.deleteIfExists(lock);
                } catch (IOException e) {
                    // Left for the stale-lock rule.
                }
            }
        }
    }
}
