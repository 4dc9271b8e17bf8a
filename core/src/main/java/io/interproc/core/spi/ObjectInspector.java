package io.interproc.core.spi;

import java.util.Map;
import java.util.Set;

/**
 * Describes the state of objects of some kinds, for inspection tools, without knowledge of their
 * layout outside the module that defines them. Implementations are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.interproc.core.spi.ObjectInspector});
 * core, sync and ipc each provide one for their kinds. Use {@link io.interproc.core.segment.Inspection} to call them.
 *
 * <p>An inspector only reads: it may be given a region of a segment opened with
 * {@link io.interproc.core.Segment#inspect} (read-only). It must not throw for a corrupt object other than with
 * {@link io.interproc.core.CorruptSegmentException}, and it must not block.
 */
public interface ObjectInspector {
    /** @return the kinds this inspector describes */
    Set<ObjectKind> kinds();

    /**
     * Describes one object's current state.
     *
     * @param region the object
     * @return its state as ordered name/value pairs; values are {@code String}, {@code Number},
     *     {@code Boolean}, or lists of those
     */
    Map<String, Object> describe(ObjectRegion region);

    /**
     * Names, among the keys {@link #describe} returns, of the figures that only ever grow over the
     * life of an object (messages put, recoveries...), so that monitoring tools can export them as
     * counters rather than gauges. Keys a kind does not report are ignored. Any thread.
     *
     * @return the counters' names; none by default
     */
    default Set<String> counters() {
        return Set.of();
    }
}
