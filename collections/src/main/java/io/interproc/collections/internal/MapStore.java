package io.interproc.collections.internal;

import static io.interproc.collections.internal.MapDescriptor.*;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.SegmentFullException;
import io.interproc.core.memory.Layout;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.spi.ObjectInitializer;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.sync.SharedLock;
import io.interproc.sync.internal.SyncKinds;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The map engine behind {@code SharedMap}: keys and values as bytes, laid out by
 * {@link MapDescriptor}. Thread-safe; every JVM that opens the map has its own instance.
 */
public final class MapStore {
    /*
     * Design.
     *
     * Entries hang in chains from bucket heads; bucket b belongs to stripe b % stripes. A stripe
     * has a robust lock (sync's LockCore through an embedded SharedLock: owner id in a word, taken
     * over by a waiter once the kernel-backed liveness check says the holder died), a seqlock
     * version, and an undo log.
     *
     * Writers (put, remove, compute, clear) hold the stripe lock. An entry is immutable while
     * reachable (one exception: an 8-byte value replaced by an 8-byte value is one aligned 8-byte
     * store in place, see overwriteInPlace), so every change becomes visible through ONE release
     * store: a bucket head or
     * a predecessor's next field now names the new block (insert / replace) or the removed block's
     * successor (remove). Around that store the writer makes the stripe's version odd, and even
     * again once the old block is back on a free list, so a reader that overlapped the window
     * (during which a block may be freed and then reused) sees the version change and retries.
     * The compute functions run while the lock is held and the version is even: readers are not
     * held up by user code, only by the few stores of the window.
     *
     * Readers never take the lock: read version (acquire), walk the chain copying bytes, acquire
     * fence, read version again; equal and even means the copy is a state that existed. Every
     * offset and length read is checked against the heap before it is used and every walk is
     * bounded by the number of blocks the heap can hold, so a reader racing with reuse sees at
     * worst garbage that fails the version check. If the check fails although the version did not
     * move, the bytes are corrupt: CorruptSegmentException. A reader that keeps failing (the
     * version stays odd, or changes on every try) falls back to a locked read, which also recovers
     * a stripe whose writer died in the window.
     *
     * Space: blocks come from the stripe's free list of the size class (or a larger one), else from
     * the shared bump cursor (CAS). Removed and replaced blocks go on the stripe's free lists, so
     * churn reuses space. A full heap is SegmentFullException naming bytes asked and free.
     *
     * Crash recovery: every step that moves a block between owners is recorded in the stripe's
     * log first (state, block, bucket) and is idempotent to redo or undo:
     *   ALLOCATING  block taken from a free list (owned iff it is no longer that list's head) or
     *               from the bump cursor (owned iff the block header carries this stripe and the
     *               log's stamp: written right after the CAS; a kill between CAS and header loses
     *               one block, counted in leakedBytes);
     *   PUBLISHING  committed iff the new block is reachable from its bucket (for a remove: the old
     *               block is not); committed -> free the old block (unless it is already the head
     *               of its free list), not committed -> free the new one;
     *   CLEARING    a bucket's chain detached (committed iff the head is 0) -> FREEING;
     *   FREEING     free the logged block unless it heads its list, then the rest of the chain.
     * Recovery runs in the process that took the stripe lock over (lockRecovered()), before it
     * does anything else with the stripe; it also makes the version even and recounts the
     * stripe's entries and free bytes. A recoverer killed in turn leaves the log as it was, and
     * the next one redoes it.
     */
    private static final byte[] KEEP = new byte[0];
    /** Failed optimistic reads before a reader takes the stripe lock. */
    private static final int OPTIMISTIC_TRIES = 256;

    private final ObjectRegion region;
    private final SharedBuffer b;
    private final int base;
    private final int stripes;
    private final int buckets;
    private final int heapStart;
    private final int heapEnd;
    private final int maxSteps;
    private final int minClass;
    private final SharedLock[] locks;
    private final String description;

