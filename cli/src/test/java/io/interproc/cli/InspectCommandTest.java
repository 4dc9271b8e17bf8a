package io.interproc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertLinesMatch;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.cli.CliRunner.Result;
import io.interproc.core.Codec;
import io.interproc.core.ObjectInfo;
import io.interproc.core.Segment;
import io.interproc.core.SegmentOptions;
import io.interproc.core.SharedLong;
import io.interproc.ipc.queue.QueueDescriptor;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.ipc.ring.RingDescriptor;
import io.interproc.sync.SharedLock;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    private Segment shop;
    private SharedLock lock;

    /** shop: a long, a queue with two messages and a lock held by this thread. */
    @BeforeEach
    void createShop() throws Exception {
        shop = Segment.create("shop", 1 << 20, SegmentOptions.defaults().withDirectory(dir));
        SharedLong.create(shop, "count", 42);
        SharedQueue<String> jobs = SharedQueue.create(shop, "jobs", 1024, Codec.utf8());
        jobs.put("a");
        jobs.put("b");
        lock = SharedLock.create(shop, "lock");
        lock.lock();
    }

    @AfterEach
    void close() {
        if (lock.isHeldByCurrentThread()) {
            lock.unlock();
        }
        shop.close();
    }

    private ObjectInfo object(String name) {
        return shop.objects().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void shouldShowObjectsAndProcessesAsText() {
        Result r = CliRunner.run(dir, "inspect", "shop");
        assertEquals(Interproc.OK, r.code(), r::toString);
        assertEquals("", r.err());
        int pidWidth = Math.max(3, String.valueOf(PID).length());
        List<String> expected = new ArrayList<>(List.of(
                "segment  shop",
                "path     " + dir.resolve("shop"),
                "size     1\\.0 MiB, [0-9.]+ KiB used \\([0-9]+\\.[0-9]%\\)",
                "created  \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ by pid " + PID,
                "",
                "processes: 1 attached (1 alive, 0 dead)",
                "  " + "PID" + " ".repeat(pidWidth - 3) + "  STATE  SLOT  ATTACHED",
                "  " + PID + " ".repeat(pidWidth - String.valueOf(PID).length()) + "  alive  +\\d+  \\d{4}-.*Z",
                "",
                "objects: 3",
                "  SharedLong 'count'  (128 B)",
                "      value  42",
                "  SharedQueue 'jobs'  (" + Format.bytes(object("jobs").length()) + ")",
                "      capacity            1024",
                "      messages            2",
                "      bytesUsed           32",
                "      messagesPut         2",
                "      messagesTaken       0",
                "      messagesLost        0",
                "      partialsDiscarded   0",
                "      undecodable         0",
                "      producerLock        none",
                "      consumerLock        none",
                "      producersWaiting    0",
                "      consumersWaiting    0",
                "      producerRecoveries  0",
                "      consumerRecoveries  0",
                "  SharedLock 'lock'  (128 B)",
                "      owner         pid " + PID + " (alive)",
                "      holderThread  " + Thread.currentThread().getId(),
                "      recovered     false",
                "      recoveries    0",
                "      waiters       0"));
        assertLinesMatch(expected, r.out().lines().toList());
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldShowObjectsAndProcessesAsJson() {
        Result r = CliRunner.run(dir, "inspect", "shop", "--json");
        assertEquals(Interproc.OK, r.code(), r::toString);
        Map<String, Object> doc = MiniJson.object(r.out());
        assertEquals(List.of("name", "path", "size", "usedBytes", "creatorPid", "createdAt", "processes", "objects"),
                List.copyOf(doc.keySet()));
        assertEquals("shop", doc.get("name"));
        assertEquals((long) (1 << 20), doc.get("size"));
        assertEquals(shop.usedBytes(), doc.get("usedBytes"));
        assertEquals(PID, doc.get("creatorPid"));
        List<Map<String, Object>> processes = (List<Map<String, Object>>) doc.get("processes");
        assertEquals(1, processes.size());
        assertEquals(PID, processes.get(0).get("pid"));
        assertEquals(true, processes.get(0).get("alive"));
        assertEquals((long) shop.ownerId(), processes.get(0).get("ownerId"));
        List<Map<String, Object>> objects = (List<Map<String, Object>>) doc.get("objects");
        assertEquals(List.of("count", "jobs", "lock"), objects.stream().map(o -> o.get("name")).toList());
        assertEquals(List.of("SharedLong", "SharedQueue", "SharedLock"), objects.stream().map(o -> o.get("kind")).toList());
        assertEquals(List.of("name", "kind", "offset", "bytes", "state"), List.copyOf(objects.get(0).keySet()));
        assertEquals(Map.of("value", 42L), objects.get(0).get("state"));
        Map<String, Object> queue = (Map<String, Object>) objects.get(1).get("state");
        assertEquals(2L, queue.get("messages"));
        assertEquals("none", queue.get("producerLock"));
        Map<String, Object> held = (Map<String, Object>) objects.get(2).get("state");
        assertEquals("pid " + PID + " (alive)", held.get("owner"));
        assertEquals(false, held.get("recovered"));
        assertEquals((long) object("lock").offset(), objects.get(2).get("offset"));
    }

    @Test
    void shouldNotAttachToTheSegment() {
        assertEquals(1, shop.processes().size());
        assertEquals(Interproc.OK, CliRunner.run(dir, "inspect", "shop").code());
        assertEquals(1, shop.processes().size());
        assertEquals(Interproc.OK, CliRunner.run(dir, "ls").code());
        assertEquals(1, shop.processes().size());
    }

    @Test
    void shouldExitOneForAMissingSegment() {
        Result r = CliRunner.run(dir, "inspect", "nope");
        assertEquals(Interproc.FAILED, r.code(), r::toString);
        assertEquals("", r.out());
        assertEquals("interproc: segment 'nope' does not exist: path=" + dir.resolve("nope") + "\n", r.err());
    }

    @Test
    void shouldExitThreeForACorruptSegment() throws Exception {
        Files.write(dir.resolve("zeros"), new byte[8192]);
        Result r = CliRunner.run(dir, "inspect", "zeros");
        assertEquals(Interproc.CORRUPT, r.code(), r::toString);
        assertEquals("", r.out());
        assertEquals("interproc: segment 'zeros' is not an interproc segment: magic='????????', expected 'IPRCSEG1'\n",
                r.err());
        Files.write(dir.resolve("tiny"), new byte[10]);
        r = CliRunner.run(dir, "inspect", "tiny", "--json");
        assertEquals(Interproc.CORRUPT, r.code(), r::toString);
        assertEquals("interproc: segment 'tiny' has file size 10, not a segment size (path=" + dir.resolve("tiny")
                + ")\n", r.err());
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldExitThreeButShowTheOtherObjectsWhenOneIsCorrupt() {
        int ring = object("jobs").offset() + QueueDescriptor.RING_OFFSET;
        shop.buffer().setInt(ring + RingDescriptor.CAPACITY_OFFSET, 3);
        String error = "SharedQueue 'jobs' in segment 'shop' is corrupt: ring capacity=3 differs from the queue's "
                + "capacity=1024";
        Result r = CliRunner.run(dir, "inspect", "shop");
        assertEquals(Interproc.CORRUPT, r.code(), r::toString);
        assertEquals("", r.err());
        assertTrue(r.out().contains("  SharedQueue 'jobs'  (" + Format.bytes(object("jobs").length()) + ")\n"
                + "      CORRUPT: " + error + "\n  SharedLock 'lock'"), r::toString);
        assertTrue(r.out().contains("      value  42\n"), r::toString);

        r = CliRunner.run(dir, "inspect", "shop", "--json");
        assertEquals(Interproc.CORRUPT, r.code(), r::toString);
        List<Map<String, Object>> objects = (List<Map<String, Object>>) MiniJson.object(r.out()).get("objects");
        assertEquals(List.of("name", "kind", "offset", "bytes", "error"), List.copyOf(objects.get(1).keySet()));
        assertEquals(error, objects.get(1).get("error"));
        assertEquals(Map.of("value", 42L), objects.get(0).get("state"));
    }

    @Test
    void shouldRefreshInPlaceWithWatch() {
        Result r = CliRunner.runRaw(2, "--dir", dir.toString(), "inspect", "shop", "--watch=0.1");
        assertEquals(Interproc.OK, r.code(), r::toString);
        String[] screens = r.out().split(java.util.regex.Pattern.quote(InspectCommand.CLEAR_SCREEN), -1);
        assertEquals(3, screens.length, r::toString);
        assertEquals("", screens[0]);
        for (int i = 1; i < 3; i++) {
            assertTrue(screens[i].matches("(?s)Every 0\\.1s: interproc inspect shop    \\d{4}-.*Z\n\nsegment  shop\n.*"),
                    screens[i]);
            assertTrue(screens[i].contains("      value  42\n"), screens[i]);
        }
    }

    @Test
    void shouldFollowAReplacedSegmentAndStopWhenItIsRemoved() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        FutureTask<Integer> watch = new FutureTask<>(() -> new Interproc(o, e, 1000).execute(
                new String[] {"--dir", dir.toString(), "inspect", "shop", "--watch=0.1"}));
        Thread thread = new Thread(watch, "watch");
        thread.setDaemon(true);
        thread.start();
        awaitOutput(out, "      value  42\n");

        lock.unlock();
        shop.close();
        assertTrue(Segment.unlink("shop", SegmentOptions.defaults().withDirectory(dir)));
        shop = Segment.create("shop", 1 << 20, SegmentOptions.defaults().withDirectory(dir)); // a new file
        SharedLong.create(shop, "fresh", 7);
        lock = SharedLock.create(shop, "lock");
        awaitOutput(out, "  SharedLong 'fresh'  (128 B)\n      value  7\n");

        assertTrue(Segment.unlink("shop", SegmentOptions.defaults().withDirectory(dir)));
        assertEquals(Interproc.FAILED, watch.get(10, TimeUnit.SECONDS));
        assertEquals("interproc: segment 'shop' does not exist: path=" + dir.resolve("shop") + "\n",
                err.toString(StandardCharsets.UTF_8));
    }

    private static void awaitOutput(ByteArrayOutputStream out, String text) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!out.toString(StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("no '" + text + "' in:\n" + out.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(10);
        }
    }

    @Test
    void shouldWatchAsOneJsonObjectPerLine() {
        Result r = CliRunner.runRaw(2, "--dir", dir.toString(), "inspect", "--json", "--watch", "0.1", "shop");
        assertEquals(Interproc.OK, r.code(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r::toString);
        for (String line : lines) {
            assertEquals("shop", MiniJson.object(line).get("name"));
        }
        assertTrue(!r.out().contains("\u001b"), "no ANSI codes in JSON output");
    }

    @Test
    void shouldTakeANumberAfterWatchAsTheNameWhenNoOtherNameIsGiven() {
        Segment numbered = Segment.create("42", 1 << 20, SegmentOptions.defaults().withDirectory(dir));
        try {
            Result r = CliRunner.runRaw(1, "--dir", dir.toString(), "inspect", "--watch", "42");
            assertEquals(Interproc.OK, r.code(), r::toString);
            assertTrue(r.out().startsWith(InspectCommand.CLEAR_SCREEN + "Every 2s: interproc inspect 42 "), r::toString);
            r = CliRunner.runRaw(1, "--dir", dir.toString(), "inspect", "--watch", "0.5", "42");
            assertTrue(r.out().startsWith(InspectCommand.CLEAR_SCREEN + "Every 0.5s: interproc inspect 42 "), r::toString);
        } finally {
            numbered.close();
        }
    }

    @Test
    void shouldAcceptANameThatLooksLikeAnOptionAfterDoubleDash() {
        Segment odd = Segment.create("-odd", 1 << 20, SegmentOptions.defaults().withDirectory(dir));
        try {
            Result r = CliRunner.run(dir, "inspect", "--", "-odd");
            assertEquals(Interproc.OK, r.code(), r::toString);
            assertTrue(r.out().startsWith("segment  -odd\n"), r::toString);
        } finally {
            odd.close();
        }
    }
}
