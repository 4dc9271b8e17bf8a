package io.interproc.core;

import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.segment.SegmentHeaderDescriptor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Segment#list()} says of one segment file, read without attaching to it: size,
 * bytes used, attached processes alive and dead, or the problem that makes it unreadable.
 *
 * @param name the segment's name
 * @param path its file
 * @param size its size in bytes (the file's size)
 * @param usedBytes bytes allocated, including header, process table and directory; -1 if unreadable
 * @param processesAlive attached processes found alive
 * @param processesDead slots still held by processes found dead (they crashed or exited without
 *     closing)
 * @param creatorPid the pid of the creator, -1 if unreadable
 * @param createdAtMillis when it was created, epoch millis, -1 if unreadable
 * @param problem why the file is not a readable segment, or {@code null} if it is
 */
public record SegmentInfo(String name, Path path, long size, long usedBytes, int processesAlive,
        int processesDead, long creatorPid, long createdAtMillis, String problem) {

    static SegmentInfo read(String name, Path path) {
        long size = fileSize(path);
        if (size >= 0 && (size < SegmentHeaderDescriptor.SIZE || size > Segment.MAX_SIZE)) {
            return unreadable(name, path, size, "file size " + size + " is not a segment size");
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
            return unreadable(name, path, -1, "removed while it was being listed");
        } catch (CorruptSegmentException | SegmentAccessException e) {
            return unreadable(name, path, fileSize(path), e.getMessage());
        } catch (InterprocException e) {
            return unreadable(name, path, fileSize(path), "unreadable: " + e.getMessage());
        }
    }

    /** A file that is not a readable segment: only its size (-1 if unknown) and the problem. */
    private static SegmentInfo unreadable(String name, Path path, long size, String problem) {
        return new SegmentInfo(name, path, size, -1, 0, 0, -1, -1, problem);
    }

    private static long fileSize(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return "SegmentInfo[name=" + name + ", size=" + size + ", used=" + usedBytes + ", alive="
                + processesAlive + ", dead=" + processesDead + (problem != null ? ", problem=" + problem : "") + "]";
    }
}