    private MapStore(ObjectRegion region) {
        this.region = region;
        this.b = region.buffer();
        this.base = region.offset();
        this.description = region.kind() + " '" + region.name() + "' in segment '" + region.segment().name() + "'";
        region.checkStored("length", region.length(), heapStart(1, 1) + MIN_BLOCK, Integer.MAX_VALUE);
        if (b.getIntVolatile(base + MAGIC_OFFSET) != MAGIC || b.getInt(base + VERSION_OFFSET) != VERSION) {
            throw new CorruptSegmentException(description + " is corrupt: magic=" + Integer.toHexString(
                    b.getInt(base + MAGIC_OFFSET)) + ", version=" + b.getInt(base + VERSION_OFFSET));
        }
        this.stripes = (int) region.checkStored("stripes", b.getInt(base + STRIPES_OFFSET), 1, 1 << 16);
        this.buckets = (int) region.checkStored("buckets", b.getInt(base + BUCKETS_OFFSET), stripes, 1 << 28);
        if (Integer.bitCount(stripes) != 1 || Integer.bitCount(buckets) != 1) {
            throw new CorruptSegmentException(description + " is corrupt: stripes=" + stripes + ", buckets=" + buckets
                    + " must be powers of two");
        }
        this.heapStart = (int) region.checkStored("heapStart", b.getInt(base + HEAP_START_OFFSET),
                MapDescriptor.heapStart(stripes, buckets), MapDescriptor.heapStart(stripes, buckets));
        this.heapEnd = (int) region.checkStored("heapEnd", b.getInt(base + HEAP_END_OFFSET), heapStart,
                region.length());
        this.maxSteps = (heapEnd - heapStart) / MIN_BLOCK + 1;
        this.minClass = (int) region.checkStored("minClass", b.getInt(base + MIN_CLASS_OFFSET), 0, CLASSES - 1);
        this.locks = new SharedLock[stripes];
        for (int s = 0; s < stripes; s++) {
            locks[s] = SharedLock.embedded(region.part(region.name() + ".stripe" + s, SyncKinds.LOCK,
                    stripe(s) + STRIPE_LOCK, io.interproc.sync.internal.LockDescriptor.SIZE));
        }
    }

    /**
     * Opens the engine over an initialised map layout.
     *
     * @param region a map object, or the map part of a list or namespace
     * @return the engine
     * @throws CorruptSegmentException if the header does not describe a map that fits the region
     */
    public static MapStore over(ObjectRegion region) {
        return new MapStore(region);
    }

    // ---------------------------------------------------------------- sizing and creation

    /** @return stripes for a map of that many entries: a power of two, 1 to 64 */
    static int stripesFor(int entries) {
        int s = Integer.highestOneBit(Math.max(1, entries / 4));
        return Math.min(64, s);
    }

