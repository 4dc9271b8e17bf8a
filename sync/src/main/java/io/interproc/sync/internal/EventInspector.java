package io.interproc.sync.internal;

import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.spi.ObjectRegion;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Describes a {@link io.interproc.sync.SharedEvent}, in this order: {@code set}, {@code timesSet}
 * (how often a clear event was set), {@code sleepers}. Found by {@link java.util.ServiceLoader}.
 */
public final class EventInspector extends KindInspector {
    /** Used by {@link java.util.ServiceLoader}. */
    public EventInspector() {
        super(EventDescriptor.SIZE, SyncKinds.EVENT);
    }

    @Override
    Map<String, Object> describeState(ObjectRegion region, SharedBuffer b, int at) {
        int state = b.getIntVolatile(at + EventDescriptor.STATE_OFFSET);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("set", (state & EventDescriptor.SET_BIT) != 0);
        out.put("timesSet", Integer.toUnsignedLong(state) >>> 1);
        out.put("sleepers", b.getIntVolatile(at + EventDescriptor.WAITERS_OFFSET));
        return out;
    }
}
