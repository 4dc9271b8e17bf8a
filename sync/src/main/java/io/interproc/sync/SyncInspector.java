package io.interproc.sync;

import io.interproc.core.Inspection;
import io.interproc.core.ObjectInfo;
import io.interproc.core.ObjectInspector;
import io.interproc.core.ObjectKind;
import io.interproc.core.ObjectRegion;
import io.interproc.core.SharedBuffer;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@link ObjectInspector} of sync's kinds, found by {@link java.util.ServiceLoader}. It only reads
 * (volatile and opaque loads), so it works on a segment opened with
 * {@link io.interproc.core.Segment#inspect}, and never blocks.
 *
 * <p>What it reports, in this order:
 * <ul>
 *   <li>{@link SharedLock}: {@code owner} ({@link Inspection#owner}: {@code "none"},
 *       {@code "pid 123 (alive)"}, {@code "pid 123 (dead)"}, ...), {@code holderThread} (thread id
 *       in the holder's JVM, 0 when free), {@code recovered} (the holder took the lock over from a
 *       dead owner), {@code recoveries} (take-overs since creation), {@code waiters} (threads
 *       sleeping on the lock; a waiter killed while asleep stays counted);</li>
 *   <li>{@link SharedReentrantLock}: the same plus {@code holdCount} (0 when free);</li>
 *   <li>{@link SharedCondition}: {@code sequence} (signals ever sent), {@code waiters} (registered
 *       and not yet signalled), {@code pendingSignals} (signalled, not yet woken), {@code lock}
 *       (the lock it is bound to, e.g. {@code "SharedLock 'orders'"}, or {@code "none recorded"}).</li>
 * </ul>
 */
public final class SyncInspector implements ObjectInspector {
    /** Used by {@link java.util.ServiceLoader}. */
    public SyncInspector() {
    }

    @Override
    public Set<ObjectKind> kinds() {
        return EnumSet.of(ObjectKind.LOCK, ObjectKind.REENTRANT_LOCK, ObjectKind.CONDITION);
    }

    @Override
    public Map<String, Object> describe(ObjectRegion region) {
        return switch (region.kind()) {
            case LOCK -> describeLock(region);
            case REENTRANT_LOCK -> describeLock(region);
            case CONDITION -> describeCondition(region);
            default -> throw new IllegalArgumentException("not a kind of the sync module: kind=" + region.kind());
        };
    }

    /**
     * Describes a {@link SharedLock} or {@link SharedReentrantLock}, including one embedded in
     * another object (a queue's producer and consumer locks, from {@link ObjectRegion#part}).
     * <b>Internal API</b> for the ipc module's inspector.
     *
     * @param lock the lock's bytes, of kind {@link ObjectKind#LOCK} or {@link ObjectKind#REENTRANT_LOCK}
     * @return {@code owner}, {@code holderThread}, {@code recovered}, {@code recoveries},
     *     {@code waiters}, and {@code holdCount} for a reentrant lock
     * @throws io.interproc.core.CorruptSegmentException if the region is too small for a lock
     */
    public static Map<String, Object> describeLock(ObjectRegion lock) {
        lock.checkStored("length", lock.length(), LockDescriptor.SIZE, Integer.MAX_VALUE);
        boolean reentrant = lock.kind() == ObjectKind.REENTRANT_LOCK;
        OwnerWord word = new OwnerWord(lock, lock.kind() + " '" + lock.name() + "'",
                reentrant ? ReentrantLockDescriptor.HOLD_COUNT_OFFSET : -1);
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

    private static Map<String, Object> describeCondition(ObjectRegion region) {
        region.checkStored("length", region.length(), ConditionDescriptor.SIZE, Integer.MAX_VALUE);
        SharedBuffer b = region.buffer();
        int at = region.offset();
        long signalWord = b.getLongVolatile(at + ConditionDescriptor.SIGNAL_WORD_OFFSET);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sequence", b.getIntVolatile(at + ConditionDescriptor.SEQUENCE_OFFSET) & 0xFFFF_FFFFL);
        out.put("waiters", Math.max(0, b.getIntVolatile(at + ConditionDescriptor.UNSIGNALLED_OFFSET)));
        out.put("pendingSignals", Math.max(0, ConditionDescriptor.signals(signalWord)));
        out.put("lock", boundLock(region, b.getIntVolatile(at + ConditionDescriptor.LOCK_KIND_OFFSET),
                b.getIntVolatile(at + ConditionDescriptor.LOCK_OFFSET_OFFSET)));
        return out;
    }

    private static String boundLock(ObjectRegion condition, int kindCode, int lockOffset) {
        if (kindCode == 0) {
            return "none recorded";
        }
        for (ObjectInfo info : condition.segment().objects()) {
            if (info.offset() == lockOffset && info.kind().code() == kindCode) {
                return info.kind() + " '" + info.name() + "'";
            }
        }
        ObjectKind kind = ObjectKind.ofCode(kindCode);
        return (kind == null ? "kind " + kindCode : kind.toString()) + " at offset " + lockOffset
                + " (not in the directory)";
    }
}
