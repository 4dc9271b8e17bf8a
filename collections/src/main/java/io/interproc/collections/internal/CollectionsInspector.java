package io.interproc.collections.internal;

import io.interproc.core.spi.ObjectInspector;
import io.interproc.core.spi.ObjectKind;
import io.interproc.core.spi.ObjectRegion;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Describes maps, lists and namespaces for {@code interproc inspect}: {@code entries} (for a list
 * {@code size} too), {@code capacity}, {@code bytesUsed}, {@code bytesFree}, {@code stripes},
 * {@code stripesHeld}, {@code recoveries}, {@code leakedBytes}. Only reads, never blocks; a damaged
 * object gives {@link io.interproc.core.CorruptSegmentException}. Found by {@link java.util.ServiceLoader}.
 */
public final class CollectionsInspector implements ObjectInspector {
    /** Used by {@link java.util.ServiceLoader}. */
    public CollectionsInspector() {
    }

    @Override
    public Set<ObjectKind> kinds() {
        return Set.of(CollectionKinds.MAP, CollectionKinds.LIST, CollectionKinds.NAMESPACE);
    }

    @Override
    public Map<String, Object> describe(ObjectRegion region) {
        Map<String, Object> out = new LinkedHashMap<>();
        ObjectRegion mapPart = region;
        if (region.kind() == CollectionKinds.LIST) {
            out.putAll(ListDescriptor.describe(region));
            mapPart = ListDescriptor.mapPart(region);
        } else if (region.kind() != CollectionKinds.MAP && region.kind() != CollectionKinds.NAMESPACE) {
            throw new IllegalArgumentException("CollectionsInspector describes " + kinds() + ", not kind="
                    + region.kind());
        }
        MapStore store = MapStore.over(mapPart);
        out.put("entries", store.size());
        out.put("capacity", store.capacity());
        out.put("bytesUsed", store.usedBytes());
        out.put("bytesFree", store.freeBytes());
        out.put("stripes", store.stripes());
        out.put("stripesHeld", store.stripesHeld());
        out.put("recoveries", store.recoveries());
        out.put("leakedBytes", store.leakedBytes());
        return out;
    }
}
