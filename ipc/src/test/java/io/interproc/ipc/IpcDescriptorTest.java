package io.interproc.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.ipc.pipe.PipeDescriptor;
import io.interproc.ipc.queue.QueueDescriptor;
import io.interproc.ipc.ring.RingDescriptor;
import io.interproc.sync.internal.LockDescriptor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

/** Every offset, size and alignment of {@link RingDescriptor}, {@link QueueDescriptor} and {@link PipeDescriptor}. */
class IpcDescriptorTest {
    private static final int LINE = 128;

    // ------------------------------------------------------------------ ring

    @Test
    void shouldPlaceEveryRingFieldAtItsDocumentedOffset() {
        assertEquals(0, RingDescriptor.CAPACITY_OFFSET);
        assertEquals(128, RingDescriptor.TAIL_OFFSET);
        assertEquals(136, RingDescriptor.PUT_COUNT_OFFSET);
        assertEquals(144, RingDescriptor.STREAM_OWNER_OFFSET);
        assertEquals(152, RingDescriptor.PENDING_TAIL_OFFSET);
        assertEquals(160, RingDescriptor.PENDING_PUT_OFFSET);
        assertEquals(256, RingDescriptor.HEAD_OFFSET);
        assertEquals(264, RingDescriptor.TAKEN_COUNT_OFFSET);
        assertEquals(272, RingDescriptor.LOST_OFFSET);
        assertEquals(280, RingDescriptor.DISCARDED_OFFSET);
        assertEquals(288, RingDescriptor.SKIPPING_OFFSET);
        assertEquals(384, RingDescriptor.NOT_EMPTY_WAITERS_OFFSET);
        assertEquals(388, RingDescriptor.NOT_FULL_WAITERS_OFFSET);
        assertEquals(512, RingDescriptor.DATA_OFFSET);
        assertEquals(8, RingDescriptor.RECORD_HEADER);
        assertEquals(Integer.MIN_VALUE, RingDescriptor.ABORT);
        assertEquals(256, RingDescriptor.MIN_CAPACITY);
        assertEquals(1 << 30, RingDescriptor.MAX_CAPACITY);
    }

    @Test
    void shouldAlignRingWordsAndKeepProducerAndConsumerWordsOnSeparateLines() {
        // 64-bit positions and counters are 8-aligned; the futex words (low halves and waiter counts) 4-aligned.
        for (int off : new int[] {RingDescriptor.TAIL_OFFSET, RingDescriptor.PUT_COUNT_OFFSET, RingDescriptor.HEAD_OFFSET,
                RingDescriptor.TAKEN_COUNT_OFFSET, RingDescriptor.LOST_OFFSET, RingDescriptor.DISCARDED_OFFSET}) {
            assertEquals(0, off % 8, "offset " + off);
        }
        for (int off : new int[] {RingDescriptor.TAIL_OFFSET + RingDescriptor.LOW_HALF,
                RingDescriptor.HEAD_OFFSET + RingDescriptor.LOW_HALF, RingDescriptor.NOT_EMPTY_WAITERS_OFFSET,
                RingDescriptor.NOT_FULL_WAITERS_OFFSET, RingDescriptor.STREAM_OWNER_OFFSET,
                RingDescriptor.SKIPPING_OFFSET, RingDescriptor.CAPACITY_OFFSET}) {
            assertEquals(0, off % 4, "offset " + off);
        }
        // Producer-written words on the tail line, consumer-written words on the head line.
        assertEquals(1, RingDescriptor.TAIL_OFFSET / LINE);
        assertEquals(1, (RingDescriptor.PUT_COUNT_OFFSET + 7) / LINE);
        assertEquals(1, (RingDescriptor.STREAM_OWNER_OFFSET + 3) / LINE);
        assertEquals(1, RingDescriptor.PENDING_TAIL_OFFSET / LINE);
        assertEquals(1, (RingDescriptor.PENDING_PUT_OFFSET + 7) / LINE);
        assertEquals(0, RingDescriptor.PENDING_TAIL_OFFSET % 8);
        assertEquals(0, RingDescriptor.PENDING_PUT_OFFSET % 8);
        assertEquals(2, RingDescriptor.HEAD_OFFSET / LINE);
        assertEquals(2, (RingDescriptor.SKIPPING_OFFSET + 3) / LINE);
        assertEquals(3, RingDescriptor.NOT_EMPTY_WAITERS_OFFSET / LINE);
        assertEquals(3, (RingDescriptor.NOT_FULL_WAITERS_OFFSET + 3) / LINE);
        assertEquals(0, RingDescriptor.DATA_OFFSET % LINE, "data starts on its own line");
        assertEquals(0, RingDescriptor.RECORD_HEADER % 8, "records stay 8-aligned");
    }

    @Test
    void shouldPointLowHalfAtTheLowThirtyTwoBitsInNativeOrder() {
        ByteBuffer bb = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        bb.putLong(0, 0x1122334455667788L);
        assertEquals(0x55667788, bb.getInt(RingDescriptor.LOW_HALF));
        assertEquals(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0 : 4, RingDescriptor.LOW_HALF);
    }

    @Test
    void shouldSizeRingsAndRecords() {
        assertEquals(512 + 256, RingDescriptor.size(256));
        assertEquals(512L + (1 << 30), RingDescriptor.size(1 << 30));
        assertEquals(8, RingDescriptor.recordSize(0));
        assertEquals(16, RingDescriptor.recordSize(1));
        assertEquals(16, RingDescriptor.recordSize(8));
        assertEquals(24, RingDescriptor.recordSize(9));
        assertEquals(8 + 4096, RingDescriptor.recordSize(4096));
    }

