package io.interproc.collections.internal;

import io.interproc.core.memory.Layout;
import io.interproc.sync.internal.LockDescriptor;

/**
 * Layout of a {@code SharedMap} (and of the map inside a {@code SharedList} or
 * {@code SharedNamespace}). All offsets inside the object, including every block offset stored in
 * it, are relative to the object's first byte; 0 means "none" (no block lives at offset 0).
 *
 * <pre>
 *  object offset        size            field
 *  -------------------  --------------  ---------------------------------------------------------
 *  0                    128             header, written once by the creator:
 *                                         +0 magic  +4 layout version  +8 stripes (power of two)
 *                                         +12 buckets (power of two, &gt;= stripes)
 *                                         +16 heap start  +20 heap end  +24 capacity (entries)
 *                                         +28 smallest size class used (that of an average entry)
 *  128                  128             bump cursor (long, CAS): first never-allocated heap byte
 *  256                  stripes x 512   stripes; stripe s guards every bucket b with b % stripes == s
 *                                         +0    lock (LockDescriptor, 128): the writers' robust lock
 *                                         +128  seq (long): seqlock version, odd while a writer
 *                                               changes what readers can reach
 *                                         +136  count (int): entries in the stripe's buckets
 *                                         +140  opSeq (int): allocation stamps
 *                                         +144  log state (int): IDLE, ALLOCATING, PUBLISHING,
 *                                               CLEARING, FREEING
 *                                         +148  log new block   +152 log old block
 *                                         +156  log bucket      +160 log rest (a chain being freed)
 *                                         +164  log source (LIST or BUMP)  +168 log stamp
 *                                         +176  recoveries (long)  +184 leaked bytes (long)
 *                                         +192  free bytes (long): bytes in this stripe's free lists
 *                                         +256  free-list heads, one int per size class (64)
 *  buckets start        buckets x 4     bucket heads (int): first entry of the bucket's chain
 *  heap start           to the end      blocks, 16-byte aligned, of size classes 32, 48, 64, 96,
 *                                       128, 192, ... (two classes per doubling)
 *
 *  block:  +0 next (int)   +4 class | (stripe + 1) &lt;&lt; 8 (int)   +8 stamp (int)
 *          +12 hash (int)  +16 key length (int)  +20 value length (int)
 *          +24 key bytes, then value bytes
 * </pre>
 *
 * <p>An entry's bytes are never changed once it is reachable: a replaced value is a new block
 * linked in place of the old one, so publishing any change is one 4-byte release store (a bucket
 * head or a {@code next} field). The one exception, the fixed-size fast path: an 8-byte value at
 * an 8-byte-aligned offset replaced by another 8-byte value is one aligned 8-byte store. The protocol around that store is in {@code MapStore}.
 */
public final class MapDescriptor {
    /** "IPMP". */
    public static final int MAGIC = 0x49504D50;
    /** Layout version. */
    public static final int VERSION = 1;

    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the layout version. */
    public static final int VERSION_OFFSET = MAGIC_OFFSET + Layout.INT;
    /** Offset of the stripe count. */
    public static final int STRIPES_OFFSET = VERSION_OFFSET + Layout.INT;
    /** Offset of the bucket count. */
    public static final int BUCKETS_OFFSET = STRIPES_OFFSET + Layout.INT;
    /** Offset of the heap start (relative). */
    public static final int HEAP_START_OFFSET = BUCKETS_OFFSET + Layout.INT;
    /** Offset of the heap end (relative, exclusive). */
    public static final int HEAP_END_OFFSET = HEAP_START_OFFSET + Layout.INT;
    /** Offset of the capacity the map was created for (entries). */
    public static final int CAPACITY_OFFSET = HEAP_END_OFFSET + Layout.INT;
    /**
     * Offset of the smallest size class blocks are allocated in: the class of an entry of the
     * average sizes the map was created with, so that entries up to the average all share one
     * class and a free block of one serves any other.
     */
    public static final int MIN_CLASS_OFFSET = CAPACITY_OFFSET + Layout.INT;
    /** Offset of the bump cursor, on its own line pair (every fresh allocation CASes it). */
    public static final int CURSOR_OFFSET = Layout.nextLinePair(MIN_CLASS_OFFSET + Layout.INT);
    /** Offset of stripe 0. */
    public static final int STRIPES_START = Layout.nextLinePair(CURSOR_OFFSET + Layout.LONG);

