package io.interproc.core;

import io.interproc.core.segment.DirectoryDescriptor;
import io.interproc.core.segment.ProcessTableDescriptor;
import io.interproc.core.segment.SegmentFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How a segment is created or opened: its directory, file mode, the sizes of its process table
 * and directory, and how long to wait for another process that is creating an object. Immutable;
 * each {@code with*} method returns a copy.
 *
 * <pre>{@code
 * Segment s = Segment.openOrCreate("orders", 64 << 20,
 *         SegmentOptions.defaults().withDirectory(Path.of("/dev/shm/my-app")).withFileMode(0660));
 * }</pre>
 */
public final class SegmentOptions {
    /** System property that overrides the default directory. */
    public static final String DIRECTORY_PROPERTY = "interproc.dir";
    /** Environment variable that overrides the default directory (after the system property). */
    public static final String DIRECTORY_ENV = "INTERPROC_DIR";

    private static final SegmentOptions DEFAULTS = new SegmentOptions(null, 0600,
            ProcessTableDescriptor.DEFAULT_CAPACITY, DirectoryDescriptor.DEFAULT_CAPACITY, Duration.ofSeconds(10));

    private final Path directory;
    private final int fileMode;
    private final int processTableSize;
    private final int directorySize;
    private final Duration openTimeout;

    private SegmentOptions(Path directory, int fileMode, int processTableSize, int directorySize,
            Duration openTimeout) {
        this.directory = directory;
        this.fileMode = fileMode;
        this.processTableSize = processTableSize;
        this.directorySize = directorySize;
        this.openTimeout = openTimeout;
    }

    /**
     * The defaults: the default directory, mode 0600, 128 process slots, 256 directory entries,
     * a 10-second wait for a racing creator.
     *
     * @return the default options
     */
    public static SegmentOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The directory used when none is set: the system property {@value #DIRECTORY_PROPERTY}, else
     * the environment variable {@value #DIRECTORY_ENV}, else {@code /dev/shm/interproc-<user>} on
     * Linux where {@code /dev/shm} exists, else {@code <java.io.tmpdir>/interproc-<user>}.
     *
     * @return the default segment directory
     */
    public static Path defaultDirectory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        if (configured == null || configured.isEmpty()) {
            configured = System.getenv(DIRECTORY_ENV);
        }
        if (configured != null && !configured.isEmpty()) {
            return Paths.get(configured);
        }
        return builtInDirectory();
    }

    /**
     * The directory used when neither the system property nor the environment variable is set:
     * {@code /dev/shm/interproc-<user>} on Linux where {@code /dev/shm} exists, else
     * {@code <java.io.tmpdir>/interproc-<user>}. {@code <user>} is {@code user.name} with
     * characters outside {@code [A-Za-z0-9._-]} replaced by {@code _}; when the process has no
     * user name (a UID without a passwd entry, as in OpenShift, where the JDK reports
     * {@code ?}), it is {@code uid-<uid>}, e.g. {@code interproc-uid-1000650000}. Any thread may
     * call this; it reads system properties and, for a nameless user, {@code /proc/self/status}.
     *
     * @return the built-in default segment directory
     */
    public static Path builtInDirectory() {
        Path shm = Paths.get("/dev/shm");
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
        Path base = linux && Files.isDirectory(shm) ? shm : Paths.get(System.getProperty("java.io.tmpdir"));
        return base.resolve("interproc-" + userPart());
    }

    private static String userPart() {
        String user = System.getProperty("user.name", "");
        if (user.isEmpty() || user.equals("?")) {
            long uid = SegmentFiles.currentUid();
            return uid == SegmentFiles.UNKNOWN_UID ? "_" : "uid-" + uid;
        }
        return user.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** @return the directory segments live in (the default directory unless set) */
    public Path directory() {
        return directory != null ? directory : defaultDirectory();
    }

    /** @return the POSIX mode of new segment files, e.g. {@code 0600} */
    public int fileMode() {
        return fileMode;
    }

    /** @return the number of process slots of a new segment */
    public int processTableSize() {
        return processTableSize;
    }

    /** @return the number of directory entries (named objects) of a new segment */
    public int directorySize() {
        return directorySize;
    }

    /** @return how long to wait for another process that is creating an object */
    public Duration openTimeout() {
        return openTimeout;
    }

    /**
     * @return {@link #openTimeout()} in nanoseconds, saturated at {@code Long.MAX_VALUE} (which
     *     callers treat as no deadline) instead of overflowing
     */
    public long openTimeoutNanos() {
        try {
            return openTimeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * @param directory where segment files live; created 0700 if missing; refused when used if
     *     it is owned by another UID or if group or others may write it without the sticky bit
     * @return a copy with that directory
     */
    public SegmentOptions withDirectory(Path directory) {
        return new SegmentOptions(Objects.requireNonNull(directory, "directory"), fileMode,
                processTableSize, directorySize, openTimeout);
    }

    /**
     * @param mode POSIX permission bits of new segment files, {@code 0600} by default; must
     *     include owner read and write and nothing beyond {@code 0777}
     * @return a copy with that mode
     */
    public SegmentOptions withFileMode(int mode) {
        if ((mode & ~0777) != 0 || (mode & 0600) != 0600) {
            throw new IllegalArgumentException("file mode must be within 0777 and include 0600: mode=0"
                    + Integer.toOctalString(mode));
        }
        return new SegmentOptions(directory, mode, processTableSize, directorySize, openTimeout);
    }

    /**
     * @param slots number of processes that can be attached at once, 1 to 65536
     * @return a copy with that process-table size
     */
    public SegmentOptions withProcessTableSize(int slots) {
        if (slots < 1 || slots > ProcessTableDescriptor.MAX_SLOTS) {
            throw new IllegalArgumentException("process table size must be 1 to "
                    + ProcessTableDescriptor.MAX_SLOTS + ": slots=" + slots);
        }
        return new SegmentOptions(directory, fileMode, slots, directorySize, openTimeout);
    }

    /**
     * @param entries number of named objects the segment can hold, 1 to 1048576
     * @return a copy with that directory size
     */
    public SegmentOptions withDirectorySize(int entries) {
        if (entries < 1 || entries > (1 << 20)) {
            throw new IllegalArgumentException("directory size must be 1 to 1048576: entries=" + entries);
        }
        return new SegmentOptions(directory, fileMode, processTableSize, entries, openTimeout);
    }

    /**
     * @param timeout how long to wait for another process that is creating an object of the same
     *     name, positive; a timeout longer than about 292 years ({@code Long.MAX_VALUE}
     *     nanoseconds) means "no deadline"
     * @return a copy with that timeout
     */
    public SegmentOptions withOpenTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("open timeout must be positive: timeout=" + timeout);
        }
        return new SegmentOptions(directory, fileMode, processTableSize, directorySize, timeout);
    }

    @Override
    public String toString() {
        return "SegmentOptions[directory=" + directory() + ", fileMode=0" + Integer.toOctalString(fileMode)
                + ", processTableSize=" + processTableSize + ", directorySize=" + directorySize
                + ", openTimeout=" + openTimeout + "]";
    }
}
