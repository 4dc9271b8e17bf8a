package io.interproc.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LockDescriptorTest {
    @Test
    void shouldPlaceEveryFieldAtItsDocumentedOffset() {
        assertEquals(0, LockDescriptor.OWNER_OFFSET);
        assertEquals(4, LockDescriptor.WAITERS_OFFSET);
        assertEquals(8, LockDescriptor.HOLDER_THREAD_OFFSET);
        assertEquals(16, LockDescriptor.RECOVERED_OFFSET);
        assertEquals(24, LockDescriptor.RECOVERIES_OFFSET);
        assertEquals(128, LockDescriptor.SIZE);
    }

    @Test
    void shouldAlignFutexWordsToFourAndLongsToEightBytes() {
        assertEquals(0, LockDescriptor.OWNER_OFFSET % 4, "owner word is a futex word");
        assertEquals(0, LockDescriptor.WAITERS_OFFSET % 4);
        assertEquals(0, LockDescriptor.RECOVERED_OFFSET % 4);
        assertEquals(0, LockDescriptor.HOLDER_THREAD_OFFSET % 8);
        assertEquals(0, LockDescriptor.RECOVERIES_OFFSET % 8);
    }

    @Test
    void shouldKeepEveryFieldOnTheObjectsOwnCacheLine() {
        assertEquals(0, LockDescriptor.SIZE % 128, "objects are 128-byte aligned and own whole lines");
        assertTrue(LockDescriptor.RECOVERIES_OFFSET + Long.BYTES <= 128);
        assertTrue(LockDescriptor.HOLDER_THREAD_OFFSET >= LockDescriptor.WAITERS_OFFSET + Integer.BYTES);
        assertTrue(LockDescriptor.RECOVERED_OFFSET >= LockDescriptor.HOLDER_THREAD_OFFSET + Long.BYTES);
        assertTrue(LockDescriptor.RECOVERIES_OFFSET >= LockDescriptor.RECOVERED_OFFSET + Integer.BYTES);
    }
}
