package io.interproc.cli.children;

import io.interproc.core.Segment;
import io.interproc.core.SegmentOptions;
import io.interproc.core.SharedLong;

import java.nio.file.Paths;

/**
 * Child JVM for the gc test: attaches to a segment and exits without closing it, so the segment
 * keeps a process slot of a dead process. Args: directory, segment name.
 */
public final class AttachAndExit {
    private AttachAndExit() {
    }

    public static void main(String[] args) {
        Segment segment = Segment.open(args[1], SegmentOptions.defaults().withDirectory(Paths.get(args[0])));
        SharedLong.openOrCreate(segment, "pid", 0).set(ProcessHandle.current().pid());
        // no close(): the slot stays taken by a process that is about to be dead
    }
}
