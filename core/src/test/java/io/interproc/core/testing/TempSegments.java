package io.interproc.core.testing;

import io.interproc.core.ObjectInfo;
import io.interproc.core.Segment;
import io.interproc.core.SegmentOptions;
import io.interproc.core.segment.Inspection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that hands out unique segment names and removes, after each test (passed or
 * failed), every segment it named and closes every segment opened through it.
 *
 * <pre>{@code
 * @RegisterExtension final TempSegments segments = new TempSegments();
 * ...
 * Segment s = segments.create(1 << 20);          // unique name, default directory
 * String name = segments.newName();              // for a child JVM to open
 * }</pre>
 */
public final class TempSegments implements AfterEachCallback, AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final SegmentOptions options;
    private final List<String> names = new ArrayList<>();
    private final List<Segment> opened = new ArrayList<>();

    /** Segments in the default directory. */
    public TempSegments() {
        this(SegmentOptions.defaults());
    }

    /** @param options where segments are made */
    public TempSegments(SegmentOptions options) {
        this.options = options;
    }

    /** @return the options segments are made with */
    public SegmentOptions options() {
        return options;
    }

    /** @return a fresh segment name, removed after the test */
    public synchronized String newName() {
        String name = "test-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 1_000_000_000L
                + "-" + COUNTER.incrementAndGet();
        names.add(name);
        return name;
    }

    /**
     * @param size segment size
     * @return a new segment with a fresh name, closed and removed after the test
     */
    public Segment create(long size) {
        return track(Segment.create(newName(), size, options));
    }

    /**
     * @param segment a segment opened by the test
     * @return it, to be closed after the test
     */
    public synchronized Segment track(Segment segment) {
        opened.add(segment);
        if (!names.contains(segment.name())) {
            names.add(segment.name());
        }
        return segment;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public synchronized void close() {
        for (Segment s : opened) {
            s.close();
        }
        opened.clear();
        for (String name : names) {
            Segment.unlink(name, options);
        }
        names.clear();
    }

    /**
     * Describes one object of a segment through a read-only, non-attached view, as the
     * {@code interproc} command does.
     *
     * @param s a segment made here
     * @param name the object's name
     * @return what its inspector says
     * @throws AssertionError if there is no such object
     */
    public Map<String, Object> describe(Segment s, String name) {
        try (Segment view = Segment.inspect(s.name(), options())) {
            for (ObjectInfo info : view.objects()) {
                if (info.name().equals(name)) {
                    return Inspection.describe(view, info);
                }
            }
        }
        throw new AssertionError("no object " + name);
    }

    /**
     * @param keysAndValues alternating keys and values
     * @return them as a map in that order, to compare with an inspector's description
     */
    public static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
