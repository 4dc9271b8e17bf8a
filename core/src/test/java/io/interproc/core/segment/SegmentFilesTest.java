package io.interproc.core.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.ObjectInfo;
import io.interproc.core.Segment;
import io.interproc.core.SegmentAccessException;
import io.interproc.core.SegmentInfo;
import io.interproc.core.SegmentOptions;
import io.interproc.core.SharedLong;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.testing.TempSegments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** File-system hardening: FIFOs, directory modes, numeric owners, bounds and option overflow. */
class SegmentFilesTest {
    private static final long SIZE = 1 << 20;

    @RegisterExtension
    final TempSegments segments = new TempSegments();

    @TempDir
    Path dir;

    private SegmentOptions options() {
        return SegmentOptions.defaults().withDirectory(dir);
    }

    private static void mkfifo(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "mkfifo did not finish");
        assertEquals(0, p.exitValue(), "mkfifo " + path);
    }

    private static void chmod(Path path, String perms) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(perms));
    }

    private static String perms(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    // ---------------------------------------------------------------- FIFOs (item 11)

    @Test
    void shouldRefuseAFifoInPlaceOfASegmentInsteadOfBlocking() throws Exception {
        Path fifo = dir.resolve("fifo");
        mkfifo(fifo);
        String expected = "refusing segment 'fifo': " + fifo + " is not a regular file (it is a FIFO)";
        // Before the fix inspect opened the FIFO for reading and blocked for ever.
        assertEquals(expected, assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(
                SegmentAccessException.class, () -> Segment.inspect("fifo", options()))).getMessage());
        assertEquals(expected, assertThrows(SegmentAccessException.class,
                () -> Segment.open("fifo", options())).getMessage());
        assertEquals(expected, assertThrows(SegmentAccessException.class,
                () -> Segment.openOrCreate("fifo", SIZE, options())).getMessage());
        assertEquals("refusing to remove segment 'fifo': " + fifo + " is not a regular file (it is a FIFO)",
                assertThrows(SegmentAccessException.class, () -> Segment.unlink("fifo", options())).getMessage());
        assertTrue(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS), "the FIFO was left alone");
    }

    @Test
    void shouldListSegmentsBesideAFifoWithoutOpeningIt() throws Exception {
        mkfifo(dir.resolve("fifo"));
        Segment.create("real", SIZE, options()).close();
        List<SegmentInfo> listed = Segment.list(dir);
        assertEquals(List.of("real"), listed.stream().map(SegmentInfo::name).toList());
        assertEquals(null, listed.get(0).problem());
    }

    @Test
    void shouldRefuseADirectoryInPlaceOfASegment() throws Exception {
        Files.createDirectory(dir.resolve("sub"));
        assertEquals("refusing segment 'sub': " + dir.resolve("sub") + " is not a regular file (it is a directory)",
                assertThrows(SegmentAccessException.class, () -> Segment.open("sub", options())).getMessage());
    }

    // ---------------------------------------------------------------- directory mode (item 12)

    @Test
    void shouldRefuseAConfiguredDirectoryWritableByOthers() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        chmod(shared, "rwxrwxrwx");
        SegmentOptions o = SegmentOptions.defaults().withDirectory(shared);
        SegmentAccessException e = assertThrows(SegmentAccessException.class, () -> Segment.create("x", SIZE, o));
        assertEquals("refusing segment directory " + shared + ": its mode is 0777, so other users may delete or"
                + " replace segment files in it; fix it with: chmod go-w " + shared, e.getMessage());
        assertEquals("rwxrwxrwx", perms(shared), "a configured directory is not changed");
        assertFalse(Files.exists(shared.resolve("x")));
    }

    @Test
    void shouldRefuseAConfiguredDirectoryWritableByItsGroup() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("group"));
        chmod(shared, "rwxrwx---");
        String old = System.getProperty(SegmentOptions.DIRECTORY_PROPERTY);
        System.setProperty(SegmentOptions.DIRECTORY_PROPERTY, shared.toString());
        try {
            SegmentAccessException e = assertThrows(SegmentAccessException.class, () -> Segment.create("x", SIZE));
            assertEquals("refusing segment directory " + shared + ": its mode is 0770, so other users may delete or"
                    + " replace segment files in it; fix it with: chmod go-w " + shared, e.getMessage());
        } finally {
            restore(SegmentOptions.DIRECTORY_PROPERTY, old);
        }
    }

    @Test
    void shouldAcceptASharedStickyDirectory() throws Exception {
        Path sticky = Files.createDirectory(dir.resolve("sticky"));
        Process p = new ProcessBuilder("chmod", "1777", sticky.toString()).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        Segment s = Segment.create("x", SIZE, SegmentOptions.defaults().withDirectory(sticky));
        s.close();
        assertTrue(Segment.unlink("x", SegmentOptions.defaults().withDirectory(sticky)));
    }

    @Test
    void shouldTightenTheBuiltInDefaultDirectoryWhenOthersCanWriteIt() throws Exception {
        String oldUser = System.getProperty("user.name");
        String user = "harden-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 1_000_000;
        System.setProperty("user.name", user);
        Path builtIn = SegmentOptions.builtInDirectory();
        try {
            assertEquals("interproc-" + user, builtIn.getFileName().toString());
            Files.createDirectory(builtIn);
            chmod(builtIn, "rwxrwxrwx");
            SegmentOptions o = SegmentOptions.defaults().withDirectory(builtIn);
            Segment.create("x", SIZE, o).close();
            assertEquals("rwx------", perms(builtIn));
            assertTrue(Segment.unlink("x", o));
        } finally {
            restore("user.name", oldUser);
            Files.deleteIfExists(builtIn.resolve("x"));
            Files.deleteIfExists(builtIn);
        }
    }

    private static void restore(String key, String old) {
        if (old == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, old);
        }
    }

    // ---------------------------------------------------------------- owners by UID

    @Test
    void shouldRefuseASegmentFileOwnedByAnotherUid() throws Exception {
        Segment.create("theirs", SIZE, options()).close();
        Path file = dir.resolve("theirs");
        Files.setAttribute(file, "unix:uid", 54321, LinkOption.NOFOLLOW_LINKS);
        long me = ((Number) Files.getAttribute(dir, "unix:uid")).longValue();
        assertEquals("refusing segment file " + file + ": owned by uid=54321, not by the current uid=" + me,
                assertThrows(SegmentAccessException.class, () -> Segment.open("theirs", options())).getMessage());
    }

    @Test
    void shouldRefuseADirectoryOwnedByAnotherUid() throws Exception {
        Path theirs = Files.createDirectory(dir.resolve("theirs"));
        Files.setAttribute(theirs, "unix:uid", 54321, LinkOption.NOFOLLOW_LINKS);
        long me = ((Number) Files.getAttribute(dir, "unix:uid")).longValue();
        assertEquals("refusing segment directory " + theirs + ": owned by uid=54321, not by the current uid=" + me,
                assertThrows(SegmentAccessException.class,
                        () -> Segment.create("x", SIZE, SegmentOptions.defaults().withDirectory(theirs))).getMessage());
    }

    // ---------------------------------------------------------------- bounds and options (item 10)

    @Test
    void shouldReportAnObjectLengthThatOverflowsTheBoundsCheckAsCorrupt() {
        Segment s = segments.create(SIZE);
        SharedLong.create(s, "counter", 1);
        ObjectInfo info = s.objects().get(0);
        int entry = findEntry(s, "counter");
        s.buffer().setLong(entry + DirectoryDescriptor.OBJECT_LENGTH_OFFSET, Long.MAX_VALUE);
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class, s::objects);
        long cursor = s.usedBytes();
        assertEquals("object 'counter' in segment '" + s.name() + "' is corrupt: offset=" + info.offset()
                + ", length=" + Long.MAX_VALUE + " is outside the allocated area [" + SegmentHeader.layoutSize(128, 256)
                + ", " + cursor + ") or misaligned", e.getMessage());
    }

    private static int findEntry(Segment s, String name) {
        SharedBuffer b = s.buffer();
        int dirOffset = b.getInt(SegmentHeaderDescriptor.DIRECTORY_OFFSET_OFFSET);
        int entries = b.getInt(SegmentHeaderDescriptor.DIRECTORY_CAPACITY_OFFSET);
        for (int i = 0; i < entries; i++) {
            int entry = dirOffset + i * DirectoryDescriptor.ENTRY_SIZE;
            int len = b.getInt(entry + DirectoryDescriptor.NAME_LENGTH_OFFSET);
            if (len == name.length()) {
                byte[] bytes = new byte[len];
                b.getBytes(entry + DirectoryDescriptor.NAME_OFFSET, bytes, 0, len);
                if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).equals(name)) {
                    return entry;
                }
            }
        }
        throw new AssertionError("no entry " + name);
    }

    @Test
    void shouldAcceptAnOpenTimeoutOfAThousandYears() {
        Duration millennium = ChronoUnit.YEARS.getDuration().multipliedBy(1000);
        SegmentOptions o = segments.options().withOpenTimeout(millennium);
        Segment s = segments.track(Segment.create(segments.newName(), SIZE, o));
        SharedLong.create(s, "a", 7);
        Segment t = segments.track(Segment.open(s.name(), o));
        assertEquals(7, SharedLong.open(t, "a").get());
        assertEquals(millennium, t.options().openTimeout());
    }
}
