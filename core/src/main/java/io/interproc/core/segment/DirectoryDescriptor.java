package io.interproc.core.segment;

import io.interproc.core.memory.Layout;

/**
 * Layout of the directory of named objects: an open-addressed hash table (linear probing on
 * FNV-1a of the UTF-8 name) of fixed-size entries. Entries are never removed.
 *
 * <pre>
 *  entry i at directoryOffset + i * ENTRY_SIZE
 *  offset  size  field
 *  ------  ----  -----------------------------------------------------------------
 *       0     8  claim word, changed only by CAS / release store:
 *                  bits 63..8  owner id of the claiming process
 *                  bits  7..0  state: 0 FREE, 1 CLAIMING, 2 READY
 *       8     4  kind code ({@link io.interproc.core.spi.ObjectKind#code()})
 *      12     4  name length in bytes (1..{@link #MAX_NAME_BYTES})
 *      16     8  object offset from the start of the segment
 *      24     8  object length in bytes
 *      32     8  created at, epoch milliseconds
 *      40    24  reserved (zero)
 *      64    64  name, UTF-8, zero padded
 *     128        next entry
 * </pre>
 *
 * <p>A creator CASes FREE to CLAIMING with its owner id, writes the other fields, allocates
 * and initialises the object, then release-stores READY. A finder that meets CLAIMING waits
 * for READY; if the claimer's owner id is dead it takes the entry over.
 */
public final class DirectoryDescriptor {
    /** Offset of the claim word. */
    public static final int CLAIM_OFFSET = 0;
    /** Offset of the kind code. */
    public static final int KIND_OFFSET = CLAIM_OFFSET + Layout.LONG;
    /** Offset of the name length. */
    public static final int NAME_LENGTH_OFFSET = KIND_OFFSET + Layout.INT;
    /** Offset of the object offset. */
    public static final int OBJECT_OFFSET_OFFSET = NAME_LENGTH_OFFSET + Layout.INT;
    /** Offset of the object length. */
    public static final int OBJECT_LENGTH_OFFSET = OBJECT_OFFSET_OFFSET + Layout.LONG;
    /** Offset of the creation time. */
    public static final int CREATED_AT_OFFSET = OBJECT_LENGTH_OFFSET + Layout.LONG;
    /** Offset of the name bytes: the second cache line of the entry. */
    public static final int NAME_OFFSET = Layout.CACHE_LINE;
    /** Longest object name in UTF-8 bytes: the whole second line. */
    public static final int MAX_NAME_BYTES = Layout.CACHE_LINE;
    /** Bytes per entry. */
    public static final int ENTRY_SIZE = NAME_OFFSET + MAX_NAME_BYTES;

    /** Entry state: free. */
    public static final int STATE_FREE = 0;
    /** Entry state: being created. */
    public static final int STATE_CLAIMING = 1;
    /** Entry state: created and initialised. */
    public static final int STATE_READY = 2;

    /** Default number of entries. */
    public static final int DEFAULT_CAPACITY = 256;

    private DirectoryDescriptor() {
    }

    /** @param ownerId claimer @param state entry state @return the claim word */
    public static long claim(int ownerId, int state) {
        return ((long) ownerId << 8) | (state & 0xFF);
    }

    /** @param claim a claim word @return its state */
    public static int state(long claim) {
        return (int) claim & 0xFF;
    }

    /** @param claim a claim word @return the claimer's owner id */
    public static int ownerId(long claim) {
        return (int) (claim >>> 8);
    }

    /**
     * FNV-1a, 32 bits, of a name.
     *
     * @param name UTF-8 bytes
     * @return the hash, non-negative
     */
    public static int hash(byte[] name) {
        int h = 0x811C9DC5;
        for (byte b : name) {
            h ^= b & 0xFF;
            h *= 0x01000193;
        }
        return h & 0x7FFFFFFF;
    }
}
