package io.interproc.core;

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
        long fileSize = -1;
        SegmentFiles.Identity identity;
        try {
            identity = SegmentFiles.checkBeforeOpen(name, path, false);
        } catch (SegmentAccessException e) {
            return new SegmentInfo(name, path, fileSize, -1, 0, 0, -1, -1, e.getMessage());
        }
        if (identity == null) {
            return new SegmentInfo(name, path, fileSize, -1, 0, 0, -1, -1, "removed while it was being listed");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            SegmentFiles.checkAfterOpen(name, path, identity);
            fileSize = channel.size();
            if (fileSize < SegmentHeaderDescriptor.SIZE || fileSize > Segment.MAX_SIZE) {
                return new SegmentInfo(name, path, fileSize, -1, 0, 0, -1, -1,
                        "file size " + fileSize + " is not a segment size");
            }
            SharedBuffer b = new SharedBuffer(channel.map(FileChannel.MapMode.READ_ONLY, 0, fileSize));
            Segment.validateHeader(name, b, fileSize);
            ProcessTable table = new ProcessTable(b, b.getInt(SegmentHeaderDescriptor.PROCESS_TABLE_OFFSET_OFFSET),
                    b.getInt(SegmentHeaderDescriptor.PROCESS_TABLE_CAPACITY_OFFSET), name);
            List<ProcessInfo> procs = table.snapshot();
            int alive = (int) procs.stream().filter(ProcessInfo::alive).count();
            return new SegmentInfo(name, path, fileSize,
                    b.getLongVolatile(SegmentHeaderDescriptor.ALLOCATION_CURSOR_OFFSET), alive, procs.size() - alive,
                    b.getLong(SegmentHeaderDescriptor.CREATOR_PID_OFFSET),
                    b.getLong(SegmentHeaderDescriptor.CREATED_AT_OFFSET), null);
        } catch (CorruptSegmentException | SegmentAccessException e) {
            return new SegmentInfo(name, path, fileSize, -1, 0, 0, -1, -1, e.getMessage());
        } catch (IOException e) {
            return new SegmentInfo(name, path, fileSize, -1, 0, 0, -1, -1, "unreadable: " + e);
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
