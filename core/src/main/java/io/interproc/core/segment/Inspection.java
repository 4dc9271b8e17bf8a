package io.interproc.core.segment;

import io.interproc.core.ObjectInfo;
import io.interproc.core.Segment;
import io.interproc.core.spi.ObjectInspector;
import io.interproc.core.spi.ObjectKind;
import io.interproc.core.spi.ObjectRegion;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Describes named objects through the {@link ObjectInspector}s on the class path. Thread-safe.
 */
public final class Inspection {
    private static final Map<ObjectKind, ObjectInspector> INSPECTORS = load();

    private Inspection() {
    }

    private static Map<ObjectKind, ObjectInspector> load() {
        Map<ObjectKind, ObjectInspector> map = new HashMap<>();
        for (ObjectInspector inspector : ServiceLoader.load(ObjectInspector.class, Inspection.class.getClassLoader())) {
            for (ObjectKind kind : inspector.kinds()) {
                map.putIfAbsent(kind, inspector);
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /**
     * Defines the kinds of every module whose inspector is on the class path (loading the
     * inspectors does it), so that {@link ObjectKind#ofCode} knows them.
     */
    public static void defineKnownKinds() {
        INSPECTORS.size();
    }

    /**
     * @param kind a kind
     * @return true if an inspector for it is on the class path
     */
    public static boolean canDescribe(ObjectKind kind) {
        return INSPECTORS.containsKey(kind);
    }

    /**
     * Describes one object of a segment.
     *
     * @param segment the segment (attached or opened with {@link Segment#inspect})
     * @param info the object, from {@link Segment#objects()}
     * @return its state; just its size when no inspector knows its kind
     * @throws io.interproc.core.CorruptSegmentException if the object is damaged
     */
    public static Map<String, Object> describe(Segment segment, ObjectInfo info) {
        ObjectRegion region = segment.openObject(info.name(), info.kind());
        ObjectInspector inspector = INSPECTORS.get(info.kind());
        if (inspector == null) {
            Map<String, Object> unknown = new LinkedHashMap<>();
            unknown.put("bytes", info.length());
            unknown.put("note", "no inspector for " + info.kind() + " on the class path");
            return unknown;
        }
        return inspector.describe(region);
    }

    /**
     * @param kind a kind
     * @return the names of the figures of that kind that only grow ({@link ObjectInspector#counters()});
     *     none when no inspector knows the kind
     */
    public static java.util.Set<String> counters(ObjectKind kind) {
        ObjectInspector inspector = INSPECTORS.get(kind);
        return inspector == null ? java.util.Set.of() : inspector.counters();
    }

    /**
     * Describes an owner id read from shared memory: {@code "none"}, {@code "pid 123 (alive)"} or
     * {@code "pid 123 (dead)"}.
     *
     * @param segment the segment the id belongs to
     * @param ownerId the id
     * @return a description for people
     */
    public static String owner(Segment segment, int ownerId) {
        if (ownerId == 0) {
            return "none";
        }
        long pid = segment.pidOf(ownerId);
        if (pid < 0) {
            return "owner id " + ownerId + " (dead: its slot was freed or reused)";
        }
        return "pid " + pid + (segment.isAlive(ownerId) ? " (alive)" : " (dead)");
    }
}
