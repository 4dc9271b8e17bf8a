package io.interproc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.segment.DirectoryDescriptor;
import io.interproc.core.segment.SegmentHeader;
import io.interproc.core.segment.SegmentHeaderDescriptor;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.core.value.CoreKinds;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SegmentTest {
    private static final long SIZE = 1 << 20;

    @RegisterExtension
    final TempSegments segments = new TempSegments();

    @TempDir
    Path tempDir;

    @Test
    void shouldCreateOpenAndShareObjects() {
        Segment a = segments.create(SIZE);
        Segment b = segments.track(Segment.open(a.name()));
        SharedLong la = SharedLong.create(a, "counter", 41);
        SharedLong lb = SharedLong.open(b, "counter");
        assertEquals(42, lb.incrementAndGet());
        assertEquals(42, la.get());
        assertEquals(SIZE, b.size());
        assertNotEquals(a.ownerId(), b.ownerId(), "each attachment has its own owner id");
        assertTrue(a.usedBytes() > SegmentHeader.layoutSize(128, 256));
        assertEquals(SIZE - a.usedBytes(), a.freeBytes());
        assertEquals(List.of("counter"), b.objects().stream().map(ObjectInfo::name).toList());
        assertEquals(CoreKinds.LONG, b.objects().get(0).kind());
    }

    @Test
    void shouldPutTheSegmentInTheDefaultDirectoryOwnerOnly() throws IOException {
        Segment s = segments.create(SIZE);
        assertEquals(SegmentOptions.defaultDirectory().resolve(s.name()), s.path());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.path())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.path().getParent())));
    }

    @Test
    void shouldHonourAWiderFileModeAndADirectoryOption() throws IOException {
        SegmentOptions options = SegmentOptions.defaults().withDirectory(tempDir.resolve("segs")).withFileMode(0640);
        try (Segment s = Segment.create("wide", SIZE, options)) {
            assertEquals(tempDir.resolve("segs").resolve("wide"), s.path());
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.path())));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tempDir.resolve("segs"))));
        }
    }

    @Test
    void shouldRefuseToCreateAnExistingSegment() {
        Segment s = segments.create(SIZE);
        ObjectExistsException e = assertThrows(ObjectExistsException.class, () -> Segment.create(s.name(), SIZE));
        assertEquals("segment '" + s.name() + "' already exists: path=" + s.path(), e.getMessage());
    }

    @Test
    void shouldRefuseToOpenAMissingSegment() {
        String name = segments.newName();
        NoSuchObjectException e = assertThrows(NoSuchObjectException.class, () -> Segment.open(name));
        assertEquals("segment '" + name + "' does not exist: path=" + SegmentOptions.defaultDirectory().resolve(name),
                e.getMessage());
    }

    @Test
    void shouldOpenOrCreateIgnoringTheSizeOfAnExistingSegment() {
        String name = segments.newName();
        Segment first = segments.track(Segment.openOrCreate(name, SIZE));
        Segment second = segments.track(Segment.openOrCreate(name, 4 * SIZE));
        assertEquals(SIZE, second.size());
        assertEquals(first.path(), second.path());
    }

    @Test
    void shouldRejectInvalidAndTraversalNames() {
        for (String bad : new String[] {"", ".", "..", "../etc", "a/b", "a b", "x".repeat(129), "naïve", "#creating.x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Segment.create(bad, SIZE));
            assertEquals("invalid segment name: name='" + bad
                    + "' (must match [A-Za-z0-9._-]{1,128} and not be . or ..)", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Segment.open(null));
    }

    @Test
    void shouldRefuseASymlinkInPlaceOfTheSegment() throws IOException {
        SegmentOptions options = SegmentOptions.defaults().withDirectory(tempDir);
        Path target = Files.createFile(tempDir.resolve("target"));
        Files.createSymbolicLink(tempDir.resolve("link"), target);
        SegmentAccessException e = assertThrows(SegmentAccessException.class, () -> Segment.open("link", options));
        assertEquals("refusing segment 'link': " + tempDir.resolve("link") + " is a symbolic link", e.getMessage());
        assertThrows(SegmentAccessException.class, () -> Segment.openOrCreate("link", SIZE, options));
    }

    @Test
    void shouldRefuseASymlinkInPlaceOfTheDirectory() throws IOException {
        Path real = Files.createDirectory(tempDir.resolve("real"));
        Path link = Files.createSymbolicLink(tempDir.resolve("dirlink"), real);
        SegmentOptions options = SegmentOptions.defaults().withDirectory(link);
        SegmentAccessException e = assertThrows(SegmentAccessException.class, () -> Segment.create("x", SIZE, options));
        assertEquals("refusing segment directory " + link + ": it is a symbolic link", e.getMessage());
    }

    private Path validSegmentFile(String name, SegmentOptions options) {
        try (Segment s = Segment.create(name, SIZE, options)) {
            return s.path();
        }
    }

    private static void patch(Path file, long offset, byte[] bytes) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            raf.write(bytes);
        }
    }

    private static byte[] nativeInt(int value) {
        return java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder()).putInt(value).array();
    }

    @Test
    void shouldRejectATruncatedFile() throws IOException {
        SegmentOptions options = SegmentOptions.defaults().withDirectory(tempDir);
        Path file = validSegmentFile("trunc", options);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(SIZE / 2);
        }
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> Segment.open("trunc", options));
        assertEquals("segment 'trunc' is truncated or resized: header size=" + SIZE + " but the file has "
                + SIZE / 2 + " bytes", e.getMessage());
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(100);
        }
        e = assertThrows(CorruptSegmentException.class, () -> Segment.open("trunc", options));
        assertEquals("segment 'trunc' is truncated: file size 100 < header size 4096 (path=" + file + ")", e.getMessage());
    }

    @Test
    void shouldRejectWrongMagic() throws IOException {
        SegmentOptions options = SegmentOptions.defaults().withDirectory(tempDir);
        Path file = validSegmentFile("magic", options);
        patch(file, 0, "NOTASEG!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> Segment.open("magic", options));
        assertEquals("segment 'magic' is not an interproc segment: magic='NOTASEG!', expected 'IPRCSEG1'", e.getMessage());
    }

    @Test
    void shouldRejectWrongLayoutVersion() throws IOException {
        SegmentOptions options = SegmentOptions.defaults().withDirectory(tempDir);
        Path file = validSegmentFile("version", options);
        patch(file, SegmentHeaderDescriptor.VERSION_OFFSET, nativeInt(99));
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> Segment.open("version", options));
        assertEquals("segment 'version' has layout version 99, this library reads version 2", e.getMessage());
    }

    @Test
    void shouldRejectWrongByteOrder() throws IOException {
        SegmentOptions options = SegmentOptions.defaults().withDirectory(tempDir);
        Path file = validSegmentFile("order", options);
        patch(file, SegmentHeaderDescriptor.BYTE_ORDER_OFFSET, nativeInt(Integer.reverseBytes(0x01020304)));
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> Segment.open("order", options));
        assertEquals("segment 'order' has the wrong byte order: mark=0x4030201, expected 0x01020304"
                + " (written on a machine of the other byte order)", e.getMessage());
    }

    @Test
    void shouldRejectAnInconsistentLayout() throws IOException {
        SegmentOptions options = SegmentOptions.defaults().withDirectory(tempDir);
        Path file = validSegmentFile("layout", options);
        patch(file, SegmentHeaderDescriptor.DIRECTORY_CAPACITY_OFFSET, nativeInt(1 << 30));
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> Segment.open("layout", options));
        assertTrue(e.getMessage().startsWith("segment 'layout' has an inconsistent layout: headerSize=4096"),
                e.getMessage());
    }

    @Test
    void shouldRejectACorruptObjectEntry() {
        SegmentOptions options = SegmentOptions.defaults().withDirectory(tempDir);
        try (Segment s = Segment.create("entry", SIZE, options)) {
            SharedLong.create(s, "v");
            // Point the object outside the segment, as a hostile writer could.
            int dir = s.buffer().getInt(SegmentHeaderDescriptor.DIRECTORY_OFFSET_OFFSET);
            int entries = s.buffer().getInt(SegmentHeaderDescriptor.DIRECTORY_CAPACITY_OFFSET);
            int entry = dir + (DirectoryDescriptor.hash("v".getBytes()) % entries) * DirectoryDescriptor.ENTRY_SIZE;
            s.buffer().setLong(entry + DirectoryDescriptor.OBJECT_OFFSET_OFFSET, SIZE * 4);
            CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> SharedLong.open(s, "v"));
            assertTrue(e.getMessage().startsWith("object 'v' in segment 'entry' is corrupt: offset=" + SIZE * 4),
                    e.getMessage());
        }
    }

    @Test
    void shouldRejectASegmentTooSmallOrTooLarge() {
        String name = segments.newName();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Segment.create(name, 10_000));
        assertEquals("segment size too small: name='" + name + "', size=10000, needed at least 53248 bytes for the"
                + " header, 128 process slots and 256 directory entries", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Segment.create(name, 1L << 32));
        assertEquals("segment size too large: name='" + name + "', size=4294967296, max=" + Segment.MAX_SIZE,
                e.getMessage());
    }

    @Test
    void shouldReportAFullSegmentWithSizes() {
        Segment s = segments.create(SegmentHeader.layoutSize(128, 256) + 4096);
        SharedBytes.create(s, "a", 2048);
        SegmentFullException e = assertThrows(SegmentFullException.class, () -> SharedBytes.create(s, "b", 4096));
        assertEquals("segment '" + s.name() + "' is full: object 'b' needs 4224 bytes, 1920 of 57344 bytes are free;"
                + " create the segment with a larger size (Segment.create(name, size))", e.getMessage());
        // Nothing was lost: the name is free again and smaller objects still fit.
        SharedLong.create(s, "b");
        assertEquals(List.of("a", "b"), s.objects().stream().map(ObjectInfo::name).sorted().toList());
    }

    @Test
    void shouldReportAFullDirectory() {
        SegmentOptions options = SegmentOptions.defaults().withDirectorySize(2);
        Segment s = segments.track(Segment.create(segments.newName(), SIZE, options));
        SharedLong.create(s, "one");
        SharedLong.create(s, "two");
        SegmentFullException e = assertThrows(SegmentFullException.class, () -> SharedLong.create(s, "three"));
        assertEquals("directory of segment '" + s.name() + "' is full: 2 entries used, cannot add 'three'; create the"
                + " segment with more directory entries (SegmentOptions.directorySize)", e.getMessage());
    }

    @Test
    void shouldReportAFullProcessTable() {
        SegmentOptions options = SegmentOptions.defaults().withProcessTableSize(2);
        String name = segments.newName();
        segments.track(Segment.create(name, SIZE, options));
        segments.track(Segment.open(name, options));
        SegmentFullException e = assertThrows(SegmentFullException.class, () -> Segment.open(name, options));
        assertEquals("process table of segment '" + name + "' is full: 2 slots all held by live attachments; create"
                + " the segment with a larger process table (SegmentOptions.withProcessTableSize)", e.getMessage());
    }

    @Test
    void shouldRejectTheWrongKindNamingBoth() {
        Segment s = segments.create(SIZE);
        SharedLong.create(s, "orders");
        KindMismatchException e = assertThrows(KindMismatchException.class, () -> SharedIntArray.open(s, "orders"));
        assertEquals("object 'orders' in segment '" + s.name() + "' is a SharedLong, not a SharedIntArray", e.getMessage());
    }

    @Test
    void shouldRejectDuplicateAndMissingObjects() {
        Segment s = segments.create(SIZE);
        SharedInt.create(s, "x");
        ObjectExistsException e = assertThrows(ObjectExistsException.class, () -> SharedInt.create(s, "x"));
        assertEquals("object 'x' already exists in segment '" + s.name() + "' (as SharedInt)", e.getMessage());
        NoSuchObjectException n = assertThrows(NoSuchObjectException.class, () -> SharedInt.open(s, "y"));
        assertEquals("no object named 'y' in segment '" + s.name() + "'", n.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> SharedInt.create(s, "n".repeat(65)));
        assertEquals("object name must be 1 to 64 UTF-8 bytes: name='" + "n".repeat(65) + "', bytes=65", bad.getMessage());
    }

    @Test
    void shouldMakeEveryHandleThrowAfterClose() {
        Segment s = segments.create(SIZE);
        SharedLong v = SharedLong.create(s, "v");
        SharedIntArray arr = SharedIntArray.create(s, "arr", 4);
        SharedBytes bytes = SharedBytes.create(s, "bytes", 16);
        SharedDouble d = SharedDouble.create(s, "d", 1.5);
        s.close();
        s.close(); // idempotent
        assertTrue(s.isClosed());
        String msg = "segment '" + s.name() + "' is closed";
        assertEquals(msg, assertThrows(IllegalStateException.class, v::get).getMessage());
        assertEquals(msg, assertThrows(IllegalStateException.class, () -> arr.set(0, 1)).getMessage());
        assertEquals(msg, assertThrows(IllegalStateException.class, bytes::asByteBuffer).getMessage());
        assertEquals(msg, assertThrows(IllegalStateException.class, () -> d.addAndGet(1)).getMessage());
        assertEquals(msg, assertThrows(IllegalStateException.class, () -> SharedLong.open(s, "v")).getMessage());
        assertEquals(msg, assertThrows(IllegalStateException.class, s::objects).getMessage());
    }

    @Test
    void shouldFreeTheProcessSlotOnClose() {
        Segment a = segments.create(SIZE);
        Segment b = segments.track(Segment.open(a.name()));
        int idB = b.ownerId();
        assertTrue(a.isAlive(idB));
        assertEquals(ProcessHandle.current().pid(), a.pidOf(idB));
        b.close();
        assertFalse(a.isAlive(idB), "a closed attachment's owner id is dead");
        assertEquals(-1, a.pidOf(idB));
        Segment c = segments.track(Segment.open(a.name()));
        assertTrue(c.ownerId() > idB, "owner ids are never reused: " + c.ownerId() + " after " + idB);
        assertFalse(a.isAlive(idB));
    }

    @Test
    void shouldKeepWorkingAfterUnlink() {
        Segment s = segments.create(SIZE);
        SharedLong v = SharedLong.create(s, "v");
        assertTrue(s.unlink());
        assertFalse(Files.exists(s.path()));
        assertEquals(7, v.addAndGet(7));
        assertFalse(s.unlink());
        Segment fresh = segments.track(Segment.create(s.name(), SIZE));
        assertThrows(NoSuchObjectException.class, () -> SharedLong.open(fresh, "v"));
    }

    @Test
    void shouldListSegmentsWithoutAttaching() throws IOException {
        SegmentOptions options = SegmentOptions.defaults().withDirectory(tempDir);
        try (Segment s = Segment.create("listed", SIZE, options)) {
            SharedLong.create(s, "v");
            Files.writeString(tempDir.resolve("garbage"), "not a segment");
            List<SegmentInfo> infos = Segment.list(tempDir);
            assertEquals(List.of("garbage", "listed"), infos.stream().map(SegmentInfo::name).toList());
            SegmentInfo listed = infos.get(1);
            assertEquals(SIZE, listed.size());
            assertEquals(s.usedBytes(), listed.usedBytes());
            assertEquals(1, listed.processesAlive());
            assertEquals(0, listed.processesDead());
            assertEquals(ProcessHandle.current().pid(), listed.creatorPid());
            assertEquals(null, listed.problem());
            assertEquals("file size 13 is not a segment size", infos.get(0).problem());
        }
        assertEquals(0, Segment.list(tempDir).get(1).processesAlive(), "close detached");
        assertEquals(List.of(), Segment.list(tempDir.resolve("missing")));
    }

    @Test
    void shouldSweepTemporaryFilesOfDeadCreators() throws IOException {
        SegmentOptions options = SegmentOptions.defaults().withDirectory(tempDir);
        // A creator killed before publishing leaves only its temporary file, under a name that is
        // not a valid segment name: the segment can still be created, and the leftover goes.
        long deadPid = ChildJvms.deadPid();
        Path leftover = Files.writeString(tempDir.resolve("#creating.crashed." + deadPid + ".abc"), "partial");
        Files.setLastModifiedTime(leftover, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        // One just created, not locked yet: its creator may be between creating and locking it.
        Path young = Files.writeString(tempDir.resolve("#creating.other." + deadPid + ".def"), "partial");
        assertFalse(Segment.isValidName(leftover.getFileName().toString()));
        try (Segment s = Segment.create("crashed", SIZE, options)) {
            assertEquals(SIZE, s.size());
        }
        assertFalse(Files.exists(leftover), "unlocked and old: abandoned");
        assertTrue(Files.exists(young), "unlocked but young: left alone");
        Files.delete(young);
        assertEquals(List.of("crashed"), Segment.list(tempDir).stream().map(SegmentInfo::name).toList());
    }

    @Test
    void shouldGiveRacingCreatorsTheSameSegmentAndObject() throws Exception {
        String name = segments.newName();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        Set<String> paths = ConcurrentHashMap.newKeySet();
        List<Future<Segment>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    Segment s = Segment.openOrCreate(name, SIZE);
                    SharedLong.openOrCreate(s, "shared", 0).incrementAndGet();
                    paths.add(s.path().toString());
                    return s;
                }));
            }
            start.countDown();
            List<Segment> opened = new ArrayList<>();
            for (Future<Segment> f : futures) {
                opened.add(segments.track(f.get(30, TimeUnit.SECONDS)));
            }
            assertEquals(1, paths.size());
            assertEquals(threads, SharedLong.open(opened.get(0), "shared").get());
            assertEquals(1, opened.get(0).objects().size());
        } finally {
            pool.shutdownNow();
        }
    }
}
