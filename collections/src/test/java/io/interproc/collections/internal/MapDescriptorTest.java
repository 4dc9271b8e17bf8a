package io.interproc.collections.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MapDescriptorTest {

    @Test
    void shouldLayOutTheMapHeaderAndStripes() {
        assertEquals(0, MapDescriptor.MAGIC_OFFSET);
        assertEquals(8, MapDescriptor.STRIPES_OFFSET);
        assertEquals(24, MapDescriptor.CAPACITY_OFFSET);
        assertEquals(28, MapDescriptor.MIN_CLASS_OFFSET);
        assertEquals(128, MapDescriptor.CURSOR_OFFSET);
        assertEquals(256, MapDescriptor.STRIPES_START);
        assertEquals(128, MapDescriptor.STRIPE_SEQ, "the version follows the lock's line pair");
        assertEquals(136, MapDescriptor.STRIPE_COUNT);
        assertEquals(144, MapDescriptor.LOG_STATE);
        assertEquals(168, MapDescriptor.LOG_STAMP);
        assertEquals(176, MapDescriptor.STRIPE_RECOVERIES);
        assertEquals(192, MapDescriptor.STRIPE_FREE_BYTES);
        assertEquals(256, MapDescriptor.STRIPE_FREE_HEADS);
        assertEquals(512, MapDescriptor.STRIPE_SIZE);
        assertEquals(256 + 3 * 512, MapDescriptor.stripe(3));
        assertEquals(256 + 64 * 512 + 128 * 4, MapDescriptor.heapStart(64, 128));
        for (int off : new int[] {MapDescriptor.CURSOR_OFFSET, MapDescriptor.STRIPE_SEQ, MapDescriptor.STRIPE_RECOVERIES,
                MapDescriptor.STRIPE_LEAKED, MapDescriptor.STRIPE_FREE_BYTES}) {
            assertEquals(0, off % 8, "offset " + off);
        }
    }

    @Test
    void shouldLayOutBlocksAndSizeClasses() {
        assertEquals(24, MapDescriptor.BLOCK_DATA);
        assertEquals(32, MapDescriptor.classSize(0));
        assertEquals(48, MapDescriptor.classSize(1));
        assertEquals(64, MapDescriptor.classSize(2));
        assertEquals(96, MapDescriptor.classSize(3));
        assertEquals(0, MapDescriptor.classFor(1));
        assertEquals(0, MapDescriptor.classFor(32));
        assertEquals(1, MapDescriptor.classFor(33));
        assertEquals(3, MapDescriptor.classFor(65));
        for (int c = 0; c < MapDescriptor.CLASSES; c++) {
            assertEquals(0, MapDescriptor.classSize(c) % MapDescriptor.BLOCK_ALIGNMENT, "class " + c);
        }
        assertTrue(MapDescriptor.classSize(MapDescriptor.CLASSES - 1) > Integer.MAX_VALUE);
        assertThrows(IllegalArgumentException.class, () -> MapDescriptor.classFor(Long.MAX_VALUE));
    }

    @Test
    void shouldLayOutTheList() {
        assertEquals(0, ListDescriptor.LOCK_OFFSET);
        assertEquals(128, ListDescriptor.SIZE_OFFSET);
        assertEquals(256, ListDescriptor.MAP_OFFSET);
    }
}
