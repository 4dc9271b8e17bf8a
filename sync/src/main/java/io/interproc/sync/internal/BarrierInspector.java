package io.interproc.sync.internal;

import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.segment.Inspection;
import io.interproc.core.spi.ObjectRegion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Describes a {@link io.interproc.sync.SharedBarrier}, in this order: {@code parties},
 * {@code generation}, {@code phase} ({@code filling}, {@code running action}, {@code passed},
 * {@code broken}), {@code waiting}, the processes of the parties that have arrived
 * ({@code arrived}; of a broken barrier, {@code notYetSeenTheBreak}), {@code sleepers}. Found by
 * {@link java.util.ServiceLoader}.
 */
public final class BarrierInspector extends KindInspector {
    private static final String[] PHASES = {"filling", "running action", "passed", "broken"};

    /** Used by {@link java.util.ServiceLoader}. */
    public BarrierInspector() {
        super(BarrierDescriptor.size(1), SyncKinds.BARRIER);
    }

    @Override
    Map<String, Object> describeState(ObjectRegion region, SharedBuffer b, int at) {
        int parties = (int) region.checkStored("parties", b.getInt(at + BarrierDescriptor.PARTIES_OFFSET), 1,
                BarrierDescriptor.MAX_PARTIES);
        region.checkStored("length", region.length(), BarrierDescriptor.size(parties), Integer.MAX_VALUE);
        long state = b.getLongVolatile(at + BarrierDescriptor.STATE_OFFSET);
        long generation = BarrierDescriptor.generation(state);
        int phase = BarrierDescriptor.phase(state);
        int arrived = (int) region.checkStored("arrived", BarrierDescriptor.arrived(state), 0, parties);
        List<String> inside = new ArrayList<>();
        for (int i = 0; i < arrived; i++) {
            long e = b.getLongVolatile(at + BarrierDescriptor.entryOffset(i));
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
