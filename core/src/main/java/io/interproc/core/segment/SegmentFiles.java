package io.interproc.core.segment;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.Segment;
import io.interproc.core.SegmentAccessException;
import io.interproc.core.SegmentOptions;
import io.interproc.core.os.Posix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * The file-system checks every segment directory and file passes before it is used: the
 * directory is a real directory owned by the current numeric UID and not writable by group or
 * others (unless sticky); a segment file is a regular file (never a symbolic link, FIFO, socket
 * or device) owned by the current UID, and still the same file (device, inode) after it was
 * opened. Refusals are {@link SegmentAccessException}s naming the path, the values and the fix.
 *
 * <p>Files are first opened with {@link io.interproc.core.os.Posix#open} ({@code O_NOFOLLOW | O_NONBLOCK}), so a FIFO
 * in place of a segment opens at once instead of blocking, and {@code fstat} of that descriptor
 * tells what it is. Where {@link io.interproc.core.os.Posix#isSupported() Posix} is unavailable the same checks are
 * made on the path ({@code lstat}), with a window in which a file could be swapped; that window
 * only matters to processes that can write the directory, which the directory checks limit to
 * the owner.
 *
 * <p>Thread-safe, no state but the cached UID. Package-private: for {@link Segment} and
 * {@link io.interproc.core.SegmentInfo}.
 */
public final class SegmentFiles {
    /** {@link #currentUid()} when it cannot be found out. */
    public static final long UNKNOWN_UID = -1;

    private static final System.Logger LOG = System.getLogger(Segment.class.getName());
    private static final int S_IFMT = 0170000;
    private static final int S_ISVTX = 01000;
    private static volatile long cachedUid = Long.MIN_VALUE;

    private SegmentFiles() {
    }

    // ---------------------------------------------------------------- identity

    /**
     * The effective numeric UID of this process, without JNA where possible: the {@code Uid:} line
     * of {@code /proc/self/status}, else the owner of a file this process creates in
     * {@code java.io.tmpdir}. Cached.
     *
     * @return the UID, or {@link #UNKNOWN_UID} if neither works (non-POSIX systems)
     */
    public static long currentUid() {
        long uid = cachedUid;
        if (uid == Long.MIN_VALUE) {
            uid = findUid();
            cachedUid = uid;
        }
        return uid;
    }

    private static long findUid() {
        try {
            List<String> lines = Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.ISO_8859_1);
            for (String line : lines) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).trim().split("\\s+");
                    return Long.parseLong(ids[ids.length > 1 ? 1 : 0]); // real, effective, saved, fs
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: try the probe below
        }
        Path probe = null;
        try {
            probe = Files.createTempFile("interproc-uid", ".probe");
            return ((Number) Files.getAttribute(probe, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
        } catch (IOException | RuntimeException e) {
            return UNKNOWN_UID;
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException ignored) {
                    // a stray empty probe file in the temporary directory
                }
            }
        }
    }

    // ---------------------------------------------------------------- directory

    /**
     * Creates the segment directory 0700 if it is missing, then checks it: not a symbolic link, a
     * directory, owned by the current UID, and not writable by group or others unless its sticky
     * bit is set. A directory that is writable by others is tightened to 0700 if it
     * is the built-in default directory ({@link SegmentOptions#builtInDirectory()}), which this
     * library created; any other (configured) directory is refused with the command that fixes it.
     *
     * @param dir the segment directory
     * @throws SegmentAccessException if it is refused or cannot be created
     */
    public static void ensureDirectory(Path dir) {
        try {
            if (Files.isSymbolicLink(dir)) {
                throw new SegmentAccessException("refusing segment directory " + dir + ": it is a symbolic link");
            }
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    if (posix(dir.getParent())) {
                        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rwx------")));
                    } else {
                        Files.createDirectories(dir);
                    }
                } catch (FileAlreadyExistsException raced) {
                    // another process made it first; checked below
                }
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new SegmentAccessException("refusing segment directory " + dir + ": it is not a directory");
            }
            Map<String, Object> attrs = unixAttributes(dir);
            if (attrs == null) {
                checkOwnerName(dir, "segment directory");
                return;
            }
            checkUid(dir, "segment directory", ((Number) attrs.get("uid")).longValue());
            int mode = ((Number) attrs.get("mode")).intValue();
            if ((mode & 022) != 0 && (mode & S_ISVTX) == 0) {
                if (!dir.toAbsolutePath().normalize().equals(SegmentOptions.builtInDirectory().toAbsolutePath().normalize())) {
                    throw new SegmentAccessException("refusing segment directory " + dir + ": its mode is "
                            + octal(mode & 07777) + ", so other users may delete or replace segment files in it;"
                            + " fix it with: chmod go-w " + dir);
                }
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                LOG.log(System.Logger.Level.WARNING, "segment directory " + dir + " had mode " + octal(mode & 07777)
                        + " (writable by other users); set it to 0700, the mode it is created with");
            }
        } catch (IOException e) {
            throw new SegmentAccessException("cannot prepare segment directory " + dir + ": " + e, e);
        }
    }

    private static boolean posix(Path dir) {
        try {
            Path probe = dir;
            while (probe != null && !Files.exists(probe)) {
                probe = probe.getParent();
            }
            return probe != null && Files.getFileStore(probe).supportsFileAttributeView("posix");
        } catch (IOException e) {
            return false;
        }
    }

    /** @return uid, mode, dev and ino of the path itself, or {@code null} without the "unix" view */
    private static Map<String, Object> unixAttributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    public static void checkUid(Path path, String what, long owner) {
        long me = currentUid();
        if (me != UNKNOWN_UID && owner != me) {
            throw new SegmentAccessException("refusing " + what + " " + path + ": owned by uid=" + owner
                    + ", not by the current uid=" + me);
        }
    }

    /** Where numeric ids are unavailable (non-POSIX): compare user names, as far as they go. */
    private static void checkOwnerName(Path file, String what) throws IOException {
        String owner = Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName();
        String me = System.getProperty("user.name");
        if (me != null && !owner.equals(me)) {
            throw new SegmentAccessException("refusing " + what + " " + file + ": owned by '" + owner
                    + "', not by the current user '" + me + "'");
        }
    }

    // ---------------------------------------------------------------- files

    /** Checks by path (lstat): type and owner. @return false if there is no file */
    public static boolean checkPath(String name, Path path) {
        try {
            Map<String, Object> attrs = unixAttributes(path);
            if (attrs == null) {
                if (Files.isSymbolicLink(path)) {
                    throw symlink(name, path);
                }
                if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    throw new SegmentAccessException("refusing segment '" + name + "': " + path
                            + " is not a regular file");
                }
                checkOwnerName(path, "segment file");
                return true;
            }
            int mode = ((Number) attrs.get("mode")).intValue();
            if ((mode & S_IFMT) == 0120000) {
                throw symlink(name, path);
            }
            if ((mode & S_IFMT) != 0100000) {
                throw notRegular(name, path, mode);
            }
            checkUid(path, "segment file", ((Number) attrs.get("uid")).longValue());
            return true;
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new SegmentAccessException("cannot open segment '" + name + "': " + e + " (path=" + path + ")", e);
        }
    }

    /**
     * Checks that a segment's name is a regular file (or a symbolic link, which is removed as a
     * name without following it) before it is removed.
     *
     * @return false if there is no such file
     * @throws SegmentAccessException for a FIFO, socket, device or directory
     */
    public static boolean checkRemovable(String name, Path path) {
        try {
            Map<String, Object> attrs = unixAttributes(path);
            if (attrs == null) {
                return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
            }
            int mode = ((Number) attrs.get("mode")).intValue();
            int type = mode & S_IFMT;
            if (type != 0100000) {
                throw new SegmentAccessException("refusing to remove segment '" + name + "': " + path
                        + " is not a regular file (it is " + typeName(mode) + ")");
            }
            return true;
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new SegmentAccessException("cannot remove segment '" + name + "': " + e + " (path=" + path + ")", e);
        }
    }

    public static SegmentAccessException symlink(String name, Path path) {
        return new SegmentAccessException("refusing segment '" + name + "': " + path + " is a symbolic link");
    }

    public static SegmentAccessException notRegular(String name, Path path, int mode) {
        return new SegmentAccessException("refusing segment '" + name + "': " + path
                + " is not a regular file (it is " + typeName(mode) + ")");
    }

    /** @return e.g. {@code a FIFO} for a {@code st_mode} */
    static String typeName(int mode) {
        switch (mode & S_IFMT) {
            case 0010000:
                return "a FIFO";
            case 0020000:
                return "a character device";
            case 0040000:
                return "a directory";
            case 0060000:
                return "a block device";
            case 0100000:
                return "a regular file";
            case 0120000:
                return "a symbolic link";
            case 0140000:
                return "a socket";
            default:
                return "of unknown type, mode=" + octal(mode);
        }
    }

    private static String octal(int mode) {
        return String.format("%04o", mode);
    }

    /** Work on an open descriptor of a segment file. */
    @FunctionalInterface
    public interface DescriptorWork<T> {
        /**
         * @param fd the open descriptor (closed after this returns)
         * @param stat its fstat
         * @return the result
         * @throws IOException if mapping fails
         */
        T apply(int fd, Posix.Stat stat) throws IOException;
    }

    /** What to do when the file does not exist. */
    @FunctionalInterface
    public interface Missing<T> {
        /** @return the result when the file does not exist (or throws) */
        T get();
    }

    /**
     * Opens the file without following a symbolic link and without blocking (a FIFO in its place
     * is refused, not waited on), hands the descriptor and its {@code fstat} to {@code work}, and
     * closes the descriptor.
     */
    public static <T> T withDescriptor(String name, Path path, int flags, DescriptorWork<T> work,
            Missing<T> missing) {
        if (!Posix.isSupported()) {
            throw new SegmentAccessException("segment '" + name + "' cannot be opened here: interproc needs Linux on "
                    + "x86_64 or aarch64 (os.name=" + System.getProperty("os.name") + ", os.arch="
                    + System.getProperty("os.arch") + ")");
        }
        int fd;
        try {
            fd = Posix.open(path.toString(), flags);
        } catch (Posix.PosixException e) {
            switch (e.errno()) {
                case Posix.ENOENT:
                    return missing.get();
                case Posix.ELOOP:
                    throw symlink(name, path);
                default:
                    if (!checkPath(name, path)) { // refuses what is not a regular file, by type
                        return missing.get();
                    }
                    if (e.errno() == Posix.EACCES) {
                        throw new SegmentAccessException("cannot open segment '" + name + "': access denied (path="
                                + path + ")");
                    }
                    throw new SegmentAccessException("cannot open segment '" + name + "': " + e.getMessage() + " (path="
                            + path + ")");
            }
        }
        try {
            return work.apply(fd, Posix.fstat(fd));
        } catch (Posix.PosixException e) {
            throw new SegmentAccessException("cannot read segment '" + name + "': " + e.getMessage() + " (path=" + path + ")");
        } catch (IOException e) {
            throw new SegmentAccessException("cannot map segment '" + name + "': " + e + " (path=" + path + ")", e);
        } finally {
            Posix.close(fd);
        }
    }

    /** Refuses what is not a regular file of a segment's possible size. */
    public static void checkSegmentFile(String name, Path path, Posix.Stat stat) {
        checkRegularFile(name, path, stat);
        if (stat.size() < SegmentHeaderDescriptor.SIZE) {
            throw new CorruptSegmentException("segment '" + name + "' is truncated: file size " + stat.size()
                    + " < header size " + SegmentHeaderDescriptor.SIZE + " (path=" + path + ")");
        }
        if (stat.size() > Segment.MAX_SIZE) {
            throw new CorruptSegmentException("segment '" + name + "' is too large to map: file size " + stat.size()
                    + " > " + Segment.MAX_SIZE + " (path=" + path + ")");
        }
    }

    /** Refuses a FIFO, device, directory or socket in a segment's place, and a file of another UID. */
    public static void checkRegularFile(String name, Path path, Posix.Stat stat) {
        if (!stat.isRegularFile()) {
            throw notRegular(name, path, stat.mode());
        }
        checkUid(path, "segment file", Integer.toUnsignedLong(stat.uid()));
    }
}