    /** Offset of a stripe's lock in the stripe. */
    public static final int STRIPE_LOCK = 0;
    /** Offset of a stripe's seqlock version. */
    public static final int STRIPE_SEQ = STRIPE_LOCK + LockDescriptor.SIZE;
    /** Offset of a stripe's entry count. */
    public static final int STRIPE_COUNT = STRIPE_SEQ + Layout.LONG;
    /** Offset of a stripe's allocation stamp counter. */
    public static final int STRIPE_OP_SEQ = STRIPE_COUNT + Layout.INT;
    /** Offset of a stripe's log state. */
    public static final int LOG_STATE = STRIPE_OP_SEQ + Layout.INT;
    /** Offset of the log's new block. */
    public static final int LOG_NEW = LOG_STATE + Layout.INT;
    /** Offset of the log's old block. */
    public static final int LOG_OLD = LOG_NEW + Layout.INT;
    /** Offset of the log's bucket. */
    public static final int LOG_BUCKET = LOG_OLD + Layout.INT;
    /** Offset of the log's rest of a chain being freed. */
    public static final int LOG_REST = LOG_BUCKET + Layout.INT;
    /** Offset of the log's allocation source. */
    public static final int LOG_SOURCE = LOG_REST + Layout.INT;
    /** Offset of the log's allocation stamp. */
    public static final int LOG_STAMP = LOG_SOURCE + Layout.INT;
    /** Offset of a stripe's recovery count (long). */
    public static final int STRIPE_RECOVERIES = Layout.align(LOG_STAMP + Layout.INT, Layout.LONG);
    /** Offset of a stripe's leaked-bytes count (long). */
    public static final int STRIPE_LEAKED = STRIPE_RECOVERIES + Layout.LONG;
    /** Offset of a stripe's free-list byte count (long). */
    public static final int STRIPE_FREE_BYTES = STRIPE_LEAKED + Layout.LONG;
    /** Offset of a stripe's free-list heads. */
    public static final int STRIPE_FREE_HEADS = Layout.nextLinePair(STRIPE_FREE_BYTES + Layout.LONG);
    /** Size classes (one free list each). */
    public static final int CLASSES = 64;
    /** Bytes per stripe. */
    public static final int STRIPE_SIZE = Layout.nextLinePair(STRIPE_FREE_HEADS + CLASSES * Layout.INT);

    /** Log states. */
    public static final int IDLE = 0;
    /** A block is being taken (log new block, source, stamp). */
    public static final int ALLOCATING = 1;
    /** A block is owned and being linked in (log new, old, bucket). */
    public static final int PUBLISHING = 2;
    /** A bucket's chain is being detached (log bucket, rest = the chain). */
    public static final int CLEARING = 3;
    /** A detached chain is being freed (log old = the block being freed, rest = the ones after it). */
    public static final int FREEING = 4;
    /** Allocation source: a stripe free list. */
    public static final int SOURCE_LIST = 1;
    /** Allocation source: fresh heap at the bump cursor. */
    public static final int SOURCE_BUMP = 2;

    /** Offset of a block's next link. */
    public static final int BLOCK_NEXT = 0;
    /** Offset of a block's class word: class | (stripe + 1) &lt;&lt; 8. */
    public static final int BLOCK_CLASS = BLOCK_NEXT + Layout.INT;
    /** Offset of a block's allocation stamp. */
    public static final int BLOCK_STAMP = BLOCK_CLASS + Layout.INT;
    /** Offset of an entry's key hash. */
    public static final int BLOCK_HASH = BLOCK_STAMP + Layout.INT;
    /** Offset of an entry's key length. */
    public static final int BLOCK_KEY_LENGTH = BLOCK_HASH + Layout.INT;
    /** Offset of an entry's value length. */
    public static final int BLOCK_VALUE_LENGTH = BLOCK_KEY_LENGTH + Layout.INT;
    /** Offset of an entry's key bytes (the value follows). */
    public static final int BLOCK_DATA = BLOCK_VALUE_LENGTH + Layout.INT;
    /** Block alignment. */
    public static final int BLOCK_ALIGNMENT = 16;
    /** The smallest block. */
    public static final int MIN_BLOCK = 32;

    private MapDescriptor() {
    }

    /**
     * @param sizeClass 0 to {@link #CLASSES} - 1
     * @return its block size: 32, 48, 64, 96, 128, 192, ...; {@code Long} since high classes exceed an int
     */
    public static long classSize(int sizeClass) {
        long base = (sizeClass & 1) == 0 ? MIN_BLOCK : MIN_BLOCK * 3 / 2;
        return base << (sizeClass >>> 1);
    }

    /**
     * @param bytes bytes a block must hold, header included
     * @return the smallest class that holds them
     */
    public static int classFor(long bytes) {
        for (int c = 0; c < CLASSES; c++) {
            if (classSize(c) >= bytes) {
                return c;
            }
        }
        throw new IllegalArgumentException("no block class holds " + bytes + " bytes");
    }

    /** @return offset of stripe {@code s} in the object */
    public static int stripe(int s) {
        return STRIPES_START + s * STRIPE_SIZE;
    }

    /** @return offset of the bucket heads of a map with that many stripes */
    public static int bucketsStart(int stripes) {
        return stripe(stripes);
    }

    /** @return offset of the heap of a map with those counts */
    public static int heapStart(int stripes, int buckets) {
        return Layout.nextLinePair(bucketsStart(stripes) + buckets * Layout.INT);
    }
}