    @Test
    void shouldRoundCapacityUpToAPowerOfTwoOfAtLeastTheMinimum() {
        assertEquals(256, RingDescriptor.capacityFor(1));
        assertEquals(256, RingDescriptor.capacityFor(255));
        assertEquals(256, RingDescriptor.capacityFor(256));
        assertEquals(512, RingDescriptor.capacityFor(257));
        assertEquals(1024, RingDescriptor.capacityFor(1000));
        assertEquals(4096, RingDescriptor.capacityFor(4096));
        assertEquals(8192, RingDescriptor.capacityFor(4097));
        assertEquals(1 << 30, RingDescriptor.capacityFor((1 << 29) + 1));
        assertEquals(1 << 30, RingDescriptor.capacityFor(1 << 30));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> RingDescriptor.capacityFor(0));
        assertEquals("capacity must be 1 to 1073741824 bytes: capacity=0", zero.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> RingDescriptor.capacityFor((1L << 30) + 1));
        assertEquals("capacity must be 1 to 1073741824 bytes: capacity=1073741825", big.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RingDescriptor.capacityFor(-1));
    }

    // ------------------------------------------------------------------ queue

    @Test
    void shouldPlaceEveryQueueFieldAtItsDocumentedOffset() {
        assertEquals(0, QueueDescriptor.CAPACITY_OFFSET);
        assertEquals(4, QueueDescriptor.FLAGS_OFFSET);
        assertEquals(1, QueueDescriptor.FLAG_JOINABLE);
        assertEquals(128, QueueDescriptor.PRODUCER_LOCK_OFFSET);
        assertEquals(256, QueueDescriptor.CONSUMER_LOCK_OFFSET);
        assertEquals(128, QueueDescriptor.LOCK_SIZE);
        assertEquals(384, QueueDescriptor.TASKS_DONE_OFFSET);
        assertEquals(392, QueueDescriptor.JOIN_WAITERS_OFFSET);
        assertEquals(512, QueueDescriptor.UNDECODABLE_OFFSET);
        assertEquals(640, QueueDescriptor.RING_OFFSET);
        assertEquals(640 + 512 + 4096, QueueDescriptor.size(4096));
    }

    @Test
    void shouldAlignQueuePartsOnLinesAndFutexWordsToFour() {
        for (int off : new int[] {QueueDescriptor.PRODUCER_LOCK_OFFSET, QueueDescriptor.CONSUMER_LOCK_OFFSET,
                QueueDescriptor.TASKS_DONE_OFFSET, QueueDescriptor.UNDECODABLE_OFFSET, QueueDescriptor.RING_OFFSET}) {
            assertEquals(0, off % LINE, "part at " + off + " starts a line");
        }
        assertTrue(QueueDescriptor.LOCK_SIZE >= LockDescriptor.SIZE, "an embedded lock fits its part");
        assertTrue(QueueDescriptor.PRODUCER_LOCK_OFFSET + QueueDescriptor.LOCK_SIZE <= QueueDescriptor.CONSUMER_LOCK_OFFSET);
        assertTrue(QueueDescriptor.CONSUMER_LOCK_OFFSET + QueueDescriptor.LOCK_SIZE <= QueueDescriptor.TASKS_DONE_OFFSET);
        assertEquals(0, QueueDescriptor.TASKS_DONE_OFFSET % 8);
        assertEquals(0, (QueueDescriptor.TASKS_DONE_OFFSET + RingDescriptor.LOW_HALF) % 4, "join futex word");
        assertEquals(0, QueueDescriptor.JOIN_WAITERS_OFFSET % 4);
        assertEquals(0, QueueDescriptor.UNDECODABLE_OFFSET % 8);
        assertTrue(QueueDescriptor.JOIN_WAITERS_OFFSET + 4 <= QueueDescriptor.UNDECODABLE_OFFSET);
        assertTrue(QueueDescriptor.UNDECODABLE_OFFSET + 8 <= QueueDescriptor.RING_OFFSET);
        assertEquals(0, QueueDescriptor.size(256) % LINE);
    }

    // ------------------------------------------------------------------ pipe

    @Test
    void shouldPlaceEveryPipeFieldAtItsDocumentedOffset() {
        assertEquals(0, PipeDescriptor.CAPACITY_OFFSET);
        assertEquals(4, PipeDescriptor.FLAGS_OFFSET);
        assertEquals(1, PipeDescriptor.FLAG_DUPLEX);
        assertEquals(128, PipeDescriptor.END_A_OFFSET);
        assertEquals(256, PipeDescriptor.END_B_OFFSET);
        assertEquals(-1, PipeDescriptor.CLOSED);
        assertEquals(384, PipeDescriptor.FIRST_RING_OFFSET);
        assertEquals(384 + 512 + 4096, PipeDescriptor.secondRingOffset(4096));
        assertEquals(384 + 512 + 4096, PipeDescriptor.size(4096, false));
        assertEquals(384 + 2 * (512 + 4096), PipeDescriptor.size(4096, true));
    }

    @Test
    void shouldAlignPipePartsOnLinesForEveryCapacity() {
        assertEquals(0, PipeDescriptor.END_A_OFFSET % LINE);
        assertEquals(0, PipeDescriptor.END_B_OFFSET % LINE);
        assertEquals(0, PipeDescriptor.FIRST_RING_OFFSET % LINE);
        for (int capacity = RingDescriptor.MIN_CAPACITY; capacity > 0 && capacity <= RingDescriptor.MAX_CAPACITY;
                capacity <<= 1) {
            assertEquals(0, PipeDescriptor.secondRingOffset(capacity) % LINE, "capacity " + capacity);
            assertEquals(0, PipeDescriptor.size(capacity, true) % LINE, "capacity " + capacity);
        }
        assertTrue(PipeDescriptor.CLOSED < 0, "never a valid owner id (they are positive)");
    }
}