    /** @return buckets for a map of that many entries: a power of two &gt;= entries and &gt;= stripes */
    static int bucketsFor(int entries) {
        int n = Math.max(stripesFor(entries), entries);
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    /**
     * Bytes an object holding a map needs.
     *
     * @param entries capacity, &gt;= 1
     * @param averageKeyBytes average encoded key size, &gt;= 0
     * @param averageValueBytes average encoded value size, &gt;= 0
     * @return bytes to allocate for the map's layout
     * @throws IllegalArgumentException if an argument is out of range or the map would exceed 2 GiB
     */
    public static long bytesFor(int entries, int averageKeyBytes, int averageValueBytes) {
        if (entries < 1 || averageKeyBytes < 0 || averageValueBytes < 0) {
            throw new IllegalArgumentException("capacity needs entries >= 1 and average sizes >= 0: entries=" + entries
                    + ", averageKeyBytes=" + averageKeyBytes + ", averageValueBytes=" + averageValueBytes);
        }
        long block = classSize(classFor((long) BLOCK_DATA + averageKeyBytes + averageValueBytes));
        // Half as much again as the entries need (free blocks keep their size class, so entries
        // whose sizes vary strand some space in classes of the moment's smaller sizes), plus two
        // blocks per stripe: replacements allocate before they free.
        long heap = block * entries + block * entries / 2 + 2 * block * stripesFor(entries);
        long total = MapDescriptor.heapStart(stripesFor(entries), bucketsFor(entries)) + heap;
        if (total > Integer.MAX_VALUE - Layout.PAGE) {
            throw new IllegalArgumentException("a map of entries=" + entries + ", averageKeyBytes=" + averageKeyBytes
                    + ", averageValueBytes=" + averageValueBytes + " needs " + total + " bytes, more than 2 GiB");
        }
        return total;
    }

    /**
     * @param entries the capacity the map is created for
     * @param averageKeyBytes average encoded key size it was created for
     * @param averageValueBytes average encoded value size it was created for
     * @return writes an empty map's header into a fresh, zeroed region
     */
    public static ObjectInitializer initializer(int entries, int averageKeyBytes, int averageValueBytes) {
        return (buffer, offset, length) -> format(buffer, offset, length, entries, averageKeyBytes, averageValueBytes);
    }

    /** Writes an empty map's header at {@code offset}: the region of {@code length} zeroed bytes. */
    public static void format(SharedBuffer buffer, int offset, int length, int entries, int averageKeyBytes,
            int averageValueBytes) {
        int stripes = stripesFor(entries);
        int buckets = bucketsFor(entries);
        int heapStart = MapDescriptor.heapStart(stripes, buckets);
        buffer.setInt(offset + VERSION_OFFSET, VERSION);
        buffer.setInt(offset + STRIPES_OFFSET, stripes);
        buffer.setInt(offset + BUCKETS_OFFSET, buckets);
        buffer.setInt(offset + HEAP_START_OFFSET, heapStart);
        buffer.setInt(offset + HEAP_END_OFFSET, length);
        buffer.setInt(offset + CAPACITY_OFFSET, entries);
        buffer.setInt(offset + MIN_CLASS_OFFSET, classFor((long) BLOCK_DATA + averageKeyBytes + averageValueBytes));
        buffer.setLong(offset + CURSOR_OFFSET, heapStart);
        buffer.setIntRelease(offset + MAGIC_OFFSET, MAGIC);
    }

    // ---------------------------------------------------------------- hashing

    /**
     * The 32-bit hash of a key's bytes, the same in every JVM: eight bytes per step (little-endian),
     * each step a multiply and a shift, then a final mix so that the low bits (bucket and stripe)
     * depend on every byte.
     *
     * @param key encoded key
     * @return its hash
     */
    static int hash(byte[] key) {
        ByteBuffer view = ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN);
        long h = 0x9E3779B97F4A7C15L ^ key.length;
        int i = 0;
        for (; i + Long.BYTES <= key.length; i += Long.BYTES) {
            h = (h ^ view.getLong(i)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        long tail = 0;
        for (; i < key.length; i++) {
            tail = tail << 8 | (key[i] & 0xFF);
        }
        h = (h ^ tail) * 0x94D049BB133111EBL;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) h;
    }

    private int bucketOf(int hash) {
        return hash & (buckets - 1);
    }

    private int stripeOf(int bucket) {
        return bucket & (stripes - 1);
    }

    private int at(int relative) {
        return base + relative;
    }

    private int seqAt(int s) {
        return base + stripe(s) + STRIPE_SEQ;
    }

    private int stripeField(int s, int field) {
        return base + stripe(s) + field;
    }

    private int headAt(int bucket) {
        return base + bucketsStart(stripes) + bucket * Layout.INT;
    }

    private int freeHeadAt(int s, int sizeClass) {
        return base + stripe(s) + STRIPE_FREE_HEADS + sizeClass * Layout.INT;
    }

    // ---------------------------------------------------------------- reads

    /**
     * @param key encoded key
     * @return a copy of the value's bytes, or null if absent
     */
    public byte[] get(byte[] key) {
        int h = hash(key);
        int bucket = bucketOf(h);
        int s = stripeOf(bucket);
        for (int tries = 0; tries < OPTIMISTIC_TRIES; tries++) {
            long before = b.getLongAcquire(seqAt(s));
            if ((before & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            byte[] value;
            try {
                int e = find(bucket, h, key);
                value = e == 0 ? null : valueOf(e);
            } catch (CorruptSegmentException e) {
                VarHandle.acquireFence();
                if (b.getLongOpaque(seqAt(s)) == before) {
                    throw e;
                }
                continue;
            }
            VarHandle.acquireFence();
            if (b.getLongOpaque(seqAt(s)) == before) {
                return value;
            }
        }
        region.segment().beginOperation(); // the locked read may repair the stripe
        lock(s);
        try {
            int e = find(bucket, h, key);
            return e == 0 ? null : valueOf(e);
        } finally {
            unlock(s);
            region.segment().endOperation();
        }
    }

    /** @return the number of entries (sum of the stripes' counts; a snapshot under concurrent change) */
    public long size() {
        long n = 0;
        for (int s = 0; s < stripes; s++) {
            n += Math.max(0, b.getIntOpaque(stripeField(s, STRIPE_COUNT)));
        }
        return n;
    }

    /**
     * A consistent copy of one stripe's entries: alternating keys and values.
     *
     * @param s stripe index
     * @return the entries of the stripe as they were at one instant
     */
    public List<byte[]> stripeEntries(int s) {
        for (int tries = 0; tries < OPTIMISTIC_TRIES; tries++) {
            long before = b.getLongAcquire(seqAt(s));
            if ((before & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            List<byte[]> out;
            try {
                out = collect(s);
            } catch (CorruptSegmentException e) {
                VarHandle.acquireFence();
                if (b.getLongOpaque(seqAt(s)) == before) {
                    throw e;
                }
                continue;
            }
            VarHandle.acquireFence();
            if (b.getLongOpaque(seqAt(s)) == before) {
                return out;
            }
        }
        region.segment().beginOperation(); // the locked read may repair the stripe
        lock(s);
        try {
            return collect(s);
        } finally {
            unlock(s);
            region.segment().endOperation();
        }
    }

    /** @return the number of stripes (for iteration) */
    public int stripes() {
        return stripes;
    }

    private List<byte[]> collect(int s) {
        List<byte[]> out = new ArrayList<>();
        int steps = 0;
        for (int bucket = s; bucket < buckets; bucket += stripes) {
            int e = b.getIntAcquire(headAt(bucket));
            while (e != 0) {
                if (++steps > maxSteps) {
                    throw corrupt("a chain of stripe " + s + " is longer than the heap can hold: steps=" + steps);
                }
                checkEntry(e);
                out.add(keyOf(e));
                out.add(valueOf(e));
                e = b.getIntAcquire(at(e + BLOCK_NEXT));
            }
        }
        return out;
    }

    /** @return the entry with that key in the bucket, 0 if none; checks every block it reads */
    private int find(int bucket, int h, byte[] key) {
        int e = b.getIntAcquire(headAt(bucket));
        int steps = 0;
        while (e != 0) {
            if (++steps > maxSteps) {
                throw corrupt("the chain of bucket " + bucket + " is longer than the heap can hold: steps=" + steps);
            }
            checkEntry(e);
            if (b.getInt(at(e + BLOCK_HASH)) == h && keyEquals(e, key)) {
                return e;
            }
            e = b.getIntAcquire(at(e + BLOCK_NEXT));
        }
        return 0;
    }

    private boolean keyEquals(int e, byte[] key) {
        if (b.getInt(at(e + BLOCK_KEY_LENGTH)) != key.length) {
            return false;
        }
        byte[] stored = new byte[key.length];
        b.getBytes(at(e + BLOCK_DATA), stored, 0, key.length);
        return Arrays.equals(stored, key);
    }

    private byte[] keyOf(int e) {
        byte[] k = new byte[b.getInt(at(e + BLOCK_KEY_LENGTH))];
        b.getBytes(at(e + BLOCK_DATA), k, 0, k.length);
        return k;
    }

    private byte[] valueOf(int e) {
        int keyLength = b.getInt(at(e + BLOCK_KEY_LENGTH));
        byte[] v = new byte[b.getInt(at(e + BLOCK_VALUE_LENGTH))];
        b.getBytes(at(e + BLOCK_DATA + keyLength), v, 0, v.length);
        return v;
    }

    /** Checks a block offset and its header: inside the heap, aligned, lengths inside its class. */
    private int checkBlock(int e) {
        if (e < heapStart || e > heapEnd - MIN_BLOCK || (e - heapStart) % BLOCK_ALIGNMENT != 0) {
            throw corrupt("block offset " + e + " is outside the heap [" + heapStart + ", " + heapEnd + ")");
        }
        int sizeClass = b.getInt(at(e + BLOCK_CLASS)) & 0xFF;
        if (sizeClass >= CLASSES || classSize(sizeClass) > heapEnd - e) {
            throw corrupt("block at " + e + " has class " + sizeClass + " that does not fit the heap");
        }
        return sizeClass;
    }

    private void checkEntry(int e) {
        int sizeClass = checkBlock(e);
        long k = b.getInt(at(e + BLOCK_KEY_LENGTH));
        long v = b.getInt(at(e + BLOCK_VALUE_LENGTH));
        if (k < 0 || v < 0 || BLOCK_DATA + k + v > classSize(sizeClass)) {
            throw corrupt("entry at " + e + " has keyLength=" + k + ", valueLength=" + v + " beyond its block of "
                    + classSize(sizeClass) + " bytes");
        }
    }

    private CorruptSegmentException corrupt(String what) {
        return new CorruptSegmentException(description + " is corrupt: " + what);
    }

    // ---------------------------------------------------------------- writes

    /** What {@link #update} passes back: keep the entry as it is. */
    public static byte[] keep() {
        return KEEP;
    }

    /**
     * The one write operation: with the key's stripe locked, {@code decide} gets the current value
     * (null if absent) and returns the new value, null to remove, or {@link #keep()}.
     *
     * @param key encoded key
     * @param decide runs in the calling thread while the stripe is locked; if it throws, nothing changes
     * @return the value before the update, null if absent
     * @throws SegmentFullException if a new value does not fit: nothing changed
     */
    public byte[] update(byte[] key, UnaryOperator<byte[]> decide) {
        int h = hash(key);
        int bucket = bucketOf(h);
        int s = stripeOf(bucket);
        region.segment().beginOperation();
        try {
            return updateLocked(key, decide, h, bucket, s);
        } finally {
            region.segment().endOperation();
        }
    }

    private byte[] updateLocked(byte[] key, UnaryOperator<byte[]> decide, int h, int bucket, int s) {
        lock(s);
        try {
            int link = headAt(bucket);
            int e = b.getInt(link);
            int steps = 0;
            while (e != 0) {
                if (++steps > maxSteps) {
                    throw corrupt("the chain of bucket " + bucket + " is longer than the heap can hold");
                }
                checkEntry(e);
                if (b.getInt(at(e + BLOCK_HASH)) == h && keyEquals(e, key)) {
                    break;
                }
                link = at(e + BLOCK_NEXT);
                e = b.getInt(link);
            }
            byte[] current = e == 0 ? null : valueOf(e);
            byte[] next = decide.apply(current);
            if (next == KEEP || (next == null && e == 0)) {
                return current;
            }
            if (next == null) {
                publish(s, bucket, link, 0, e, b.getInt(at(e + BLOCK_NEXT)), -1);
            } else if (e != 0 && next.length == Long.BYTES && current.length == Long.BYTES
                    && (at(e + BLOCK_DATA + key.length) & (Long.BYTES - 1)) == 0) {
                overwriteInPlace(s, at(e + BLOCK_DATA + key.length), next);
            } else {
                int n = allocate(s, (long) BLOCK_DATA + key.length + next.length);
                b.setInt(at(n + BLOCK_HASH), h);
                b.setInt(at(n + BLOCK_KEY_LENGTH), key.length);
                b.setInt(at(n + BLOCK_VALUE_LENGTH), next.length);
                b.putBytes(at(n + BLOCK_DATA), key, 0, key.length);
                b.putBytes(at(n + BLOCK_DATA + key.length), next, 0, next.length);
                int successor = e == 0 ? b.getInt(link) : b.getInt(at(e + BLOCK_NEXT));
                b.setInt(at(n + BLOCK_NEXT), successor);
                CrashPoints.reach("written");
                publish(s, bucket, link, n, e, n, e == 0 ? 1 : 0);
            }
            return current;
        } finally {
            unlock(s);
        }
    }

    /**
     * Logs, opens the window, makes the one store that publishes, frees the old block, closes the window.
     *
     * @param link absolute offset of the int that names the entry (a bucket head or a next field)
     * @param n the new block, 0 for a remove
     * @param e the old block, 0 for an insert
     * @param linkValue what {@code link} becomes
     * @param countDelta entries added (+1 insert, 0 replace, -1 remove)
     */
    private void publish(int s, int bucket, int link, int n, int e, int linkValue, int countDelta) {
        b.setInt(stripeField(s, LOG_NEW), n);
        b.setInt(stripeField(s, LOG_OLD), e);
        b.setInt(stripeField(s, LOG_BUCKET), bucket);
        b.setIntRelease(stripeField(s, LOG_STATE), PUBLISHING);
        CrashPoints.reach("publish-logged");
        beginWindow(s);
        CrashPoints.reach("window-open");
        b.setIntRelease(link, linkValue);
        CrashPoints.reach("linked");
        if (e != 0) {
            free(s, e);
            CrashPoints.reach("freed");
        }
        b.setIntOpaque(stripeField(s, STRIPE_COUNT), b.getInt(stripeField(s, STRIPE_COUNT)) + countDelta);
        endWindow(s);
        CrashPoints.reach("window-closed");
        b.setIntRelease(stripeField(s, LOG_STATE), IDLE);
    }

    /**
     * The fixed-size fast path: an 8-byte value replaced by an 8-byte value (a {@code long}
     * counter, say) is written in place with one aligned 8-byte store inside the window, with no
     * allocation and no log: a writer killed at any point leaves the old or the new value, and the
     * next locker finds the version odd and repairs it.
     */
    private void overwriteInPlace(int s, int valueAt, byte[] value) {
        long v = ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong(0);
        beginWindow(s);
        CrashPoints.reach("in-place-window-open");
        b.setLongRelease(valueAt, v);
        CrashPoints.reach("in-place-written");
        endWindow(s);
    }

    private void beginWindow(int s) {
        b.setLongOpaque(seqAt(s), b.getLong(seqAt(s)) + 1);
        VarHandle.releaseFence(); // the odd version is visible before any store of the window
    }

    private void endWindow(int s) {
        b.setLongRelease(seqAt(s), b.getLong(seqAt(s)) + 1);
    }

    /** Pushes a block on its class's free list of stripe {@code s}; the caller holds the stripe. */
    private void free(int s, int block) {
        int sizeClass = checkBlock(block);
        int head = freeHeadAt(s, sizeClass);
        b.setInt(at(block + BLOCK_NEXT), b.getInt(head));
        CrashPoints.reach("free-next-set");
        b.setIntRelease(head, block);
        addFreeBytes(s, classSize(sizeClass));
    }

    private void addFreeBytes(int s, long delta) {
        b.setLongOpaque(stripeField(s, STRIPE_FREE_BYTES), b.getLong(stripeField(s, STRIPE_FREE_BYTES)) + delta);
    }

    /**
     * Takes a block of at least {@code bytes}: the stripe's free list of its class, fresh heap, then
     * a larger class's free list. On return the log is ALLOCATING with the block, which is owned.
     */
    private int allocate(int s, long bytes) {
        if (bytes > heapEnd - heapStart) {
            throw full(bytes, s);
        }
        int sizeClass = Math.max(minClass, classFor(bytes));
        int block = popFree(s, sizeClass);
        if (block != 0) {
            return block;
        }
        long size = classSize(sizeClass);
        int stamp = b.getInt(stripeField(s, STRIPE_OP_SEQ)) + 1;
        b.setInt(stripeField(s, STRIPE_OP_SEQ), stamp);
        int cursorAt = at(CURSOR_OFFSET);
        long c = b.getLongVolatile(cursorAt);
        while (c >= heapStart && c + size <= heapEnd) {
            b.setInt(stripeField(s, LOG_NEW), (int) c);
            b.setInt(stripeField(s, LOG_SOURCE), SOURCE_BUMP);
            b.setInt(stripeField(s, LOG_STAMP), stamp);
            b.setInt(stripeField(s, LOG_REST), sizeClass);
            b.setIntRelease(stripeField(s, LOG_STATE), ALLOCATING);
            CrashPoints.reach("bump-logged");
            long seen = b.compareAndExchangeLong(cursorAt, c, c + size);
            if (seen == c) {
                int n = (int) c;
                CrashPoints.reach("bump-claimed");
                b.setInt(at(n + BLOCK_STAMP), stamp);
                b.setIntRelease(at(n + BLOCK_CLASS), sizeClass | (s + 1) << 8);
                CrashPoints.reach("bump-stamped");
                return n;
            }
            c = seen;
        }
        for (int larger = sizeClass + 1; larger < CLASSES; larger++) {
            block = popFree(s, larger);
            if (block != 0) {
                return block;
            }
        }
        block = steal(s, sizeClass);
        if (block != 0) {
            return block;
        }
        b.setIntRelease(stripeField(s, LOG_STATE), IDLE);
        throw full(bytes, s);
    }

    /**
     * Takes a free block of {@code sizeClass} or larger from another stripe, whose lock is tried
     * (never waited for, so two stealing stripes cannot deadlock). The block's owner field is the
     * commit point of the transfer: the other stripe's log says ALLOCATING until the block names
     * this stripe, so whichever recovery runs sees exactly one owner.
     *
     * @return the block, owned by stripe {@code s} and logged ALLOCATING in its log; 0 if none
     */
    private int steal(int s, int sizeClass) {
        for (int i = 1; i < stripes; i++) {
            int other = (s + i) & (stripes - 1);
            if (b.getLongOpaque(stripeField(other, STRIPE_FREE_BYTES)) < classSize(sizeClass)
                    || !tryLock(other)) {
                continue;
            }
            try {
                for (int c = sizeClass; c < CLASSES; c++) {
                    int block = popFree(other, c);
                    if (block == 0) {
                        continue;
                    }
                    b.setInt(stripeField(s, LOG_NEW), block);
                    b.setInt(stripeField(s, LOG_SOURCE), SOURCE_LIST);
                    b.setIntRelease(stripeField(s, LOG_STATE), ALLOCATING);
                    CrashPoints.reach("steal-logged");
                    b.setIntRelease(at(block + BLOCK_CLASS), c | (s + 1) << 8);
                    CrashPoints.reach("steal-owned");
                    b.setIntRelease(stripeField(other, LOG_STATE), IDLE);
                    return block;
                }
            } finally {
                unlock(other);
            }
        }
        return 0;
    }

    private int popFree(int s, int sizeClass) {
        int head = freeHeadAt(s, sizeClass);
        int block = b.getInt(head);
        if (block == 0) {
            return 0;
        }
        if (checkBlock(block) != sizeClass) {
            throw corrupt("free list " + sizeClass + " of stripe " + s + " holds a block of class "
                    + (b.getInt(at(block + BLOCK_CLASS)) & 0xFF));
        }
        b.setInt(stripeField(s, LOG_NEW), block);
        b.setInt(stripeField(s, LOG_SOURCE), SOURCE_LIST);
        b.setIntRelease(stripeField(s, LOG_STATE), ALLOCATING);
        CrashPoints.reach("pop-logged");
        b.setInt(head, b.getInt(at(block + BLOCK_NEXT)));
        CrashPoints.reach("popped");
        addFreeBytes(s, -classSize(sizeClass));
        return block;
    }

    private SegmentFullException full(long bytes, int s) {
        long cursor = b.getLongVolatile(at(CURSOR_OFFSET));
        long fresh = Math.max(0, heapEnd - cursor);
        long stripeFree = b.getLongOpaque(stripeField(s, STRIPE_FREE_BYTES));
        return new SegmentFullException(description + " is full: asked " + bytes + " bytes (block of "
                + (bytes > heapEnd - heapStart ? "more than the heap"
                        : classSize(Math.max(minClass, classFor(bytes))) + " bytes")
                + "), free: " + fresh + " bytes never used + " + stripeFree + " bytes in stripe " + s
                + "'s free lists (" + freeBytes() + " bytes free in all stripes); create the map with a larger"
                + " capacity (entries, average key and value sizes)");
    }

    /**
     * Removes every entry, stripe by stripe (each stripe atomically; the whole is not atomic).
     */
    public void clear() {
        region.segment().beginOperation();
        try {
            clearStripes();
        } finally {
            region.segment().endOperation();
        }
    }

    private void clearStripes() {
        for (int s = 0; s < stripes; s++) {
            lock(s);
            try {
                for (int bucket = s; bucket < buckets; bucket += stripes) {
                    int chain = b.getInt(headAt(bucket));
                    if (chain == 0) {
                        continue;
                    }
                    b.setInt(stripeField(s, LOG_BUCKET), bucket);
                    b.setInt(stripeField(s, LOG_REST), chain);
                    b.setIntRelease(stripeField(s, LOG_STATE), CLEARING);
                    beginWindow(s);
                    CrashPoints.reach("clear-logged");
                    b.setIntRelease(headAt(bucket), 0);
                    CrashPoints.reach("clear-detached");
                    int freed = freeChain(s, chain);
                    b.setIntOpaque(stripeField(s, STRIPE_COUNT), b.getInt(stripeField(s, STRIPE_COUNT)) - freed);
                    endWindow(s);
                    b.setIntRelease(stripeField(s, LOG_STATE), IDLE);
                }
            } finally {
                unlock(s);
            }
        }
    }

    /**
     * Frees a detached chain block by block, logging FREEING (block, rest) before each.
     *
     * @return the blocks freed
     */
    private int freeChain(int s, int chain) {
        int e = chain;
        int steps = 0;
        while (e != 0) {
            if (++steps > maxSteps) {
                throw corrupt("a detached chain of stripe " + s + " is longer than the heap can hold");
            }
            checkBlock(e);
            int rest = b.getInt(at(e + BLOCK_NEXT));
            b.setInt(stripeField(s, LOG_OLD), e);
            b.setInt(stripeField(s, LOG_REST), rest);
            b.setIntRelease(stripeField(s, LOG_STATE), FREEING);
            CrashPoints.reach("freeing-logged");
            free(s, e);
            CrashPoints.reach("chain-block-freed");
            e = rest;
        }
        return steps;
    }

    // ---------------------------------------------------------------- locking and recovery

    /**
     * Takes the stripe lock and repairs the stripe if its previous holder died in the middle of
     * something: the lock was taken over, or (a recoverer that failed) the log is not IDLE or the
     * version is odd. A live holder always leaves the log IDLE and the version even.
     */
    private void lock(int s) {
        locks[s].lock();
        boolean tookOver = locks[s].lockRecovered();
        if (tookOver || b.getIntAcquire(stripeField(s, LOG_STATE)) != IDLE || (b.getLong(seqAt(s)) & 1) != 0) {
            try {
                recover(s, tookOver);
            } catch (RuntimeException | Error e) {
                locks[s].unlock();
                throw e;
            }
        }
    }

    /** {@link #lock}, without waiting: false if another thread or process holds the stripe. */
    private boolean tryLock(int s) {
        if (!locks[s].tryLock()) {
            return false;
        }
        boolean tookOver = locks[s].lockRecovered();
        if (tookOver || b.getIntAcquire(stripeField(s, LOG_STATE)) != IDLE || (b.getLong(seqAt(s)) & 1) != 0) {
            try {
                recover(s, tookOver);
            } catch (RuntimeException | Error e) {
                locks[s].unlock();
                throw e;
            }
        }
        return true;
    }

    private void unlock(int s) {
        locks[s].unlock();
    }

    /**
     * Repairs a stripe whose lock was taken over from a dead holder: finishes or undoes what its log
     * names, makes the version even, recounts. The caller holds the stripe lock. Idempotent.
     */
    private void recover(int s, boolean tookOver) {
        if ((b.getLong(seqAt(s)) & 1) == 0) {
            beginWindow(s); // readers that overlap the repair retry
        }
        int state = b.getIntAcquire(stripeField(s, LOG_STATE));
        int n = b.getInt(stripeField(s, LOG_NEW));
        int e = b.getInt(stripeField(s, LOG_OLD));
        int bucket = b.getInt(stripeField(s, LOG_BUCKET));
        switch (state) {
            case IDLE:
                break;
            case ALLOCATING:
                releaseIfOwned(s, n);
                break;
            case PUBLISHING: {
                checkBucket(bucket, s);
                boolean committed = n != 0 ? reachable(bucket, n) : !reachable(bucket, e);
                if (committed) {
                    if (e != 0 && !headsFreeList(s, e)) {
                        free(s, e);
                    }
                } else if (n != 0 && !headsFreeList(s, n)) {
                    free(s, n);
                }
                break;
            }
            case CLEARING: {
                checkBucket(bucket, s);
                int chain = b.getInt(stripeField(s, LOG_REST));
                if (b.getInt(headAt(bucket)) == 0 && chain != 0) {
                    freeChain(s, chain);
                }
                break;
            }
            case FREEING: {
                int rest = b.getInt(stripeField(s, LOG_REST));
                if (e != 0 && !headsFreeList(s, e)) {
                    free(s, e);
                }
                freeChain(s, rest);
                break;
            }
            default:
                throw corrupt("stripe " + s + " has log state " + state);
        }
        b.setIntOpaque(stripeField(s, STRIPE_COUNT), countStripe(s));
        b.setLongOpaque(stripeField(s, STRIPE_FREE_BYTES), countFreeBytes(s));
        long seq = b.getLong(seqAt(s));
        if ((seq & 1) != 0) {
            b.setLongRelease(seqAt(s), seq + 1);
        }
        b.setIntRelease(stripeField(s, LOG_STATE), IDLE);
        if (tookOver) {
            b.getAndAddLong(stripeField(s, STRIPE_RECOVERIES), 1);
        }
    }

    /** ALLOCATING: give back a block the dead writer may have taken. */
    private void releaseIfOwned(int s, int n) {
        int source = b.getInt(stripeField(s, LOG_SOURCE));
        if (source == SOURCE_LIST) {
            checkBlock(n);
            // Owned iff the block names this stripe (a steal moves the owner field last) and it
            // is not back on this stripe's list already.
            if (b.getInt(at(n + BLOCK_CLASS)) >>> 8 == s + 1 && !headsFreeList(s, n)) {
                free(s, n);
            }
        } else if (source == SOURCE_BUMP) {
            long cursor = b.getLongVolatile(at(CURSOR_OFFSET));
            if (cursor <= n || n < heapStart || n > heapEnd - MIN_BLOCK) {
                return; // the CAS never happened
            }
            int word = b.getIntAcquire(at(n + BLOCK_CLASS));
            int stamp = b.getInt(at(n + BLOCK_STAMP));
            if (word >>> 8 == s + 1 && stamp == b.getInt(stripeField(s, LOG_STAMP))) {
                free(s, n);
            } else if (word == 0) {
                // Killed between the CAS and the header (or another writer is there right now): do
                // not touch it; count the bytes it may have lost.
                int sizeClass = b.getInt(stripeField(s, LOG_REST));
                long lost = sizeClass >= 0 && sizeClass < CLASSES ? classSize(sizeClass) : MIN_BLOCK;
                b.getAndAddLong(stripeField(s, STRIPE_LEAKED), lost);
            }
        }
    }

    private void checkBucket(int bucket, int s) {
        if (bucket < 0 || bucket >= buckets || stripeOf(bucket) != s) {
            throw corrupt("stripe " + s + " logs bucket " + bucket);
        }
    }

    private boolean headsFreeList(int s, int block) {
        int sizeClass = checkBlock(block);
        return b.getInt(freeHeadAt(s, sizeClass)) == block;
    }

    private boolean reachable(int bucket, int block) {
        int e = b.getInt(headAt(bucket));
        int steps = 0;
        while (e != 0) {
            if (e == block) {
                return true;
            }
            if (++steps > maxSteps) {
                throw corrupt("the chain of bucket " + bucket + " is longer than the heap can hold");
            }
            checkBlock(e);
            e = b.getInt(at(e + BLOCK_NEXT));
        }
        return false;
    }

    private int countStripe(int s) {
        int n = 0;
        for (int bucket = s; bucket < buckets; bucket += stripes) {
            int e = b.getInt(headAt(bucket));
            while (e != 0) {
                if (++n > maxSteps) {
                    throw corrupt("stripe " + s + " holds more entries than the heap can hold");
                }
                checkBlock(e);
                e = b.getInt(at(e + BLOCK_NEXT));
            }
        }
        return n;
    }

    private long countFreeBytes(int s) {
        long bytes = 0;
        int steps = 0;
        for (int c = 0; c < CLASSES; c++) {
            int e = b.getInt(freeHeadAt(s, c));
            while (e != 0) {
                if (++steps > maxSteps) {
                    throw corrupt("the free lists of stripe " + s + " are longer than the heap can hold");
                }
                bytes += classSize(checkBlock(e));
                e = b.getInt(at(e + BLOCK_NEXT));
            }
        }
        return bytes;
    }

    // ---------------------------------------------------------------- statistics (inspection)

    /** @return bytes of the heap in free lists plus never used */
    public long freeBytes() {
        long free = Math.max(0, heapEnd - b.getLongVolatile(at(CURSOR_OFFSET)));
        for (int s = 0; s < stripes; s++) {
            free += Math.max(0, b.getLongOpaque(stripeField(s, STRIPE_FREE_BYTES)));
        }
        return free;
    }

    /** @return bytes of the heap in blocks that hold entries (or are in flight) */
    public long usedBytes() {
        return Math.max(0, (heapEnd - heapStart) - freeBytes());
    }

    /** @return stripe take-overs from dead writers since creation */
    public long recoveries() {
        long n = 0;
        for (int s = 0; s < stripes; s++) {
            n += b.getLongOpaque(stripeField(s, STRIPE_RECOVERIES));
        }
        return n;
    }

    /** @return bytes counted as possibly lost by writers killed between taking fresh heap and stamping it */
    public long leakedBytes() {
        long n = 0;
        for (int s = 0; s < stripes; s++) {
            n += b.getLongOpaque(stripeField(s, STRIPE_LEAKED));
        }
        return n;
    }

    /** @return stripes whose lock is held right now */
    public int stripesHeld() {
        int n = 0;
        for (int s = 0; s < stripes; s++) {
            if (locks[s].isLocked()) {
                n++;
            }
        }
        return n;
    }

    /** @return the capacity the map was created for, in entries */
    public int capacity() {
        return b.getInt(at(CAPACITY_OFFSET));
    }

    /** @return the heap's size in bytes */
    public long heapBytes() {
        return heapEnd - heapStart;
    }

    /** @return e.g. {@code SharedMap 'scores' in segment 'app'}, for messages */
    public String description() {
        return description;
    }

    /** @return the object */
    public ObjectRegion region() {
        return region;
    }
}
