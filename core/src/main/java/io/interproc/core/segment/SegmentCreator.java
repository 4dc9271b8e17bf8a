package io.interproc.core.segment;

import io.interproc.core.SegmentAccessException;
import io.interproc.core.SegmentOptions;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.os.Posix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Creates a segment file so that no process ever sees it half-built: the file is built and its
 * header written under a temporary name (record-locked by its creator), then published under its
 * name with a hard link that fails if the name exists. Temporary files of creators that died are
 * swept. Stateless; any thread.
 */
public final class SegmentCreator {
    private static final String TEMP_PREFIX = "#creating.";
    /** Temporary files younger than this are never swept: their creator may not have locked them yet. */
    private static final long TEMP_GRACE_MILLIS = 10_000;
    /** The byte of a temporary file its creator keeps record-locked while building it. */
    private static final long TEMP_LOCK_BYTE = 0;
    private static final System.Logger LOG = System.getLogger(SegmentCreator.class.getName());

    private SegmentCreator() {
    }

    /**
     * Builds and publishes a new segment file, unless the name exists.
     *
     * @param attach makes the result from the published file's mapping (called while the
     *     temporary file is still locked)
     * @return what {@code attach} made, or {@code null} if another file has the name
     */
    public static <T> T create(String name, Path path, long size, SegmentOptions options,
            Function<MappedFile, T> attach) {
        Path dir = path.getParent();
        MappedFile.ensureRoomFor(path); // before anything is created under the name
        sweepAbandonedTemporaries(dir);
        Path temp = dir.resolve(TEMP_PREFIX + name + "." + ProcessLiveness.CURRENT_PID + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        int fd = -1;
        try {
            Set<PosixFilePermission> perms = permissions(options.fileMode());
            try (FileChannel channel = FileChannel.open(temp, EnumSet.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.READ, StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(perms))) {
                Files.setPosixFilePermissions(temp, perms); // the umask may have narrowed a wider mode
                fd = Posix.open(temp.toString(), Posix.O_RDWR);
                // Held until this method ends: a sweeper in any process or namespace sees we are alive.
                Posix.tryLockExclusive(fd, TEMP_LOCK_BYTE);
                channel.write(ByteBuffer.wrap(new byte[1]), size - 1); // sparse: sets the size only
                MappedByteBuffer mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
                SegmentHeader.initialise(new SharedBuffer(mapping), size, options);
                mapping.force();
            }
            if (!publish(temp, path)) {
                return null;
            }
            Posix.Stat stat = Posix.fstat(fd);
            return attach.apply(MappedFile.of(name, path, fd, stat));
        } catch (Posix.PosixException e) {
            throw new SegmentAccessException("cannot create segment '" + name + "': " + e.getMessage() + " (path=" + path
                    + ")");
        } catch (IOException e) {
            throw new SegmentAccessException("cannot create segment '" + name + "': " + e + " (path=" + path + ")", e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot remove temporary segment file " + temp, e);
            }
            if (fd >= 0) {
                Posix.close(fd);
            }
        }
    }

    /** Exclusive publication: a hard link fails if the name exists. */
    private static boolean publish(Path temp, Path path) throws IOException {
        try {
            Files.createLink(path, temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException e) {
            // No hard links on this file system: a non-replacing move (a tiny window remains in
            // which two creators could both pass the existence check).
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            Files.move(temp, path);
            return true;
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                perms.add(bits[i]);
            }
        }
        return perms;
    }

    /**
     * Removes temporary files of creators that died before publishing. A creator holds a record
     * lock on its temporary file until it is done, so a file whose lock can be taken is abandoned,
     * whatever PID namespace its creator ran in — unless it is younger than
     * {@link #TEMP_GRACE_MILLIS}: a creator takes its lock just after creating the file, and a
     * sweeper must not slip into that gap.
     */
    private static void sweepAbandonedTemporaries(Path dir) {
        long youngest = System.currentTimeMillis() - TEMP_GRACE_MILLIS;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
            for (Path file : files) {
                try {
                    if (Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis() > youngest) {
                        continue;
                    }
                } catch (IOException gone) {
                    continue;
                }
                int fd;
                try {
                    fd = Posix.open(file.toString(), Posix.O_RDWR);
                } catch (Posix.PosixException e) {
                    continue; // gone, or not ours to touch
                }
                try {
                    if (Posix.fstat(fd).isRegularFile() && Posix.tryLockExclusive(fd, TEMP_LOCK_BYTE)) {
                        Files.deleteIfExists(file);
                    }
                } catch (Posix.PosixException | IOException ignored) {
                    // best effort: left for the next creator
                } finally {
                    Posix.close(fd);
                }
            }
        } catch (IOException ignored) {
            // listing is best effort
        }
    }
}
