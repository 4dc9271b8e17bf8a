package io.interproc.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.interproc.core.SegmentHeaderDescriptor;

import org.junit.jupiter.api.Test;

class LayoutTest {
    @Test
    void shouldPadToTheAllocatorsAlignment() {
        assertEquals(64, Layout.CACHE_LINE);
        assertEquals(128, Layout.PADDED_LINE);
        assertEquals(SegmentHeaderDescriptor.OBJECT_ALIGNMENT, Layout.PADDED_LINE,
                "a padded line starts where objects start");
    }

    @Test
    void shouldAlignUpToTheNextLine() {
        assertEquals(0, Layout.nextLine(0));
        assertEquals(128, Layout.nextLine(1));
        assertEquals(128, Layout.nextLine(128));
        assertEquals(256, Layout.nextLine(129));
        assertEquals(24, Layout.align(17, 8));
    }
}
