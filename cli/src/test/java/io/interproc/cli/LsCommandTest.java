package io.interproc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertLinesMatch;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.cli.CliRunner.Result;
import io.interproc.core.Segment;
import io.interproc.core.SegmentOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LsCommandTest {
    @TempDir
    Path dir;

    private Segment attached;

    private SegmentOptions options() {
        return SegmentOptions.defaults().withDirectory(dir);
    }

    @AfterEach
    void close() {
        if (attached != null) {
            attached.close();
        }
    }

    /** alpha: this JVM attached; beta: created and closed; junk: not a segment. */
    private void threeFiles() throws Exception {
        attached = Segment.create("alpha", 1 << 20, options());
        Segment.create("beta", 2 << 20, options()).close();
        Files.write(dir.resolve("junk"), new byte[100]);
        Files.write(dir.resolve("not a segment name"), new byte[100]); // skipped: not a valid name
    }

    @Test
    void shouldListSegmentsWithSizeUsedAndProcesses() throws Exception {
        threeFiles();
        Result r = CliRunner.run(dir, "ls");
        assertEquals(Interproc.OK, r.code(), r::toString);
        assertEquals("", r.err());
        String used = Format.bytes(attached.usedBytes()).replace(".", "\\.");
        assertLinesMatch(List.of(
                "NAME +SIZE +USED +ALIVE +DEAD",
                "alpha +1\\.0 MiB +" + used + " +1 +0",
                "beta +2\\.0 MiB +" + used + " +0 +0",
                "junk +100 B +- +- +-  unreadable: file size 100 is not a segment size"),
                r.out().lines().toList());
    }

    @Test
    void shouldRightAlignTheNumbers() throws Exception {
        threeFiles();
        List<String> lines = CliRunner.run(dir, "ls").out().lines().toList();
        int sizeEnd = lines.get(0).indexOf("SIZE") + "SIZE".length() - 1;
        int deadEnd = lines.get(0).indexOf("DEAD") + "DEAD".length() - 1;
        for (String line : lines.subList(1, lines.size())) {
            assertEquals('B', line.charAt(sizeEnd), line);
            assertEquals(' ', line.charAt(sizeEnd + 1), line);
            assertTrue(line.charAt(deadEnd) == '0' || line.charAt(deadEnd) == '-', line);
        }
    }

    @Test
    void shouldSayWhenThereAreNoSegments() {
        Result r = CliRunner.run(dir, "ls");
        assertEquals(Interproc.OK, r.code(), r::toString);
        assertEquals("no segments in " + dir + "\n", r.out());
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldListAsJson() throws Exception {
        threeFiles();
        Result r = CliRunner.run(dir, "ls", "--json");
        assertEquals(Interproc.OK, r.code(), r::toString);
        Map<String, Object> doc = MiniJson.object(r.out());
        assertEquals(List.of("directory", "segments"), List.copyOf(doc.keySet()));
        assertEquals(dir.toString(), doc.get("directory"));
        List<Map<String, Object>> segments = (List<Map<String, Object>>) doc.get("segments");
        assertEquals(List.of("alpha", "beta", "junk"), segments.stream().map(s -> s.get("name")).toList());
        Map<String, Object> alpha = segments.get(0);
        assertEquals(List.of("name", "path", "size", "usedBytes", "processesAlive", "processesDead", "creatorPid",
                "createdAt", "problem"), List.copyOf(alpha.keySet()));
        assertEquals(dir.resolve("alpha").toString(), alpha.get("path"));
        assertEquals((long) (1 << 20), alpha.get("size"));
        assertEquals(attached.usedBytes(), alpha.get("usedBytes"));
        assertEquals(1L, alpha.get("processesAlive"));
        assertEquals(0L, alpha.get("processesDead"));
        assertEquals(ProcessHandle.current().pid(), alpha.get("creatorPid"));
        assertNull(alpha.get("problem"));
        assertEquals(0L, segments.get(1).get("processesAlive"));
        Map<String, Object> junk = segments.get(2);
        assertEquals(100L, junk.get("size"));
        assertNull(junk.get("usedBytes"));
        assertNull(junk.get("processesAlive"));
        assertEquals("file size 100 is not a segment size", junk.get("problem"));
    }

    @Test
    void shouldListAnEmptyDirectoryAsJson() {
        Result r = CliRunner.run(dir, "--json", "ls");
        assertEquals(Interproc.OK, r.code(), r::toString);
        assertEquals(Map.of("directory", dir.toString(), "segments", List.of()), MiniJson.parse(r.out()));
    }
}
