package io.interproc.collections.internal;

import io.interproc.core.memory.Layout;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.sync.internal.LockDescriptor;
import io.interproc.sync.internal.LockInspector;
import io.interproc.sync.internal.SyncKinds;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Layout of a {@code SharedList}: a lock, the size, and a map from index to element.
 *
 * <pre>
 *  offset  size            field
 *  ------  --------------  -----------------------------------------------------------------
 *       0  128             list lock (LockDescriptor): held by append, set, removeLast, clear
 *     128  128             size (long): elements 0 .. size-1 are the list; written by the
 *                          lock holder with a release store AFTER the element is in the map
 *                          (append) or BEFORE it is removed (removeLast)
 *     256  to the end      elements: a map (MapDescriptor) from index (8 bytes) to element
 * </pre>
 *
 * <p>The size word is the list's only commit point: an element stored at {@code size} by an
 * appender killed before it raised the size is invisible and is overwritten by the next append;
 * an element left above the size by a killed {@code removeLast} likewise. So a killed appender
 * never duplicates an element, and an append that returned is never lost.
 */
public final class ListDescriptor {
    /** Offset of the list lock. */
    public static final int LOCK_OFFSET = 0;
    /** Offset of the size. */
    public static final int SIZE_OFFSET = LOCK_OFFSET + LockDescriptor.SIZE;
    /** Offset of the element map. */
    public static final int MAP_OFFSET = Layout.nextLinePair(SIZE_OFFSET + Layout.LONG);

    private ListDescriptor() {
    }

    /** @return bytes of a list of that capacity */
    public static long bytesFor(int capacity, int averageElementBytes) {
        return MAP_OFFSET + MapStore.bytesFor(capacity, Long.BYTES, averageElementBytes);
    }

    /** @return the list's lock */
    public static ObjectRegion lockPart(ObjectRegion list) {
        return list.part(list.name() + ".lock", SyncKinds.LOCK, LOCK_OFFSET, LockDescriptor.SIZE);
    }

    /** @return the list's element map */
    public static ObjectRegion mapPart(ObjectRegion list) {
        list.checkStored("length", list.length(), MAP_OFFSET + Layout.LINE_PAIR, Integer.MAX_VALUE);
        return list.part(list.name() + ".elements", CollectionKinds.LIST, MAP_OFFSET, list.length() - MAP_OFFSET);
    }

    /** @return {@code size} and {@code lock} (the list lock's state), for the inspector */
    static Map<String, Object> describe(ObjectRegion list) {
        Map<String, Object> out = new LinkedHashMap<>();
        list.checkStored("length", list.length(), MAP_OFFSET + Layout.LINE_PAIR, Integer.MAX_VALUE);
        out.put("size", list.buffer().getLongVolatile(list.offset() + SIZE_OFFSET));
        out.put("lock", LockInspector.describeLock(lockPart(list)));
        return out;
    }
}
