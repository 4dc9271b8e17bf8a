package io.interproc.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

class BarrierDescriptorTest {

    @Test
    void shouldLayOutTheBarrier() {
        assertEquals(0, BarrierDescriptor.PARTIES_OFFSET);
        assertEquals(128, BarrierDescriptor.STATE_OFFSET);
        assertEquals(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 128 : 132, BarrierDescriptor.FUTEX_OFFSET);
        assertEquals(256, BarrierDescriptor.WAITERS_OFFSET);
        assertEquals(260, BarrierDescriptor.ACKNOWLEDGEMENTS_OFFSET);
        assertEquals(0, BarrierDescriptor.ACKNOWLEDGEMENTS_OFFSET % 4, "futex word alignment");
        assertEquals(384, BarrierDescriptor.ENTRIES_OFFSET);
        assertEquals(1024, BarrierDescriptor.MAX_PARTIES);
        assertEquals(392, BarrierDescriptor.size(1));
        assertEquals(384 + 8 * 1024, BarrierDescriptor.size(1024));
    }

    @Test
    void shouldAlignEveryWord() {
        assertEquals(0, BarrierDescriptor.STATE_OFFSET % 128, "the state starts its own line");
        assertEquals(0, BarrierDescriptor.STATE_OFFSET % 8, "64-bit state 8-byte aligned");
        assertEquals(0, BarrierDescriptor.FUTEX_OFFSET % 4, "futex word 4-byte aligned");
        assertTrue(BarrierDescriptor.FUTEX_OFFSET - BarrierDescriptor.STATE_OFFSET < 8, "futex word inside the state");
        assertEquals(0, BarrierDescriptor.WAITERS_OFFSET % 128, "waiter count on its own line");
        assertEquals(0, BarrierDescriptor.ENTRIES_OFFSET % 128, "entries start a line of their own");
        assertEquals(0, BarrierDescriptor.ENTRIES_OFFSET % 8, "64-bit entries 8-byte aligned");
        assertEquals(0, BarrierDescriptor.PARTIES_OFFSET % 4);
    }

    @Test
    void shouldEncodeTheState() {
        long s = BarrierDescriptor.state(123_456_789_012L, BarrierDescriptor.TRIPPING, 1024);
        assertEquals(123_456_789_012L, BarrierDescriptor.generation(s));
        assertEquals(BarrierDescriptor.TRIPPING, BarrierDescriptor.phase(s));
        assertEquals(1024, BarrierDescriptor.arrived(s));
        long b = BarrierDescriptor.withPhase(s, BarrierDescriptor.BROKEN);
        assertEquals(BarrierDescriptor.BROKEN, BarrierDescriptor.phase(b));
        assertEquals(123_456_789_012L, BarrierDescriptor.generation(b));
        assertEquals(1024, BarrierDescriptor.arrived(b));
        assertEquals(BarrierDescriptor.MAX_PARTIES, BarrierDescriptor.ARRIVED_MASK & BarrierDescriptor.MAX_PARTIES,
                "arrived holds up to MAX_PARTIES");
        assertEquals((1L << 51) - 1, BarrierDescriptor.generation(-1L), "51 bits of generation");
    }

    @Test
    void shouldChangeTheFutexWordWithEveryStateChange() {
        long s = BarrierDescriptor.state(7, BarrierDescriptor.FILLING, 2);
        long[] next = {
            BarrierDescriptor.state(7, BarrierDescriptor.FILLING, 3),
            BarrierDescriptor.state(7, BarrierDescriptor.TRIPPING, 3),
            BarrierDescriptor.state(7, BarrierDescriptor.TRIPPED, 3),
            BarrierDescriptor.state(7, BarrierDescriptor.BROKEN, 2),
            BarrierDescriptor.state(8, BarrierDescriptor.FILLING, 0),
        };
        for (long n : next) {
            assertTrue(BarrierDescriptor.futexValue(s) != BarrierDescriptor.futexValue(n), "state " + n);
        }
        assertEquals(0xFFFF_FFFFL, BarrierDescriptor.futexValue(-1L), "zero-extended low 32 bits");
    }

    @Test
    void shouldEncodeEntries() {
        long e = BarrierDescriptor.entry((1L << 40) + 5, Integer.MAX_VALUE);
        assertEquals(5, BarrierDescriptor.entryGeneration(e), "low 32 bits of the generation");
        assertEquals(Integer.MAX_VALUE, BarrierDescriptor.entryOwner(e));
        long f = BarrierDescriptor.entry(0xFFFF_FFFFL, 1);
        assertEquals(-1, BarrierDescriptor.entryGeneration(f));
        assertEquals(1, BarrierDescriptor.entryOwner(f));
        assertEquals(0, BarrierDescriptor.entryOwner(0L), "0 is a free entry");
    }
}
