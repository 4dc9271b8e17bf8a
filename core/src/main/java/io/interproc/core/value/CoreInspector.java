package io.interproc.core.value;

import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.spi.ObjectInspector;
import io.interproc.core.spi.ObjectKind;
import io.interproc.core.spi.ObjectRegion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link ObjectInspector} of core's kinds: values, arrays and raw bytes. */
public final class CoreInspector implements ObjectInspector {
    private static final int SHOWN = 8;

    /** Used by {@link java.util.ServiceLoader}. */
    public CoreInspector() {
    }

    @Override
    public Set<ObjectKind> kinds() {
        return Set.of(CoreKinds.INT, CoreKinds.LONG, CoreKinds.DOUBLE, CoreKinds.INT_ARRAY,
                CoreKinds.LONG_ARRAY, CoreKinds.DOUBLE_ARRAY, CoreKinds.BYTES);
    }

    @Override
    public Map<String, Object> describe(ObjectRegion region) {
        SharedBuffer b = region.buffer();
        int at = region.offset();
        Map<String, Object> out = new LinkedHashMap<>();
        ObjectKind kind = region.kind();
        if (kind == CoreKinds.INT) {
            out.put("value", b.getIntVolatile(at + ValueDescriptor.VALUE_OFFSET));
        } else if (kind == CoreKinds.LONG) {
            out.put("value", b.getLongVolatile(at + ValueDescriptor.VALUE_OFFSET));
        } else if (kind == CoreKinds.DOUBLE) {
            out.put("value", Double.longBitsToDouble(b.getLongVolatile(at + ValueDescriptor.VALUE_OFFSET)));
        } else if (kind == CoreKinds.INT_ARRAY || kind == CoreKinds.LONG_ARRAY || kind == CoreKinds.DOUBLE_ARRAY) {
            int size = kind == CoreKinds.INT_ARRAY ? 4 : 8;
            int length = ArrayDescriptor.length(region, size);
            out.put("length", length);
            List<Object> first = new ArrayList<>();
            for (int i = 0; i < Math.min(length, SHOWN); i++) {
                int e = at + ArrayDescriptor.DATA_OFFSET + i * size;
                first.add(kind == CoreKinds.INT_ARRAY ? (Object) b.getIntVolatile(e)
                        : kind == CoreKinds.LONG_ARRAY ? (Object) b.getLongVolatile(e)
                        : (Object) Double.longBitsToDouble(b.getLongVolatile(e)));
            }
            out.put(length > SHOWN ? "first" : "elements", first);
        } else if (kind == CoreKinds.BYTES) {
            out.put("size", ArrayDescriptor.length(region, 1));
        } else {
            throw new IllegalArgumentException("not a core kind: kind=" + kind);
        }
        return out;
    }
}
