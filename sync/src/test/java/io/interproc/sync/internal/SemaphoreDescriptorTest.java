package io.interproc.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SemaphoreDescriptorTest {

    @Test
    void shouldLayOutTheSemaphore() {
        assertEquals(0, SemaphoreDescriptor.FLAGS_OFFSET);
        assertEquals(4, SemaphoreDescriptor.MAX_PERMITS_OFFSET);
        assertEquals(128, SemaphoreDescriptor.PERMITS_OFFSET);
        assertEquals(256, SemaphoreDescriptor.WAITERS_OFFSET);
        assertEquals(260, SemaphoreDescriptor.MULTI_WAITERS_OFFSET);
        assertEquals(384, SemaphoreDescriptor.SIZE);
        assertEquals(1, SemaphoreDescriptor.FLAG_BOUNDED);
    }

    @Test
    void shouldAlignFutexWordAndKeepHotWordsOnSeparateLines() {
        for (int off : new int[] {SemaphoreDescriptor.FLAGS_OFFSET, SemaphoreDescriptor.MAX_PERMITS_OFFSET,
                SemaphoreDescriptor.PERMITS_OFFSET, SemaphoreDescriptor.WAITERS_OFFSET,
                SemaphoreDescriptor.MULTI_WAITERS_OFFSET}) {
            assertEquals(0, off % 4, "int at " + off + " is 4-byte aligned");
        }
        int permitsLine = SemaphoreDescriptor.PERMITS_OFFSET / 128;
        assertEquals(0, SemaphoreDescriptor.PERMITS_OFFSET % 128, "futex word starts its line");
        assertEquals(2, SemaphoreDescriptor.WAITERS_OFFSET / 128);
        assertEquals(2, SemaphoreDescriptor.MULTI_WAITERS_OFFSET / 128);
        assertEquals(1, permitsLine, "permits alone on line 1, away from the config (0) and the counts (2)");
        assertEquals(0, SemaphoreDescriptor.SIZE % 128, "whole lines");
    }
}
