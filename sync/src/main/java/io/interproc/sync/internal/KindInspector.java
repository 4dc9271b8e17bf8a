package io.interproc.sync.internal;

import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.spi.ObjectInspector;
import io.interproc.core.spi.ObjectKind;
import io.interproc.core.spi.ObjectRegion;

import java.util.Map;
import java.util.Set;

/**
 * The base of sync's {@link ObjectInspector}s, one per type of object: it names the kinds and
 * refuses a region of another kind. Every inspector only reads (volatile and opaque loads), so it
 * works on a segment opened with {@link io.interproc.core.Segment#inspect}, and never blocks; a
 * damaged object gives a {@link io.interproc.core.CorruptSegmentException}.
 */
abstract class KindInspector implements ObjectInspector {
    private final int minLength;
    private final Set<ObjectKind> kinds;

    /**
     * @param minLength the fewest bytes an object of these kinds has
     * @param kind a kind described
     * @param more the other kinds described
     */
    KindInspector(int minLength, ObjectKind kind, ObjectKind... more) {
        this.minLength = minLength;
        Set<ObjectKind> all = new java.util.LinkedHashSet<>();
        all.add(kind);
        all.addAll(java.util.Arrays.asList(more));
        this.kinds = Set.copyOf(all);
    }

    @Override
    public final Set<ObjectKind> kinds() {
        return kinds;
    }

    @Override
    public final Map<String, Object> describe(ObjectRegion region) {
        if (!kinds.contains(region.kind())) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " describes " + kinds
                    + ", not kind=" + region.kind());
        }
        region.checkStored("length", region.length(), minLength, Integer.MAX_VALUE);
        return describeState(region, region.buffer(), region.offset());
    }

    /**
     * @param region an object of one of {@link #kinds()}, at least {@code minLength} bytes long
     * @param b its buffer
     * @param at its offset in the buffer
     * @return its state as ordered name/value pairs
     */
    abstract Map<String, Object> describeState(ObjectRegion region, SharedBuffer b, int at);
}
