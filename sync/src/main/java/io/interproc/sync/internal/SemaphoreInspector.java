package io.interproc.sync.internal;

import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.spi.ObjectRegion;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Describes a {@link io.interproc.sync.SharedSemaphore}, in this order: {@code bounded},
 * {@code maxPermits} (bounded only), {@code availablePermits}, {@code sleepers}. Found by
 * {@link java.util.ServiceLoader}.
 */
public final class SemaphoreInspector extends KindInspector {
    /** Used by {@link java.util.ServiceLoader}. */
    public SemaphoreInspector() {
        super(SemaphoreDescriptor.SIZE, SyncKinds.SEMAPHORE);
    }

    @Override
    Map<String, Object> describeState(ObjectRegion region, SharedBuffer b, int at) {
        boolean bounded = region.checkStored("flags", b.getInt(at + SemaphoreDescriptor.FLAGS_OFFSET), 0,
                SemaphoreDescriptor.FLAG_BOUNDED) != 0;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bounded", bounded);
        if (bounded) {
            out.put("maxPermits", b.getInt(at + SemaphoreDescriptor.MAX_PERMITS_OFFSET));
        }
        out.put("availablePermits", b.getIntVolatile(at + SemaphoreDescriptor.PERMITS_OFFSET));
        out.put("sleepers", b.getIntVolatile(at + SemaphoreDescriptor.WAITERS_OFFSET)
                + b.getIntVolatile(at + SemaphoreDescriptor.MULTI_WAITERS_OFFSET));
        return out;
    }
}
