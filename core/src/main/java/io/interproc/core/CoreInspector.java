package io.interproc.core;

import java.util.ArrayList;
import java.util.EnumSet;
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
        return EnumSet.of(ObjectKind.INT, ObjectKind.LONG, ObjectKind.DOUBLE, ObjectKind.INT_ARRAY,
                ObjectKind.LONG_ARRAY, ObjectKind.DOUBLE_ARRAY, ObjectKind.BYTES);
    }

    @Override
    public Map<String, Object> describe(ObjectRegion region) {
        SharedBuffer b = region.buffer();
        int at = region.offset();
        Map<String, Object> out = new LinkedHashMap<>();
        switch (region.kind()) {
            case INT -> out.put("value", b.getIntVolatile(at + ValueDescriptor.VALUE_OFFSET));
            case LONG -> out.put("value", b.getLongVolatile(at + ValueDescriptor.VALUE_OFFSET));
            case DOUBLE -> out.put("value", Double.longBitsToDouble(b.getLongVolatile(at + ValueDescriptor.VALUE_OFFSET)));
            case INT_ARRAY, LONG_ARRAY, DOUBLE_ARRAY -> {
                int size = region.kind() == ObjectKind.INT_ARRAY ? 4 : 8;
                int length = ArrayDescriptor.length(region, size);
                out.put("length", length);
                List<Object> first = new ArrayList<>();
                for (int i = 0; i < Math.min(length, SHOWN); i++) {
                    int e = at + ArrayDescriptor.DATA_OFFSET + i * size;
                    first.add(switch (region.kind()) {
                        case INT_ARRAY -> b.getIntVolatile(e);
                        case LONG_ARRAY -> b.getLongVolatile(e);
                        default -> Double.longBitsToDouble(b.getLongVolatile(e));
                    });
                }
                out.put(length > SHOWN ? "first" : "elements", first);
            }
            case BYTES -> out.put("size", ArrayDescriptor.length(region, 1));
            default -> throw new IllegalArgumentException("not a core kind: kind=" + region.kind());
        }
        return out;
    }
}
