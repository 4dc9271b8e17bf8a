package io.interproc.core.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.core.SegmentFullException;
import io.interproc.core.SegmentOptions;
import io.interproc.core.SharedInt;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.os.Posix;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.core.value.CoreKinds;
import io.interproc.core.value.ValueDescriptor;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProcessTableTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    /** Writes slot {@code slot} as if an attachment with {@code ownerId} of process {@code pid} held it. */
    static void fakeSlot(Segment s, int slot, int ownerId, long pid) {
        SharedBuffer b = s.buffer();
        int table = b.getInt(SegmentHeaderDescriptor.PROCESS_TABLE_OFFSET_OFFSET);
        int base = ProcessTableDescriptor.slotOffset(table, slot);
        b.setLong(base + ProcessTableDescriptor.PID_OFFSET, pid);
        b.setLongVolatile(base + ProcessTableDescriptor.CONTROL_OFFSET,
                ProcessTableDescriptor.control(ownerId, ProcessTableDescriptor.STATE_LIVE));
    }

    /** Holds slot {@code slot}'s liveness lock through a descriptor of our own, as a live process would. */
    static int holdLock(Segment s, int slot) throws Posix.PosixException {
        int fd = Posix.open(s.path().toString(), Posix.O_RDWR);
        int table = s.buffer().getInt(SegmentHeaderDescriptor.PROCESS_TABLE_OFFSET_OFFSET);
        assertTrue(Posix.tryLockExclusive(fd, ProcessTableDescriptor.lockByte(table, slot)));
        return fd;
    }

    @Test
    void shouldCountAnAttachmentAliveExactlyWhileItsLockIsHeldWhateverItsPid() throws Exception {
        Segment s = segments.create(1 << 20);
        // A pid that names no process here: a process in another PID namespace looks like this.
        long pid = ChildJvms.deadPid();
        fakeSlot(s, 10, 1_000_000, pid);
        int fd = holdLock(s, 10);
        try {
            assertTrue(s.isAlive(1_000_000), "its lock is held: alive, whatever /proc says of its pid");
            assertEquals(pid, s.pidOf(1_000_000));
            assertFalse(s.isAlive(1_000_001), "no slot carries that id");
        } finally {
            Posix.close(fd);
        }
        assertFalse(s.isAlive(1_000_000), "the kernel dropped its lock: dead");
        // Our own attachments hold their locks through descriptors of their own.
        assertTrue(s.isAlive(s.ownerId()));
    }

    @Test
    void shouldReclaimTheSlotOfADeadAttachmentWithAFreshOwnerId() throws IOException {
        SegmentOptions options = SegmentOptions.defaults().withProcessTableSize(2);
        Segment s = segments.track(Segment.create(segments.newName(), 1 << 20, options));
        int other = 1 - s.file().table().slotOf(s.ownerId());
        fakeSlot(s, other, 777, ChildJvms.deadPid());
        assertFalse(s.isAlive(777));
        // Both slots are LIVE, but one's lock is free: it is reaped and reused.
        Segment second = segments.track(Segment.open(s.name(), options));
        assertEquals(other, s.file().table().slotOf(second.ownerId()));
        assertTrue(second.ownerId() > s.ownerId(), "a fresh id: " + second.ownerId());
        assertTrue(s.isAlive(second.ownerId()));
        assertFalse(s.isAlive(777));
        assertEquals(-1, s.pidOf(777), "the dead id no longer names anyone");
        SegmentFullException full = assertThrows(SegmentFullException.class,
                () -> segments.track(Segment.open(s.name(), options)));
        assertEquals("process table of segment '" + s.name() + "' is full: 2 slots all held by live attachments; "
                + "create the segment with a larger process table (SegmentOptions.withProcessTableSize)",
                full.getMessage());
    }

    @Test
    void shouldNeverHandOutAnOwnerIdTwiceIn100000AttachCycles() {
        Segment s = segments.create(1 << 20);
        int previous = s.ownerId();
        int slot = s.file().table().slotOf(previous);
        java.util.Set<Integer> seenSlots = new java.util.HashSet<>();
        long mappings = MappedFile.mappingsCreated();
        for (int i = 0; i < 100_000; i++) {
            Segment t = Segment.open(s.name(), segments.options());
            assertTrue(t.file() == s.file());
            int id = t.ownerId();
            seenSlots.add(s.file().table().slotOf(id));
            t.close();
            assertTrue(id > previous, "owner ids only grow: " + previous + " then " + id);
            assertFalse(s.isAlive(id), "a closed attachment's id is dead");
            previous = id;
        }
        assertTrue(s.isAlive(s.ownerId()));
        assertTrue(s.file().table().slotOf(s.ownerId()) == slot);
        assertTrue(seenSlots.size() > 1, "attachments rotate through the table: " + seenSlots);
        assertEquals(mappings, MappedFile.mappingsCreated(), "all those opens shared the one mapping");
    }

    @Test
    void shouldRefuseAttachmentsOnceOwnerIdsRanOut() {
        Segment s = segments.create(1 << 20);
        s.buffer().setIntVolatile(SegmentHeaderDescriptor.NEXT_OWNER_ID_OFFSET, ProcessTableDescriptor.MAX_OWNER_ID + 1);
        SegmentFullException e = assertThrows(SegmentFullException.class, () -> Segment.open(s.name(), segments.options()));
        assertEquals("segment '" + s.name() + "' has handed out all its owner ids: nextOwnerId=" + Integer.MAX_VALUE
                + ", max=" + ProcessTableDescriptor.MAX_OWNER_ID + "; an id is never reused, so create a new segment",
                e.getMessage());
        assertEquals(Integer.MAX_VALUE, s.buffer().getIntVolatile(SegmentHeaderDescriptor.NEXT_OWNER_ID_OFFSET));
    }

    @Test
    void shouldSubtractADeadAttachmentsWaiterRecordsWhenItsSlotIsReaped() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedInt waiters = SharedInt.create(s, "waiters", 0);
        int at = s.openObject("waiters", CoreKinds.INT).offset() + ValueDescriptor.VALUE_OFFSET;
        // Another attachment (standing for another process) registers two waiting threads.
        int fd = Posix.open(s.path().toString(), Posix.O_RDWR);
        int slot = 5;
        int table = s.buffer().getInt(SegmentHeaderDescriptor.PROCESS_TABLE_OFFSET_OFFSET);
        assertTrue(Posix.tryLockExclusive(fd, ProcessTableDescriptor.lockByte(table, slot)));
        fakeSlot(s, slot, 4242, 1);
        for (int i = 0; i < 2; i++) {
            s.buffer().getAndAddInt(at, 1);
            s.file().table().noteWaiting(slot, at, +1);
        }
        s.buffer().getAndAddInt(at, 1); // a live waiter of ours, not recorded in that slot
        assertEquals(3, waiters.get());
        assertFalse(s.file().table().reapIfDead(slot), "alive: nothing to reap");
        Posix.close(fd); // the process dies
        assertTrue(s.file().table().reapIfDead(slot));
        assertEquals(1, waiters.get(), "the dead attachment's two registrations are gone, ours stays");
        assertFalse(s.isAlive(4242));
        assertFalse(s.file().table().reapIfDead(slot), "reaped once");
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
        fakeSlot(s, 20, 999, ChildJvms.deadPid());
        var procs = s.processes();
        assertEquals(2, procs.size());
        assertTrue(procs.stream().anyMatch(p -> p.alive() && p.pid() == ProcessHandle.current().pid()
                && p.ownerId() == s.ownerId()));
        assertTrue(procs.stream().anyMatch(p -> !p.alive() && p.slot() == 20 && p.ownerId() == 999));
    }
}
