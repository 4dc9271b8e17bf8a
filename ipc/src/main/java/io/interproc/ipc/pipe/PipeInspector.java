package io.interproc.ipc.pipe;

import io.interproc.core.spi.ObjectInspector;
import io.interproc.core.spi.ObjectKind;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.ipc.IpcKinds;

import java.util.Map;
import java.util.Set;

/**
 * {@link ObjectInspector} of {@link Pipe}s, found by {@link java.util.ServiceLoader}. It only
 * reads (volatile loads), so it works on a segment opened with
 * {@link io.interproc.core.Segment#inspect}, and never blocks.
 *
 * <p>What it reports, in this order: {@code duplex}, {@code capacity} (bytes per direction),
 * {@code endA} and {@code endB} ({@code "free"}, {@code "closed"}, or the holder:
 * {@code "pid 123 (alive)"}; a dead holder's end is free to claim), {@code bToA.bytesUsed},
 * {@code bToA.messages}, and for a duplex pipe {@code aToB.bytesUsed}, {@code aToB.messages}.
 */
public final class PipeInspector implements ObjectInspector {
    /** Used by {@link java.util.ServiceLoader}. */
    public PipeInspector() {
    }

    @Override
    public Set<ObjectKind> kinds() {
        return Set.of(IpcKinds.PIPE);
    }

    @Override
    public Map<String, Object> describe(ObjectRegion region) {
        if (region.kind() != IpcKinds.PIPE) {
            throw new IllegalArgumentException("not a pipe: kind=" + region.kind());
        }
        return Pipe.describe(region); // read next to the layout
    }
}
