package io.interproc.sync;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.Inspection;
import io.interproc.core.ObjectInfo;
import io.interproc.core.ObjectInspector;
import io.interproc.core.ObjectKind;
import io.interproc.core.ObjectRegion;
import io.interproc.core.Segment;
import io.interproc.core.SharedBuffer;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@link ObjectInspector} for {@link SharedLock}, {@link SharedReentrantLock} and
 * {@link SharedCondition}: who holds a lock, whether its holder recovered it and how many
 * take-overs it has seen; how many threads wait on a condition and which lock it is bound to.
 * Reads the layouts ({@link LockDescriptor}, {@link ReentrantLockDescriptor},
 * {@link ConditionDescriptor}) directly, never writes, never blocks; works on a segment opened
 * with {@link Segment#inspect}. Found through {@link java.util.ServiceLoader}; use
 * {@link Inspection#describe}.
 */
public final class LockInspector implements ObjectInspector {
    /** Used by {@link java.util.ServiceLoader}. */
    public LockInspector() {
    }

    @Override
    public Set<ObjectKind> kinds() {
        return EnumSet.of(ObjectKind.LOCK, ObjectKind.REENTRANT_LOCK, ObjectKind.CONDITION);
    }

    @Override
    public Map<String, Object> describe(ObjectRegion region) {
        switch (region.kind()) {
            case LOCK:
            case REENTRANT_LOCK:
                return describeLock(region);
            case CONDITION:
                return describeCondition(region);
            default:
                throw new IllegalArgumentException("not a lock or condition: kind=" + region.kind());
        }
    }

    private static Map<String, Object> describeLock(ObjectRegion region) {
        checkLength(region, LockDescriptor.SIZE);
        SharedBuffer b = region.buffer();
        int at = region.offset();
        int owner = b.getIntVolatile(at + LockDescriptor.OWNER_OFFSET);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("locked", owner != 0);
        out.put("owner", Inspection.owner(region.segment(), owner));
        if (owner != 0) {
            out.put("holderThreadId", b.getLongOpaque(at + LockDescriptor.HOLDER_THREAD_OFFSET));
            if (region.kind() == ObjectKind.REENTRANT_LOCK) {
                out.put("holdCount", b.getIntOpaque(at + ReentrantLockDescriptor.HOLD_COUNT_OFFSET));
            }
            out.put("recovered", b.getIntVolatile(at + LockDescriptor.RECOVERED_OFFSET) != 0);
        }
        out.put("waiters", b.getIntVolatile(at + LockDescriptor.WAITERS_OFFSET));
        out.put("recoveries", b.getLongVolatile(at + LockDescriptor.RECOVERIES_OFFSET));
        return out;
    }

    private static Map<String, Object> describeCondition(ObjectRegion region) {
        checkLength(region, ConditionDescriptor.SIZE);
        SharedBuffer b = region.buffer();
        int at = region.offset();
        long word = b.getLongVolatile(at + ConditionDescriptor.SIGNAL_WORD_OFFSET);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lock", boundLock(region.segment(), b.getInt(at + ConditionDescriptor.LOCK_KIND_OFFSET),
                b.getInt(at + ConditionDescriptor.LOCK_OFFSET_OFFSET)));
        out.put("waiting", b.getIntVolatile(at + ConditionDescriptor.UNSIGNALLED_OFFSET));
        out.put("pendingSignals", ConditionDescriptor.signals(word));
        out.put("epoch", ConditionDescriptor.epoch(word) & 0xFFFF_FFFFL);
        out.put("sleepers", b.getIntVolatile(at + ConditionDescriptor.SLEEPERS_OFFSET));
        return out;
    }

    private static String boundLock(Segment segment, int kindCode, int offset) {
        for (ObjectInfo info : segment.objects()) {
            if (info.offset() == offset && info.kind().code() == kindCode) {
                return info.kind() + " '" + info.name() + "'";
            }
        }
        ObjectKind kind = ObjectKind.ofCode(kindCode);
        return (kind == null ? "kind " + kindCode : kind.toString()) + " at offset " + offset + " (not found)";
    }

    private static void checkLength(ObjectRegion region, int size) {
        if (region.length() < size) {
            throw new CorruptSegmentException(region.kind() + " '" + region.name() + "' in segment '"
                    + region.segment().name() + "' is corrupt: length=" + region.length() + ", expected at least "
                    + size);
        }
    }
}
