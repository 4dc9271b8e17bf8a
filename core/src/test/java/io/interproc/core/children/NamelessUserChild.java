package io.interproc.core.children;

import io.interproc.core.Segment;
import io.interproc.core.SegmentOptions;
import io.interproc.core.SharedLong;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Run under a UID without a passwd entry: creates, opens and uses a segment in the default
 * directory, then removes it. Prints {@code user.name=}, {@code dir=}, {@code n=} and
 * {@code mode=} lines. Args: segment name.
 */
public final class NamelessUserChild {
    private NamelessUserChild() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        Path dir = SegmentOptions.defaultDirectory();
        System.out.println("user.name=" + System.getProperty("user.name"));
        System.out.println("dir=" + dir);
        try (Segment s = Segment.create(name, 1 << 20)) {
            SharedLong.create(s, "n", 41);
            try (Segment t = Segment.open(name)) {
                System.out.println("n=" + SharedLong.open(t, "n").incrementAndGet());
            }
            System.out.println("mode=" + PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS)));
        } finally {
            Segment.unlink(name, SegmentOptions.defaults());
        }
    }
}
