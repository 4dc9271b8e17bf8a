package io.interproc.core.segment;

import static io.interproc.core.segment.SegmentHeaderDescriptor.ALLOCATION_CURSOR_OFFSET;
import static io.interproc.core.segment.SegmentHeaderDescriptor.BYTE_ORDER_MARK;
import static io.interproc.core.segment.SegmentHeaderDescriptor.BYTE_ORDER_MARK_SWAPPED;
import static io.interproc.core.segment.SegmentHeaderDescriptor.BYTE_ORDER_OFFSET;
import static io.interproc.core.segment.SegmentHeaderDescriptor.CREATED_AT_OFFSET;
import static io.interproc.core.segment.SegmentHeaderDescriptor.CREATOR_PID_OFFSET;
import static io.interproc.core.segment.SegmentHeaderDescriptor.DIRECTORY_CAPACITY_OFFSET;
import static io.interproc.core.segment.SegmentHeaderDescriptor.DIRECTORY_OFFSET_OFFSET;
import static io.interproc.core.segment.SegmentHeaderDescriptor.HEADER_SIZE_OFFSET;
import static io.interproc.core.segment.SegmentHeaderDescriptor.LAYOUT_VERSION;
import static io.interproc.core.segment.SegmentHeaderDescriptor.MAGIC;
import static io.interproc.core.segment.SegmentHeaderDescriptor.MAGIC_OFFSET;
import static io.interproc.core.segment.SegmentHeaderDescriptor.OBJECT_AREA_OFFSET_OFFSET;
import static io.interproc.core.segment.SegmentHeaderDescriptor.PAGE;
import static io.interproc.core.segment.SegmentHeaderDescriptor.PROCESS_TABLE_CAPACITY_OFFSET;
import static io.interproc.core.segment.SegmentHeaderDescriptor.PROCESS_TABLE_OFFSET_OFFSET;
import static io.interproc.core.segment.SegmentHeaderDescriptor.STATE_OFFSET;
import static io.interproc.core.segment.SegmentHeaderDescriptor.STATE_READY;
import static io.interproc.core.segment.SegmentHeaderDescriptor.TOTAL_SIZE_OFFSET;
import static io.interproc.core.segment.SegmentHeaderDescriptor.VERSION_OFFSET;
import static io.interproc.core.segment.SegmentHeaderDescriptor.align;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.SegmentOptions;
import io.interproc.core.memory.SharedBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Writes a new segment's header and checks a mapped one: the layout of the header, process
 * table, directory and object area that {@link SegmentHeaderDescriptor} draws. Stateless.
 */
public final class SegmentHeader {
    private SegmentHeader() {
    }

    /**
     * @param slots process-table slots
     * @param entries directory entries
     * @return where the object area starts: the bytes a segment needs before its first object
     */
    public static long layoutSize(int slots, int entries) {
        return align(directoryOffset(slots) + (long) entries * DirectoryDescriptor.ENTRY_SIZE, PAGE);
    }

    /** Writes the header of a new segment of {@code size} bytes, READY last (release). */
    public static void initialise(SharedBuffer b, long size, SegmentOptions options) {
        int slots = options.processTableSize();
        int entries = options.directorySize();
        int tableOffset = SegmentHeaderDescriptor.SIZE;
        int dirOffset = (int) directoryOffset(slots);
        int areaOffset = (int) layoutSize(slots, entries);
        byte[] magic = MAGIC.getBytes(StandardCharsets.US_ASCII);
        b.putBytes(MAGIC_OFFSET, magic, 0, magic.length);
        b.setInt(VERSION_OFFSET, LAYOUT_VERSION);
        b.setInt(BYTE_ORDER_OFFSET, BYTE_ORDER_MARK);
        b.setInt(HEADER_SIZE_OFFSET, SegmentHeaderDescriptor.SIZE);
        b.setLong(TOTAL_SIZE_OFFSET, size);
        b.setLong(CREATOR_PID_OFFSET, ProcessLiveness.CURRENT_PID);
        b.setLong(CREATED_AT_OFFSET, System.currentTimeMillis());
        b.setInt(PROCESS_TABLE_OFFSET_OFFSET, tableOffset);
        b.setInt(PROCESS_TABLE_CAPACITY_OFFSET, slots);
        b.setInt(DIRECTORY_OFFSET_OFFSET, dirOffset);
        b.setInt(DIRECTORY_CAPACITY_OFFSET, entries);
        b.setInt(OBJECT_AREA_OFFSET_OFFSET, areaOffset);
        b.setLong(ALLOCATION_CURSOR_OFFSET, areaOffset);
        b.setInt(SegmentHeaderDescriptor.NEXT_OWNER_ID_OFFSET, 1);
        b.setIntRelease(STATE_OFFSET, STATE_READY);
    }

