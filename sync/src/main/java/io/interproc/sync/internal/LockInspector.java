package io.interproc.sync.internal;

import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.segment.Inspection;
import io.interproc.core.spi.ObjectKind;
import io.interproc.core.spi.ObjectRegion;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Describes a {@link io.interproc.sync.SharedLock} or {@link io.interproc.sync.SharedReentrantLock},
 * in this order: {@code owner} ({@link Inspection#owner}: {@code "none"},
 * {@code "pid 123 (alive)"}, {@code "pid 123 (dead)"}, ...), {@code holderThread} (thread id in
 * the holder's JVM, 0 when free), {@code recovered} (the holder took the lock over from a dead
 * owner), {@code recoveries} (take-overs since creation), {@code waiters} (threads sleeping on the
 * lock; a waiter killed while asleep stays counted), and for a reentrant lock {@code holdCount}
 * (0 when free). Found by {@link java.util.ServiceLoader}.
 */
public final class LockInspector extends KindInspector {
    /** Used by {@link java.util.ServiceLoader}. */
    public LockInspector() {
        super(LockDescriptor.SIZE, SyncKinds.LOCK, SyncKinds.REENTRANT_LOCK);
    }

    /** @return {@code recoveries} */
    @Override
    public java.util.Set<String> counters() {
        return java.util.Set.of("recoveries");
    }

    @Override
    Map<String, Object> describeState(ObjectRegion region, SharedBuffer b, int at) {
        return describeLock(region);
    }

    /**
     * Describes a lock, including one embedded in another object (a queue's producer and consumer
     * locks, from {@link ObjectRegion#part}). For the ipc module's inspector.
     *
     * @param lock the lock's bytes, of kind {@link SyncKinds#LOCK} or {@link SyncKinds#REENTRANT_LOCK}
     * @return {@code owner}, {@code holderThread}, {@code recovered}, {@code recoveries},
     *     {@code waiters}, and {@code holdCount} for a reentrant lock
     * @throws io.interproc.core.CorruptSegmentException if the region is too small for a lock
     */
    public static Map<String, Object> describeLock(ObjectRegion lock) {
        lock.checkStored("length", lock.length(), LockDescriptor.SIZE, Integer.MAX_VALUE);
        boolean reentrant = lock.kind() == SyncKinds.REENTRANT_LOCK;
        OwnerWord word = new OwnerWord(lock, lock.kind() + " '" + lock.name() + "'", reentrant);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("owner", Inspection.owner(lock.segment(), word.owner()));
        out.put("holderThread", word.holderThread());
        out.put("recovered", word.recovered());
        out.put("recoveries", word.recoveries());
        out.put("waiters", Math.max(0, word.waiters()));
        if (reentrant) {
            out.put("holdCount", word.holds());
        }
        return out;
    }
}
