package io.interproc.sync.internal;

import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.spi.ObjectKind;
import io.interproc.core.spi.ObjectRegion;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Describes a {@link io.interproc.sync.SharedCondition}, in this order: {@code sequence} (signals
 * ever sent), {@code waiters} (registered and not yet signalled), {@code pendingSignals}
 * (signalled, not yet woken), {@code lock} (the lock it is bound to, e.g.
 * {@code "SharedLock 'orders'"}, or {@code "none recorded"}). Found by
 * {@link java.util.ServiceLoader}.
 */
public final class ConditionInspector extends KindInspector {
    /** Used by {@link java.util.ServiceLoader}. */
    public ConditionInspector() {
        super(ConditionDescriptor.SIZE, SyncKinds.CONDITION);
    }

    @Override
    Map<String, Object> describeState(ObjectRegion region, SharedBuffer b, int at) {
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
        String bound = ConditionDescriptor.boundLock(condition.segment(), kindCode, lockOffset);
        if (bound != null) {
            return bound;
        }
        ObjectKind kind = ObjectKind.ofCode(kindCode);
        return (kind == null ? "kind " + kindCode : kind.toString()) + " at offset " + lockOffset
                + " (not in the directory)";
    }
}
