package io.interproc.sync;

import io.interproc.core.Inspection;
import io.interproc.core.ObjectInspector;
import io.interproc.core.ObjectKind;
import io.interproc.core.ObjectRegion;
import io.interproc.core.SharedBuffer;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link ObjectInspector} for {@link SharedSemaphore}, {@link SharedEvent} and
 * {@link SharedBarrier}: available permits and sleepers of a semaphore; whether an event is set and
 * how often it was; a barrier's parties, generation, phase and the processes of the parties that
 * have arrived. Reads the layouts ({@link SemaphoreDescriptor}, {@link EventDescriptor},
 * {@link BarrierDescriptor}) directly, never writes, never blocks; works on a segment opened with
 * {@link io.interproc.core.Segment#inspect}. Found through {@link java.util.ServiceLoader}; use
 * {@link Inspection#describe}. A damaged object gives a
 * {@link io.interproc.core.CorruptSegmentException}.
 */
public final class SemaphoreEventBarrierInspector implements ObjectInspector {
    private static final String[] PHASES = {"filling", "running action", "passed", "broken"};

    /** Used by {@link java.util.ServiceLoader}. */
    public SemaphoreEventBarrierInspector() {
    }

    @Override
    public Set<ObjectKind> kinds() {
        return EnumSet.of(ObjectKind.SEMAPHORE, ObjectKind.EVENT, ObjectKind.BARRIER);
    }

    @Override
    public Map<String, Object> describe(ObjectRegion region) {
        switch (region.kind()) {
            case SEMAPHORE:
                return describeSemaphore(region);
            case EVENT:
                return describeEvent(region);
            case BARRIER:
                return describeBarrier(region);
            default:
                throw new IllegalArgumentException("not a semaphore, event or barrier: kind=" + region.kind());
        }
    }

    private static Map<String, Object> describeSemaphore(ObjectRegion region) {
        region.checkStored("length", region.length(), SemaphoreDescriptor.SIZE, Integer.MAX_VALUE);
        SharedBuffer b = region.buffer();
        int at = region.offset();
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

    private static Map<String, Object> describeEvent(ObjectRegion region) {
        region.checkStored("length", region.length(), EventDescriptor.SIZE, Integer.MAX_VALUE);
        SharedBuffer b = region.buffer();
        int state = b.getIntVolatile(region.offset() + EventDescriptor.STATE_OFFSET);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("set", (state & EventDescriptor.SET_BIT) != 0);
        out.put("timesSet", Integer.toUnsignedLong(state) >>> 1);
        out.put("sleepers", b.getIntVolatile(region.offset() + EventDescriptor.WAITERS_OFFSET));
        return out;
    }

    private static Map<String, Object> describeBarrier(ObjectRegion region) {
        region.checkStored("length", region.length(), BarrierDescriptor.size(1), Integer.MAX_VALUE);
        SharedBuffer b = region.buffer();
        int at = region.offset();
        int parties = (int) region.checkStored("parties", b.getInt(at + BarrierDescriptor.PARTIES_OFFSET), 1,
                BarrierDescriptor.MAX_PARTIES);
        region.checkStored("length", region.length(), BarrierDescriptor.size(parties), Integer.MAX_VALUE);
        long state = b.getLongVolatile(at + BarrierDescriptor.STATE_OFFSET);
        long generation = BarrierDescriptor.generation(state);
        int phase = BarrierDescriptor.phase(state);
        int arrived = (int) region.checkStored("arrived", BarrierDescriptor.arrived(state), 0, parties);
        List<String> inside = new ArrayList<>();
        for (int i = 0; i < arrived; i++) {
            long e = b.getLongVolatile(at + BarrierDescriptor.ENTRIES_OFFSET + 8 * i);
            int owner = BarrierDescriptor.entryOwner(e);
            if (owner != 0 && BarrierDescriptor.entryGeneration(e) == (int) generation) {
                inside.add(Inspection.owner(region.segment(), owner));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("parties", parties);
        out.put("generation", generation);
        out.put("phase", PHASES[phase]);
        out.put("waiting", phase == BarrierDescriptor.FILLING || phase == BarrierDescriptor.TRIPPING ? arrived : 0);
        out.put(phase == BarrierDescriptor.BROKEN ? "notYetSeenTheBreak" : "arrived", inside);
        out.put("sleepers", b.getIntVolatile(at + BarrierDescriptor.WAITERS_OFFSET));
        return out;
    }
}
