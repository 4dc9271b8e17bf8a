package io.interproc.core.segment;

import io.interproc.core.memory.Layout;

/**
 * Layout of the first page of every segment file. All numbers in native byte order.
 *
 * <pre>
 *  offset  size  field
 *  ------  ----  -----------------------------------------------------------------
 *       0     8  magic "IPRCSEG1" (ASCII)
 *       8     4  layout version                ({@link #LAYOUT_VERSION})
 *      12     4  byte-order mark 0x01020304    (reads 0x04030201 in the other order)
 *      16     4  state: 1 CREATING, 2 READY
 *      20     4  header size                   ({@link #SIZE})
 *      24     8  total size of the file in bytes
 *      32     8  creator pid
 *      40     8  created at (epoch milliseconds)
 *      48     4  process table offset          (= {@link #SIZE})
 *      52     4  process table capacity (slots)
 *      56     4  directory offset
 *      60     4  directory capacity (entries)
 *      64     4  object area offset            (4 KiB aligned)
 *      68     4  next owner id: getAndAdd by each attachment, starts at 1, never reused
 *      72     4  process table version: bumped after every attach, detach and reap
 *      76    52  reserved (zero)
 *     128     8  allocation cursor: next free byte of the object area (CAS bump;
 *                alone on its 128-byte line)
 *     136   120  reserved (zero)
 *     256     4  liveness epoch (futex word): bumped, then woken, whenever an attachment
 *                detaches or a dead one is reaped; every JVM with sleeping waiters
 *                watches it (alone on its 128-byte line)
 *     260  3836  reserved (zero)
 *    4096        end of header; the process table starts here
 * </pre>
 *
 * <p>The state word is written READY with a release store after every other field, and only
 * then is the file published under its name, so a reader that finds READY sees the rest.
 */
public final class SegmentHeaderDescriptor {
    /** The magic bytes, ASCII. */
    public static final String MAGIC = "IPRCSEG1";
    /** The layout version this code reads and writes. */
    public static final int LAYOUT_VERSION = 2;
    /** The byte-order mark as written in native order. */
    public static final int BYTE_ORDER_MARK = 0x01020304;
    /** The byte-order mark as read back on a machine of the other byte order. */
    public static final int BYTE_ORDER_MARK_SWAPPED = 0x04030201;
    /** State: being initialised. */
    public static final int STATE_CREATING = 1;
    /** State: fully initialised. */
    public static final int STATE_READY = 2;

    /** Bytes of the magic. */
    public static final int MAGIC_LENGTH = 8;

    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the layout version. */
    public static final int VERSION_OFFSET = MAGIC_OFFSET + MAGIC_LENGTH;
    /** Offset of the byte-order mark. */
    public static final int BYTE_ORDER_OFFSET = VERSION_OFFSET + Layout.INT;
    /** Offset of the state word. */
    public static final int STATE_OFFSET = BYTE_ORDER_OFFSET + Layout.INT;
    /** Offset of the header size. */
    public static final int HEADER_SIZE_OFFSET = STATE_OFFSET + Layout.INT;
    /** Offset of the total size. */
    public static final int TOTAL_SIZE_OFFSET = HEADER_SIZE_OFFSET + Layout.INT;
    /** Offset of the creator pid. */
    public static final int CREATOR_PID_OFFSET = TOTAL_SIZE_OFFSET + Layout.LONG;
    /** Offset of the creation time. */
    public static final int CREATED_AT_OFFSET = CREATOR_PID_OFFSET + Layout.LONG;
    /** Offset of the process table offset. */
    public static final int PROCESS_TABLE_OFFSET_OFFSET = CREATED_AT_OFFSET + Layout.LONG;
    /** Offset of the process table capacity. */
    public static final int PROCESS_TABLE_CAPACITY_OFFSET = PROCESS_TABLE_OFFSET_OFFSET + Layout.INT;
    /** Offset of the directory offset. */
    public static final int DIRECTORY_OFFSET_OFFSET = PROCESS_TABLE_CAPACITY_OFFSET + Layout.INT;
    /** Offset of the directory capacity. */
    public static final int DIRECTORY_CAPACITY_OFFSET = DIRECTORY_OFFSET_OFFSET + Layout.INT;
    /** Offset of the object area offset. */
    public static final int OBJECT_AREA_OFFSET_OFFSET = DIRECTORY_CAPACITY_OFFSET + Layout.INT;
    /** Offset of the int counter of owner ids handed out (the next one to take). */
    public static final int NEXT_OWNER_ID_OFFSET = OBJECT_AREA_OFFSET_OFFSET + Layout.INT;
    /** Offset of the int process table version, bumped after every change of a slot. */
    public static final int TABLE_VERSION_OFFSET = NEXT_OWNER_ID_OFFSET + Layout.INT;
    /** Offset of the allocation cursor, alone on the second line pair. */
    public static final int ALLOCATION_CURSOR_OFFSET = Layout.LINE_PAIR;
    /** Offset of the int liveness epoch, a futex word, alone on the third line pair. */
    public static final int LIVENESS_EPOCH_OFFSET = ALLOCATION_CURSOR_OFFSET + Layout.LINE_PAIR;

    /** Size of the header, one page. */
    public static final int SIZE = Layout.PAGE;
    /** Alignment of every object in the object area (a cache-line pair). */
    public static final int OBJECT_ALIGNMENT = Layout.LINE_PAIR;
    /** Alignment of the regions that follow the header. */
    public static final int PAGE = Layout.PAGE;

    private SegmentHeaderDescriptor() {
    }

    /**
     * @param value a non-negative size or offset
     * @param alignment a power of two
     * @return {@code value} rounded up to a multiple of {@code alignment}
     */
    public static long align(long value, int alignment) {
        return Layout.align(value, alignment);
    }
}
