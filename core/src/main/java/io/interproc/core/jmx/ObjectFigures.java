package io.interproc.core.jmx;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.ObjectInfo;
import io.interproc.core.Segment;
import io.interproc.core.segment.Inspection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The figures of one named object at one moment, read through its module's
 * {@link io.interproc.core.spi.ObjectInspector}: the numbers {@code interproc inspect} shows, the
 * attributes of its MBean ({@link SegmentMBeans}) and the meters of the Micrometer binder
 * ({@code io.interproc.metrics}) all come from here, so all three say the same.
 *
 * <p>A read is a series of volatile loads of the object's words, without a lock: each figure is
 * current when read, but two figures of one read are not an atomic snapshot (a message may be put
 * between the loads of {@code messagesPut} and {@code messagesTaken}). It never blocks and never
 * changes the object. Immutable and thread-safe.
 *
 * @param segment the segment's name
 * @param name the object's name
 * @param kind the name of the object's type, e.g. {@code SharedQueue}
 * @param bytes bytes allocated to the object in the segment
 * @param figures what its inspector describes, in its order: values are {@code String},
 *     {@code Number}, {@code Boolean}, or lists of those (unmodifiable)
 * @param counters the names among {@code figures} that only grow ({@code messagesPut},
 *     {@code recoveries}...), the others go up and down
 */
public record ObjectFigures(String segment, String name, String kind, int bytes, Map<String, Object> figures,
        Set<String> counters) {
    // Copies the map and set, so a value never changes once made; null names are refused.
    public ObjectFigures {
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        counters = Set.copyOf(counters);
    }

    /**
     * Reads one object's figures. Any thread.
     *
     * @param segment an open segment (attached, or a view from {@link Segment#inspect})
     * @param object one of {@code segment.objects()}
     * @return its figures now
     * @throws CorruptSegmentException if the object is damaged
     * @throws IllegalStateException if the segment is closed
     */
    public static ObjectFigures read(Segment segment, ObjectInfo object) {
        segment.ensureOpen();
        return new ObjectFigures(segment.name(), object.name(), object.kind().typeName(), object.length(),
                Inspection.describe(segment, object), Inspection.counters(object.kind()));
    }

    /**
     * Reads the figures of every object of a segment, by name. A damaged object is left out
     * (inspect shows it as corrupt). Any thread.
     *
     * @param segment an open segment
     * @return the figures of its objects, sorted by name
     * @throws IllegalStateException if the segment is closed
     */
    public static List<ObjectFigures> readAll(Segment segment) {
        List<ObjectInfo> objects = new ArrayList<>(segment.objects());
        objects.sort((a, b) -> a.name().compareTo(b.name()));
        List<ObjectFigures> out = new ArrayList<>();
        for (ObjectInfo o : objects) {
            try {
                out.add(read(segment, o));
            } catch (CorruptSegmentException e) {
                // shown by inspect; a monitoring read skips it
            }
        }
        return out;
    }

    /**
     * The figures that are numbers, booleans as 1 and 0; the others (owners, lists) left out.
     *
     * @return name to value, in the inspector's order
     */
    public Map<String, Number> numbers() {
        Map<String, Number> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : figures.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Number n) {
                out.put(e.getKey(), n);
            } else if (v instanceof Boolean b) {
                out.put(e.getKey(), b ? 1 : 0);
            }
        }
        return out;
    }
}
