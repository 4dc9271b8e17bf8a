package io.interproc.core;

import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.segment.SegmentHeaderDescriptor;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * What {@link Segment#list()} says of one segment file, read without attaching to it: size,
 * bytes used, attached processes alive and dead, or the problem that makes it unreadable.
 */
public final class SegmentInfo {
    private final String name;
    private final Path path;
    private final long size;
    private final long usedBytes;
    private final int processesAlive;
    private final int processesDead;
    private final long creatorPid;
    private final long createdAtMillis;
    private final String problem;

    private SegmentInfo(String name, Path path, long size, long usedBytes, int alive, int dead,
            long creatorPid, long createdAtMillis, String problem) {
        this.name = name;
        this.path = path;
        this.size = size;
        this.usedBytes = usedBytes;
        this.processesAlive = alive;
        this.processesDead = dead;
        this.creatorPid = creatorPid;
        this.createdAtMillis = createdAtMillis;
        this.problem = problem;
    }

    static SegmentInfo read(String name, Path path) {
        long size = fileSize(path);
        if (size >= 0 && (size < SegmentHeaderDescriptor.SIZE || size > Segment.MAX_SIZE)) {
            return new SegmentInfo(name, path, size, -1, 0, 0, -1, -1, "file size " + size + " is not a segment size");
        }
        try (Segment segment = Segment.inspect(name, path, SegmentOptions.defaults())) {
            SharedBuffer b = segment.buffer();
            List<ProcessInfo> procs = segment.file().table().snapshot();
            int alive = (int) procs.stream().filter(ProcessInfo::alive).count();
            return new SegmentInfo(name, path, segment.size(),
                    b.getLongVolatile(SegmentHeaderDescriptor.ALLOCATION_CURSOR_OFFSET), alive, procs.size() - alive,
                    b.getLong(SegmentHeaderDescriptor.CREATOR_PID_OFFSET),
                    b.getLong(SegmentHeaderDescriptor.CREATED_AT_OFFSET), null);
        } catch (NoSuchObjectException e) {
            return new SegmentInfo(name, path, -1, -1, 0, 0, -1, -1, "removed while it was being listed");
        } catch (CorruptSegmentException | SegmentAccessException e) {
            return new SegmentInfo(name, path, fileSize(path), -1, 0, 0, -1, -1, e.getMessage());
        } catch (InterprocException e) {
            return new SegmentInfo(name, path, fileSize(path), -1, 0, 0, -1, -1, "unreadable: " + e.getMessage());
        }
    }

    private static long fileSize(Path path) {
        try {
            return java.nio.file.Files.size(path);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** @return the segment's name */
    public String name() {
        return name;
    }

    /** @return its file */
    public Path path() {
        return path;
    }

    /** @return its size in bytes (the file's size) */
    public long size() {
        return size;
    }

    /** @return bytes allocated, including header, process table and directory; -1 if unreadable */
    public long usedBytes() {
        return usedBytes;
    }

    /** @return attached processes found alive */
    public int processesAlive() {
        return processesAlive;
    }

    /** @return slots still held by processes found dead (they crashed or exited without closing) */
    public int processesDead() {
        return processesDead;
    }

    /** @return the pid of the creator, -1 if unreadable */
    public long creatorPid() {
        return creatorPid;
    }

    /** @return when it was created, epoch millis, -1 if unreadable */
    public long createdAtMillis() {
        return createdAtMillis;
    }

    /** @return why the file is not a readable segment, or {@code null} if it is */
    public String problem() {
        return problem;
    }

    @Override
    public String toString() {
        return "SegmentInfo[name=" + name + ", size=" + size + ", used=" + usedBytes + ", alive="
                + processesAlive + ", dead=" + processesDead + (problem != null ? ", problem=" + problem : "") + "]";
    }
}
