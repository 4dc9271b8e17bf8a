package io.interproc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.segment.DirectoryDescriptor;
import io.interproc.core.segment.ProcessTableDescriptor;
import io.interproc.core.segment.SegmentHeader;
import io.interproc.core.segment.SegmentHeaderDescriptor;
import io.interproc.core.value.ArrayDescriptor;
import io.interproc.core.value.ValueDescriptor;

import org.junit.jupiter.api.Test;

class DescriptorLayoutTest {

    @Test
    void shouldLayOutTheSegmentHeader() {
        assertEquals(4096, SegmentHeaderDescriptor.SIZE);
        assertEquals(0, SegmentHeaderDescriptor.MAGIC_OFFSET);
        assertEquals(8, SegmentHeaderDescriptor.VERSION_OFFSET);
        assertEquals(12, SegmentHeaderDescriptor.BYTE_ORDER_OFFSET);
        assertEquals(16, SegmentHeaderDescriptor.STATE_OFFSET);
        assertEquals(20, SegmentHeaderDescriptor.HEADER_SIZE_OFFSET);
        assertEquals(24, SegmentHeaderDescriptor.TOTAL_SIZE_OFFSET);
        assertEquals(32, SegmentHeaderDescriptor.CREATOR_PID_OFFSET);
        assertEquals(40, SegmentHeaderDescriptor.CREATED_AT_OFFSET);
        assertEquals(48, SegmentHeaderDescriptor.PROCESS_TABLE_OFFSET_OFFSET);
        assertEquals(52, SegmentHeaderDescriptor.PROCESS_TABLE_CAPACITY_OFFSET);
        assertEquals(56, SegmentHeaderDescriptor.DIRECTORY_OFFSET_OFFSET);
        assertEquals(60, SegmentHeaderDescriptor.DIRECTORY_CAPACITY_OFFSET);
        assertEquals(64, SegmentHeaderDescriptor.OBJECT_AREA_OFFSET_OFFSET);
        assertEquals(128, SegmentHeaderDescriptor.ALLOCATION_CURSOR_OFFSET);
        assertEquals(8, SegmentHeaderDescriptor.MAGIC.length());
        // 8-byte fields are 8-byte aligned; the CAS-bumped cursor has its own 128-byte line.
        for (int off : new int[] {SegmentHeaderDescriptor.TOTAL_SIZE_OFFSET, SegmentHeaderDescriptor.CREATOR_PID_OFFSET,
                SegmentHeaderDescriptor.CREATED_AT_OFFSET, SegmentHeaderDescriptor.ALLOCATION_CURSOR_OFFSET}) {
            assertEquals(0, off % 8, "offset " + off);
        }
        assertEquals(0, SegmentHeaderDescriptor.ALLOCATION_CURSOR_OFFSET % 128);
        assertEquals(0, SegmentHeaderDescriptor.STATE_OFFSET % 4);
        assertEquals(4224, SegmentHeaderDescriptor.align(4097, 128));
        assertEquals(4096, SegmentHeaderDescriptor.align(4096, 4096));
    }

