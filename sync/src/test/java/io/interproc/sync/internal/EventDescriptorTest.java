package io.interproc.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EventDescriptorTest {

    @Test
    void shouldLayOutTheEvent() {
        assertEquals(0, EventDescriptor.STATE_OFFSET);
        assertEquals(128, EventDescriptor.WAITERS_OFFSET);
        assertEquals(256, EventDescriptor.SIZE);
        assertEquals(1, EventDescriptor.SET_BIT);
        assertEquals(0, EventDescriptor.STATE_OFFSET % 4, "futex word 4-byte aligned");
        assertEquals(0, EventDescriptor.WAITERS_OFFSET % 128, "waiter count on its own line");
        assertEquals(0, EventDescriptor.SIZE % 128);
    }

    @Test
    void shouldCountSetsAndRaiseTheSetBit() {
        assertEquals(3, EventDescriptor.setOf(0), "count 1, set");
        assertEquals(5, EventDescriptor.setOf(2), "count 2, set");
        assertEquals(5, EventDescriptor.setOf(3), "the set bit of the input is ignored");
        assertEquals(1, EventDescriptor.setOf(0xFFFF_FFFE), "the count wraps to 0 and the bit is on");
    }
}
