package io.interproc.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReentrantLockDescriptorTest {
    @Test
    void shouldPlaceEveryFieldAtItsDocumentedOffset() {
        assertEquals(0, ReentrantLockDescriptor.OWNER_OFFSET);
        assertEquals(4, ReentrantLockDescriptor.WAITERS_OFFSET);
        assertEquals(8, ReentrantLockDescriptor.HOLDER_THREAD_OFFSET);
        assertEquals(16, ReentrantLockDescriptor.RECOVERED_OFFSET);
        assertEquals(20, ReentrantLockDescriptor.HOLD_COUNT_OFFSET);
        assertEquals(24, ReentrantLockDescriptor.RECOVERIES_OFFSET);
        assertEquals(128, ReentrantLockDescriptor.SIZE);
    }

    @Test
    void shouldShareTheOwnerWordLayoutOfSharedLock() {
        // OwnerWord serves both locks with LockDescriptor's offsets.
        assertEquals(LockDescriptor.OWNER_OFFSET, ReentrantLockDescriptor.OWNER_OFFSET);
        assertEquals(LockDescriptor.WAITERS_OFFSET, ReentrantLockDescriptor.WAITERS_OFFSET);
        assertEquals(LockDescriptor.HOLDER_THREAD_OFFSET, ReentrantLockDescriptor.HOLDER_THREAD_OFFSET);
        assertEquals(LockDescriptor.RECOVERED_OFFSET, ReentrantLockDescriptor.RECOVERED_OFFSET);
        assertEquals(LockDescriptor.RECOVERIES_OFFSET, ReentrantLockDescriptor.RECOVERIES_OFFSET);
        assertEquals(LockDescriptor.SIZE, ReentrantLockDescriptor.SIZE);
    }

    @Test
    void shouldAlignIntsToFourAndLongsToEightBytes() {
        assertEquals(0, ReentrantLockDescriptor.OWNER_OFFSET % 4, "owner word is a futex word");
        assertEquals(0, ReentrantLockDescriptor.WAITERS_OFFSET % 4);
        assertEquals(0, ReentrantLockDescriptor.RECOVERED_OFFSET % 4);
        assertEquals(0, ReentrantLockDescriptor.HOLD_COUNT_OFFSET % 4);
        assertEquals(0, ReentrantLockDescriptor.HOLDER_THREAD_OFFSET % 8);
        assertEquals(0, ReentrantLockDescriptor.RECOVERIES_OFFSET % 8);
    }

    @Test
    void shouldNotOverlapFieldsAndStayOnOneLine() {
        assertTrue(ReentrantLockDescriptor.HOLD_COUNT_OFFSET >= ReentrantLockDescriptor.RECOVERED_OFFSET + 4);
        assertTrue(ReentrantLockDescriptor.RECOVERIES_OFFSET >= ReentrantLockDescriptor.HOLD_COUNT_OFFSET + 4);
        assertTrue(ReentrantLockDescriptor.RECOVERIES_OFFSET + Long.BYTES <= 128);
        assertEquals(0, ReentrantLockDescriptor.SIZE % 128);
    }
}