    @Test
    void shouldLayOutTheProcessTable() {
        assertEquals(128, ProcessTableDescriptor.SLOT_SIZE);
        assertEquals(0, ProcessTableDescriptor.CONTROL_OFFSET);
        assertEquals(8, ProcessTableDescriptor.PID_OFFSET);
        assertEquals(16, ProcessTableDescriptor.START_TIME_OFFSET);
        assertEquals(24, ProcessTableDescriptor.ATTACHED_AT_OFFSET);
        assertEquals(32, ProcessTableDescriptor.RECORDS_OFFSET);
        assertEquals(12, ProcessTableDescriptor.RECORDS);
        assertEquals(ProcessTableDescriptor.SLOT_SIZE,
                ProcessTableDescriptor.RECORDS_OFFSET + ProcessTableDescriptor.RECORDS * ProcessTableDescriptor.RECORD_SIZE);
        assertEquals(4096 + 3 * 128, ProcessTableDescriptor.slotOffset(4096, 3));
        assertEquals(4096 + 3 * 128, ProcessTableDescriptor.lockByte(4096, 3), "a slot's lock is on its first byte");
        assertEquals(4096 + 3 * 128 + 32 + 2 * 8, ProcessTableDescriptor.recordOffset(4096, 3, 2));
        long c = ProcessTableDescriptor.control(ProcessTableDescriptor.MAX_OWNER_ID, ProcessTableDescriptor.STATE_LIVE);
        assertEquals(ProcessTableDescriptor.MAX_OWNER_ID, ProcessTableDescriptor.ownerId(c));
        assertEquals(ProcessTableDescriptor.STATE_LIVE, ProcessTableDescriptor.state(c));
        assertTrue(ProcessTableDescriptor.MAX_OWNER_ID > 0, "owner ids are positive ints (futex words)");
        assertEquals(5, ProcessTableDescriptor.preferredSlot(128, 133));
        long r = ProcessTableDescriptor.record(1 << 30, 7);
        assertEquals(1 << 30, ProcessTableDescriptor.recordedOffset(r));
        assertEquals(7, ProcessTableDescriptor.recordedCount(r));
        assertEquals(68, SegmentHeaderDescriptor.NEXT_OWNER_ID_OFFSET);
        assertEquals(72, SegmentHeaderDescriptor.TABLE_VERSION_OFFSET);
        assertEquals(256, SegmentHeaderDescriptor.LIVENESS_EPOCH_OFFSET);
        assertEquals(0, SegmentHeaderDescriptor.LIVENESS_EPOCH_OFFSET % 128, "the epoch futex word has its own line");
    }

    @Test
    void shouldLayOutTheDirectory() {
        assertEquals(128, DirectoryDescriptor.ENTRY_SIZE);
        assertEquals(0, DirectoryDescriptor.CLAIM_OFFSET);
        assertEquals(8, DirectoryDescriptor.KIND_OFFSET);
        assertEquals(12, DirectoryDescriptor.NAME_LENGTH_OFFSET);
        assertEquals(16, DirectoryDescriptor.OBJECT_OFFSET_OFFSET);
        assertEquals(24, DirectoryDescriptor.OBJECT_LENGTH_OFFSET);
        assertEquals(32, DirectoryDescriptor.CREATED_AT_OFFSET);
        assertEquals(64, DirectoryDescriptor.NAME_OFFSET);
        assertEquals(DirectoryDescriptor.ENTRY_SIZE,
                DirectoryDescriptor.NAME_OFFSET + DirectoryDescriptor.MAX_NAME_BYTES);
        long claim = DirectoryDescriptor.claim(ProcessTableDescriptor.MAX_OWNER_ID, DirectoryDescriptor.STATE_READY);
        assertEquals(ProcessTableDescriptor.MAX_OWNER_ID, DirectoryDescriptor.ownerId(claim));
        assertEquals(DirectoryDescriptor.STATE_READY, DirectoryDescriptor.state(claim));
        assertTrue(DirectoryDescriptor.hash(new byte[] {(byte) 0xFF, 1, 2}) >= 0);
    }

    @Test
    void shouldLayOutValuesAndArrays() {
        assertEquals(0, ValueDescriptor.VALUE_OFFSET);
        assertEquals(128, ValueDescriptor.SIZE);
        assertEquals(0, ArrayDescriptor.LENGTH_OFFSET);
        assertEquals(4, ArrayDescriptor.ELEMENT_SIZE_OFFSET);
        assertEquals(128, ArrayDescriptor.DATA_OFFSET);
        assertEquals(128 + 10 * 8, ArrayDescriptor.size(10, 8));
    }

    @Test
    void shouldPlaceRegionsOnPageBoundaries() {
        long layout = SegmentHeader.layoutSize(128, 256);
        assertEquals(4096 + 128 * 128 + 256 * 128, layout);
        assertEquals(0, SegmentHeader.layoutSize(3, 5) % 4096);
    }
}
