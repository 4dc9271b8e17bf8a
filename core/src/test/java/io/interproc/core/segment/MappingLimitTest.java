package io.interproc.core.segment;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.core.SegmentAccessException;
import io.interproc.core.testing.TempSegments;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mappings stay bounded whatever the open/close pattern: re-opening a file reuses its mapping, and
 * a JVM that keeps creating new files is refused past the limit with a clear error (the garbage
 * collector releases mappings nothing refers to, after which new ones are allowed again).
 */
class MappingLimitTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    @Test
    void shouldRefuseANewMappingPastTheLimitAndAllowItOnceUnreferencedOnesAreReleased() throws Exception {
        String old = System.getProperty(MappedFile.MAX_MAPPINGS_PROPERTY);
        System.setProperty(MappedFile.MAX_MAPPINGS_PROPERTY, Integer.toString(MappedFile.liveMappings() + 3));
        try {
            for (int i = 0; i < 3; i++) {
                segments.create(1 << 20).close(); // closed but still referenced by the extension
            }
            String name = segments.newName();
            SegmentAccessException e = assertThrows(SegmentAccessException.class,
                    () -> segments.track(Segment.create(name, 1 << 20, segments.options())));
            assertTrue(e.getMessage().startsWith("cannot map segment file "), e.getMessage());
            assertTrue(e.getMessage().contains("segment mappings (" + MappedFile.MAX_MAPPINGS_PROPERTY + "="),
                    e.getMessage());
            // Nothing refers to the mapping of a segment that was opened and dropped: it is released.
            System.setProperty(MappedFile.MAX_MAPPINGS_PROPERTY, Integer.toString(MappedFile.liveMappings() + 1));
            String dropped = segments.newName();
            Segment.create(dropped, 1 << 20, segments.options()).close();
            int before = MappedFile.liveMappings();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (MappedFile.liveMappings() >= before && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(20);
            }
            assertTrue(MappedFile.liveMappings() < before, "the dropped segment's mapping was released: "
                    + MappedFile.liveMappings() + " of " + before + " left");
            Segment.unlink(dropped, segments.options());
            segments.track(Segment.create(segments.newName(), 1 << 20, segments.options()));
        } finally {
            if (old == null) {
                System.clearProperty(MappedFile.MAX_MAPPINGS_PROPERTY);
            } else {
                System.setProperty(MappedFile.MAX_MAPPINGS_PROPERTY, old);
            }
        }
    }
}
