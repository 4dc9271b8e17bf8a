package io.interproc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.testing.TempSegments;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProcessTableTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    @Test
    void shouldCountASlotWhoseStartTimeDiffersAsDead() {
        Segment s = segments.create(1 << 20);
        ProcessTable table = s.processTable();
        long me = ProcessHandle.current().pid();
        long myStart = ProcessLiveness.CURRENT_START;
        // Our own pid, but recorded with another start time: a previous process that had this pid.
        table.forceSlot(10, me, 5, myStart - 60_000);
        assertFalse(s.isAlive(ProcessTableDescriptor.ownerId(5, 10)));
        // The same pid with the right start time is alive.
        table.forceSlot(11, me, 5, myStart);
        assertTrue(s.isAlive(ProcessTableDescriptor.ownerId(5, 11)));
        // A live process other than us, with a wrong start time: dead.
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        long parentStart = ProcessLiveness.startTime(parent);
        table.forceSlot(12, parent, 5, parentStart + 10_000);
        assertFalse(s.isAlive(ProcessTableDescriptor.ownerId(5, 12)));
        table.forceSlot(13, parent, 5, parentStart);
        assertTrue(s.isAlive(ProcessTableDescriptor.ownerId(5, 13)));
        // A stale generation is dead whatever the process.
        assertFalse(s.isAlive(ProcessTableDescriptor.ownerId(4, 13)));
    }

    @Test
    void shouldReclaimTheSlotOfADeadProcessWithANewGeneration() throws IOException {
        SegmentOptions options = SegmentOptions.defaults().withProcessTableSize(2);
        Segment s = segments.track(Segment.create(segments.newName(), 1 << 20, options));
        long dead = SegmentTest.deadPid();
        int other = 1 - ProcessTableDescriptor.slotOf(s.ownerId());
        s.processTable().forceSlot(other, dead, 7, 123L);
        int deadId = ProcessTableDescriptor.ownerId(7, other);
        assertFalse(s.isAlive(deadId));
        assertEquals(dead, s.pidOf(deadId));
        // The table is full of occupied slots, but one is held by a dead process: it is reused.
        Segment second = segments.track(Segment.open(s.name(), options));
        assertEquals(other, ProcessTableDescriptor.slotOf(second.ownerId()));
        assertEquals(8, ProcessTableDescriptor.generationOf(second.ownerId()));
        assertNotEquals(deadId, second.ownerId());
        assertTrue(s.isAlive(second.ownerId()));
        assertEquals(-1, s.pidOf(deadId), "the old generation no longer names anyone");
    }

    @Test
    void shouldCountAZombieAsDead() throws Exception {
        // The backgrounded sleep exits at once; its parent exec's into a long sleep that never reaps it.
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0.05 & echo $!; exec sleep 30").start();
        try {
            long zombie = Long.parseLong(new java.io.BufferedReader(
                    new java.io.InputStreamReader(parent.getInputStream())).readLine().trim());
            java.nio.file.Path stat = java.nio.file.Path.of("/proc", Long.toString(zombie), "stat");
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (!java.nio.file.Files.readString(stat).contains(") Z ")) {
                assertTrue(System.nanoTime() < deadline, "the child never became a zombie");
                Thread.sleep(10);
            }
            assertTrue(ProcessHandle.of(zombie).map(ProcessHandle::isAlive).orElse(false),
                    "the JDK calls a zombie alive");
            assertFalse(ProcessLiveness.isAlive(zombie, -1), "we do not");
            assertEquals(-1, ProcessLiveness.startTime(zombie));
        } finally {
            parent.destroyForcibly().waitFor();
        }
    }

    @Test
    void shouldListProcessesAliveAndDead() throws IOException {
        Segment s = segments.create(1 << 20);
        s.processTable().forceSlot(20, SegmentTest.deadPid(), 3, 1L);
        var procs = s.processes();
        assertEquals(2, procs.size());
        assertTrue(procs.stream().anyMatch(p -> p.alive() && p.pid() == ProcessHandle.current().pid()
                && p.ownerId() == s.ownerId()));
        assertTrue(procs.stream().anyMatch(p -> !p.alive() && p.slot() == 20 && p.generation() == 3));
    }
}
