package io.interproc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.cli.CliRunner.Result;
import io.interproc.cli.children.AttachAndExit;
import io.interproc.core.Segment;
import io.interproc.core.SegmentOptions;
import io.interproc.core.SharedLong;
import io.interproc.core.testing.ChildJvms;
import io.interproc.process.JvmProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class RmGcCommandTest {
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    private final List<Segment> attached = new ArrayList<>();

    private SegmentOptions options() {
        return SegmentOptions.defaults().withDirectory(dir);
    }

    private Segment attach(String name) {
        Segment s = Segment.openOrCreate(name, 1 << 20, options());
        attached.add(s);
        return s;
    }

    private void createAndClose(String name) {
        Segment.create(name, 1 << 20, options()).close();
    }

    @AfterEach
    void close() {
        attached.forEach(Segment::close);
    }

    private boolean exists(String name) {
        return Files.exists(dir.resolve(name));
    }

    // ---------------------------------------------------------------- rm

    @Test
    void shouldRemoveASegmentNoProcessIsAttachedTo() {
        createAndClose("old");
        Result r = CliRunner.run(dir, "rm", "old");
        assertEquals(Interproc.OK, r.code(), r::toString);
        assertEquals("removed old\n", r.out());
        assertEquals("", r.err());
        assertFalse(exists("old"));
    }

    @Test
    void shouldRefuseToRemoveASegmentWithALiveProcessUnlessForced() {
        Segment live = attach("live");
        Result r = CliRunner.run(dir, "rm", "live");
        assertEquals(Interproc.FAILED, r.code(), r::toString);
        assertEquals("", r.out());
        assertEquals("interproc: refusing to remove segment 'live': 1 process alive (pid " + PID
                + "); use --force to remove it anyway\n", r.err());
        assertTrue(exists("live"));

        r = CliRunner.run(dir, "rm", "--force", "live");
        assertEquals(Interproc.OK, r.code(), r::toString);
        assertEquals("removed live; 1 process alive (pid " + PID + ") keeps using it until it closes the segment\n",
                r.out());
        assertFalse(exists("live"));
        SharedLong.create(live, "still-works", 7); // the attached process keeps its mapping
        assertEquals(7, SharedLong.open(live, "still-works").get());
    }

    @Test
    void shouldExitOneForAMissingSegment() {
        Result r = CliRunner.run(dir, "rm", "nope");
        assertEquals(Interproc.FAILED, r.code(), r::toString);
        assertEquals("interproc: segment 'nope' does not exist: path=" + dir.resolve("nope") + "\n", r.err());
        r = CliRunner.run(dir, "rm", "nope", "--force");
        assertEquals(Interproc.FAILED, r.code(), r::toString);
    }

    @Test
    void shouldRefuseACorruptSegmentWithExitThreeUnlessForced() throws Exception {
        Files.write(dir.resolve("junk"), new byte[100]);
        Result r = CliRunner.run(dir, "rm", "junk");
        assertEquals(Interproc.CORRUPT, r.code(), r::toString);
        assertEquals("interproc: cannot tell whether segment 'junk' is in use: segment 'junk' has file size 100, "
                + "not a segment size (path=" + dir.resolve("junk") + "); use --force to remove it anyway\n", r.err());
        assertTrue(exists("junk"));
        r = CliRunner.run(dir, "rm", "junk", "--force");
        assertEquals(Interproc.OK, r.code(), r::toString);
        assertEquals("removed junk\n", r.out());
        assertFalse(exists("junk"));
    }

    // ---------------------------------------------------------------- gc

    @Test
    void shouldCollectSegmentsOfDeadProcessesAndUnattachedOnesAndKeepTheRest() throws Exception {
        createAndClose("dead");
        JvmProcess child = children.start(AttachAndExit.class, dir.toString(), "dead");
        ChildJvms.awaitSuccess(child, 60); // exited without closing: its slot names a dead process
        createAndClose("gone");
        attach("live");
        Files.write(dir.resolve("junk"), new byte[100]);

        Result ls = CliRunner.run(dir, "ls");
        assertTrue(ls.out().lines().anyMatch(l -> l.matches("dead .* 0 +1")), ls::toString);

        String junk = "kept junk: unreadable: file size 100 is not a segment size "
                + "(remove it with 'interproc rm --force junk')\n";
        Result dry = CliRunner.run(dir, "gc", "--dry-run");
        assertEquals(Interproc.OK, dry.code(), dry::toString);
        assertEquals("would remove dead (1 dead process attached)\n"
                + "would remove gone (no process attached)\n"
                + junk
                + "kept live: 1 process alive\n", dry.out());
        assertEquals("", dry.err());
        assertTrue(exists("dead") && exists("gone") && exists("live") && exists("junk"), "a dry run removes nothing");

        Result gc = CliRunner.run(dir, "gc");
        assertEquals(Interproc.OK, gc.code(), gc::toString);
        assertEquals("removed dead (1 dead process attached)\n"
                + "removed gone (no process attached)\n"
                + junk
                + "kept live: 1 process alive\n", gc.out());
        assertFalse(exists("dead"));
        assertFalse(exists("gone"));
        assertTrue(exists("live") && exists("junk"));

        Result again = CliRunner.run(dir, "gc");
        assertEquals(Interproc.OK, again.code(), again::toString);
        assertEquals(junk + "kept live: 1 process alive\nnothing to remove in " + dir + "\n", again.out());
    }

    @Test
    void shouldSayWhenThereIsNothingToCollect() {
        Result r = CliRunner.run(dir, "gc");
        assertEquals(Interproc.OK, r.code(), r::toString);
        assertEquals("nothing to remove in " + dir + "\n", r.out());
        assertEquals("nothing to remove in " + dir + "\n", CliRunner.run(dir, "gc", "--dry-run").out());
    }
}
