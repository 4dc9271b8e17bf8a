package io.interproc.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.interproc.core.segment.SegmentHeaderDescriptor;

import org.junit.jupiter.api.Test;

class LayoutTest {
    @Test
    void shouldPadToTheAllocatorsAlignment() {
        assertEquals(64, Layout.CACHE_LINE);
        assertEquals(128, Layout.LINE_PAIR);
        assertEquals(SegmentHeaderDescriptor.OBJECT_ALIGNMENT, Layout.LINE_PAIR,
                "a padded line starts where objects start");
    }

    @Test
    void shouldAlignUpToTheNextLine() {
        assertEquals(0, Layout.nextLinePair(0));
        assertEquals(128, Layout.nextLinePair(1));
        assertEquals(128, Layout.nextLinePair(128));
        assertEquals(256, Layout.nextLinePair(129));
        assertEquals(24, Layout.align(17, 8));
    }
}
