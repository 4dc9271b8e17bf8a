package io.interproc.core.segment;

import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.os.Posix;
import io.interproc.core.wait.WaitLoop;
import io.interproc.core.wait.Waiter;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Turns the death or detachment of a process attached to a segment into a wake-up of this JVM's
 * sleeping waiters, without polling. Started lazily by the first thread that is about to sleep
 * on the segment ({@link #prepareToSleep()}).
 *
 * <pre>
 * watcher thread, one per slot held by another attachment (kernel-blocked, no CPU):
 *     while the slot is LIVE:
 *         wait until its liveness lock is released          (F_OFD_SETLKW, shared)
 *         reap the slot if its holder left it LIVE (dead)   (takes the lock, subtracts its
 *                                                            waiter records, marks it FREE,
 *                                                            bumps + wakes the liveness epoch)
 *         wake this JVM's sleepers on the segment           (WaitLoop.wakeSleepers)
 *
 * epoch thread, one per segment file while this JVM has attachments (futex-blocked):
 *     sleep on the header's liveness epoch; on every change wake this JVM's sleepers
 * </pre>
 *
 * The epoch carries what other JVMs learnt (a reaped slot, a detach) to this one; the watchers
 * learn deaths from the kernel. A sleeper then runs its liveness check, finds the dead owner and
 * takes over. A watcher whose holder lives on stays blocked until that holder leaves, even after
 * this JVM closed the segment: at most one thread per attachment of other processes.
 *
 * <p>Thread-safe.
 */
public final class LivenessWatch {
    private static final System.Logger LOG = System.getLogger(LivenessWatch.class.getName());
    private static final long RETRY_NANOS = 100_000;
    /** Longest single sleep of the epoch thread; it wakes earlier on every change. */
    private static final long EPOCH_SLEEP_NANOS = java.util.concurrent.TimeUnit.HOURS.toNanos(1);

    private final MappedFile file;
    private final Map<Integer, Thread> watchers = new ConcurrentHashMap<>();
    private final Set<Integer> ownSlots = ConcurrentHashMap.newKeySet();
    private volatile int seenVersion;
    private volatile boolean scanned;
    private Thread epochThread;

    LivenessWatch(MappedFile file) {
        this.file = file;
    }

    /** @param slot a slot now held by an attachment of this JVM (not watched) */
    public void ownSlot(int slot) {
        ownSlots.add(slot);
    }

    /** @param slot a slot index @return true if an attachment of this JVM (through this mapping) holds it */
    boolean isOwn(int slot) {
        return ownSlots.contains(slot);
    }

    /** @param slot a slot this JVM's attachment gave up */
    public void releasedSlot(int slot) {
        ownSlots.remove(slot);
    }

    /**
     * Makes sure a death or detachment of any attachment of another process (or of another
     * mapping) will wake this JVM's sleepers: starts the epoch thread and a watcher per held slot.
     * Cheap when nothing changed since the last call (one volatile read).
     */
    public void prepareToSleep() {
        ProcessTable table = file.table();
        int version = table.version();
        if (scanned && version == seenVersion) {
            return;
        }
        synchronized (this) {
            if (epochThread == null) {
                epochThread = start("interproc-liveness-epoch-" + file.name(), this::watchEpoch);
            }
            seenVersion = version;
            scanned = true;
            if (!table.locks().supported()) {
                return;
            }
            for (int slot = 0; slot < table.capacity(); slot++) {
                long c = table.slotControl(slot);
                if (ProcessTableDescriptor.state(c) == ProcessTableDescriptor.STATE_LIVE && !ownSlots.contains(slot)
                        && !watchers.containsKey(slot)) {
                    int s = slot;
                    watchers.put(slot, start("interproc-liveness-" + file.name() + "-slot-" + slot,
                            () -> watchSlot(s, c)));
                }
            }
        }
    }

    /** The last attachment of this JVM closed: the epoch thread may end. */
    void lastAttachmentClosed() {
        Waiter.get().wake(file.buffer(), SegmentHeaderDescriptor.LIVENESS_EPOCH_OFFSET, Integer.MAX_VALUE);
    }

    private static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** @param seen the slot's control word when the scan decided to watch it */
    private void watchSlot(int slot, long seen) {
        ProcessTable table = file.table();
        try {
            long c = table.slotControl(slot);
            if (c != seen) {
                // The holder the scan saw left before this thread could watch it.
                WaitLoop.wakeSleepers(file.buffer());
            }
            while (ProcessTableDescriptor.state(c) == ProcessTableDescriptor.STATE_LIVE && !ownSlots.contains(slot)) {
                table.locks().awaitReleased(slot);
                table.reapIfDead(slot);
                WaitLoop.wakeSleepers(file.buffer());
                long next = table.slotControl(slot);
                if (next == c && !table.locks().isHeld(slot)) {
                    LockSupport.parkNanos(RETRY_NANOS); // another process is reaping it right now
                }
                c = next;
            }
        } catch (Posix.PosixException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "segment '" + file.name() + "': liveness watcher of slot " + slot
                    + " stopped: " + e.getMessage());
        } finally {
            watchers.remove(slot);
            scanned = false; // the next sleeper scans again
        }
    }

    private void watchEpoch() {
        SharedBuffer buffer = file.buffer();
        int at = SegmentHeaderDescriptor.LIVENESS_EPOCH_OFFSET;
        // What happened before this read reaches sleepers otherwise: a sleeper checks once before it
        // first sleeps, and the watchers started with this thread notify about the slots they watch.
        int seen = buffer.getIntVolatile(at);
        while (true) {
            if (file.attachments() == 0) {
                synchronized (this) {
                    if (file.attachments() == 0) {
                        epochThread = null;
                        scanned = false;
                        return;
                    }
                }
            }
            Waiter.get().await(buffer, at, seen, EPOCH_SLEEP_NANOS);
            int now = buffer.getIntVolatile(at);
            if (now != seen) {
                seen = now;
                WaitLoop.wakeSleepers(buffer);
            }
        }
    }
}