    /**
     * Checks a mapped header. Used on every open and by {@code SegmentInfo}.
     *
     * @throws CorruptSegmentException naming the first field that is wrong
     */
    public static void validateHeader(String name, SharedBuffer b, long fileSize) {
        String where = "segment '" + name + "'";
        byte[] magic = new byte[8];
        b.getBytes(MAGIC_OFFSET, magic, 0, 8);
        String found = new String(magic, StandardCharsets.ISO_8859_1);
        if (!found.equals(MAGIC)) {
            throw new CorruptSegmentException(where + " is not an interproc segment: magic='"
                    + found.replaceAll("[^\\x20-\\x7e]", "?") + "', expected '" + MAGIC + "'");
        }
        int bom = b.getInt(BYTE_ORDER_OFFSET);
        if (bom != BYTE_ORDER_MARK) {
            throw new CorruptSegmentException(where + " has the wrong byte order: mark=0x"
                    + Integer.toHexString(bom) + ", expected 0x0" + Integer.toHexString(BYTE_ORDER_MARK)
                    + (bom == BYTE_ORDER_MARK_SWAPPED ? " (written on a machine of the other byte order)" : ""));
        }
        int version = b.getInt(VERSION_OFFSET);
        if (version != LAYOUT_VERSION) {
            throw new CorruptSegmentException(where + " has layout version " + version
                    + ", this library reads version " + LAYOUT_VERSION);
        }
        int state = b.getIntAcquire(STATE_OFFSET);
        if (state != STATE_READY) {
            throw new CorruptSegmentException(where + " is not initialised: state=" + state
                    + ", expected " + STATE_READY + " (READY)");
        }
        long total = b.getLong(TOTAL_SIZE_OFFSET);
        if (total != fileSize) {
            throw new CorruptSegmentException(where + " is truncated or resized: header size=" + total
                    + " but the file has " + fileSize + " bytes");
        }
        int headerSize = b.getInt(HEADER_SIZE_OFFSET);
        int tableOffset = b.getInt(PROCESS_TABLE_OFFSET_OFFSET);
        int slots = b.getInt(PROCESS_TABLE_CAPACITY_OFFSET);
        int dirOffset = b.getInt(DIRECTORY_OFFSET_OFFSET);
        int entries = b.getInt(DIRECTORY_CAPACITY_OFFSET);
        int area = b.getInt(OBJECT_AREA_OFFSET_OFFSET);
        long cursor = b.getLongVolatile(ALLOCATION_CURSOR_OFFSET);
        boolean ok = headerSize == SegmentHeaderDescriptor.SIZE
                && tableOffset == SegmentHeaderDescriptor.SIZE
                && slots >= 1 && slots <= ProcessTableDescriptor.MAX_SLOTS
                && entries >= 1 && entries <= (1 << 20)
                && dirOffset == directoryOffset(slots)
                && area == layoutSize(slots, entries)
                && area <= fileSize
                && cursor >= area && cursor <= fileSize;
        if (!ok) {
            throw new CorruptSegmentException(where + " has an inconsistent layout: headerSize=" + headerSize
                    + ", processTableOffset=" + tableOffset + ", processSlots=" + slots
                    + ", directoryOffset=" + dirOffset + ", directoryEntries=" + entries
                    + ", objectArea=" + area + ", cursor=" + cursor + ", fileSize=" + fileSize);
        }
    }

    /** @return where the directory starts: after the header and {@code slots} process-table slots, page-aligned */
    private static long directoryOffset(int slots) {
        return align(SegmentHeaderDescriptor.SIZE + (long) slots * ProcessTableDescriptor.SLOT_SIZE, PAGE);
    }
}
