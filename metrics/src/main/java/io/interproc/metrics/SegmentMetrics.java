package io.interproc.metrics;

import io.interproc.core.ObjectInfo;
import io.interproc.core.ProcessInfo;
import io.interproc.core.Segment;
import io.interproc.core.jmx.ObjectFigures;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * A Micrometer {@link MeterBinder} for one segment: a meter per numeric figure of each of its
 * objects, with the same names and numbers as {@code interproc inspect} and the JMX MBeans (all
 * three read {@link ObjectFigures}).
 *
 * <pre>{@code
 * SegmentMetrics metrics = new SegmentMetrics(segment);
 * metrics.bindTo(registry);
 * // interproc.messages.put{segment="jobs",object="orders",kind="SharedQueue"}  (function counter)
 * // interproc.consumers.waiting{segment="jobs",object="orders",kind="SharedQueue"}  (gauge)
 * }</pre>
 *
 * <p>Meter names: {@code interproc.} followed by the figure's name with its camel-case words
 * split by dots ({@code messagesPut} is {@code interproc.messages.put}, {@code bToA.bytesUsed} is
 * {@code interproc.b.to.a.bytes.used}). Tags: {@code segment}, {@code object}, {@code kind} (the
 * object's type name), plus the common tags given to the constructor. Figures the inspector names
 * as {@linkplain io.interproc.core.spi.ObjectInspector#counters() counters} are
 * {@link FunctionCounter}s, the others {@link Gauge}s; booleans are gauges of 1 and 0; text
 * figures (owners) are left out. The segment itself has gauges {@code interproc.segment.size},
 * {@code interproc.segment.used.bytes}, {@code interproc.segment.objects},
 * {@code interproc.segment.processes.alive} (tag {@code segment}).
 *
 * <p>Each meter reads shared memory when the registry asks (volatile loads; no lock, never
 * blocking). Once the segment is closed, or if an object is found corrupt, its meters read
 * {@code NaN}. Objects created after {@link #bindTo} get their meters at {@link #refresh()}.
 * Thread-safe.
 */
public final class SegmentMetrics implements MeterBinder {
    private final Segment segment;
    private final Tags commonTags;
    private final List<MeterRegistry> registries = new ArrayList<>();
    private final Set<String> bound = new HashSet<>();

    /**
     * @param segment an open segment (attached, or a view from {@link Segment#inspect})
     */
    public SegmentMetrics(Segment segment) {
        this(segment, Tags.empty());
    }

    /**
     * @param segment an open segment (attached, or a view from {@link Segment#inspect})
     * @param commonTags tags added to every meter, e.g. the application's name
     */
    public SegmentMetrics(Segment segment, Iterable<Tag> commonTags) {
        this.segment = Objects.requireNonNull(segment, "segment");
        this.commonTags = Tags.of(Objects.requireNonNull(commonTags, "commonTags"));
    }

    /**
     * Registers the segment's meters and those of every object it holds now. Any thread.
     *
     * @param registry where to register them
     * @throws IllegalStateException if the segment is closed
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        segment.ensureOpen();
        Tags tags = commonTags.and("segment", segment.name());
        gauge(registry, "interproc.segment.size", tags, s -> s.size());
        gauge(registry, "interproc.segment.used.bytes", tags, s -> s.usedBytes());
        gauge(registry, "interproc.segment.objects", tags, s -> s.objects().size());
        gauge(registry, "interproc.segment.processes.alive", tags,
                s -> s.processes().stream().filter(ProcessInfo::alive).count());
        registries.add(registry);
        for (ObjectInfo info : segment.objects()) {
            if (bound.add(info.name())) {
                for (MeterRegistry r : registries) { // new since the last bind: every registry gets it
                    bindObject(r, info);
                }
            } else {
                bindObject(registry, info);
            }
        }
    }

    /**
     * Registers, in every registry bound so far, the meters of objects created since. Any thread.
     *
     * @return how many objects got meters
     * @throws IllegalStateException if the segment is closed
     */
    public synchronized int refresh() {
        segment.ensureOpen();
        int added = 0;
        for (ObjectInfo info : segment.objects()) {
            if (bound.add(info.name())) {
                for (MeterRegistry registry : registries) {
                    bindObject(registry, info);
                }
                added++;
            }
        }
        return added;
    }

    private void bindObject(MeterRegistry registry, ObjectInfo info) {
        ObjectFigures first;
        try {
            first = ObjectFigures.read(segment, info);
        } catch (RuntimeException e) {
            return; // corrupt: inspect shows it, a meter could only say NaN
        }
        Tags tags = commonTags.and("segment", segment.name(), "object", info.name(), "kind", first.kind());
        for (String figure : first.numbers().keySet()) {
            String name = meterName(figure);
            ObjectFigure reader = new ObjectFigure(segment, info, figure);
            if (first.counters().contains(figure)) {
                FunctionCounter.builder(name, reader, ObjectFigure::read).tags(tags)
                        .description(first.kind() + " " + figure + ", as interproc inspect shows it")
                        .register(registry);
            } else {
                Gauge.builder(name, reader, ObjectFigure::read).tags(tags).strongReference(true)
                        .description(first.kind() + " " + figure + ", as interproc inspect shows it")
                        .register(registry);
            }
        }
    }

    private void gauge(MeterRegistry registry, String name, Tags tags, ToDoubleFunction<Segment> f) {
        Gauge.builder(name, segment, s -> s.isClosed() ? Double.NaN : f.applyAsDouble(s)).tags(tags)
                .strongReference(true).register(registry);
    }

    /**
     * @param figure a figure's name from an inspector, e.g. {@code messagesPut}
     * @return its meter's name, e.g. {@code interproc.messages.put}
     */
    public static String meterName(String figure) {
        StringBuilder sb = new StringBuilder("interproc.");
        for (int i = 0; i < figure.length(); i++) {
            char c = figure.charAt(i);
            if (Character.isUpperCase(c)) {
                if (sb.charAt(sb.length() - 1) != '.') {
                    sb.append('.');
                }
                sb.append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** One figure of one object, read afresh for the registry. */
    private record ObjectFigure(Segment segment, ObjectInfo info, String figure) {
        double read() {
            if (segment.isClosed()) {
                return Double.NaN;
            }
            try {
                Map<String, Number> numbers = ObjectFigures.read(segment, info).numbers();
                Number n = numbers.get(figure);
                return n == null ? Double.NaN : n.doubleValue();
            } catch (RuntimeException e) {
                return Double.NaN; // closed meanwhile, or found corrupt
            }
        }
    }
}
