package io.interproc.stress;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * A fixed ring of slots of shared objects that jcstress states lease in turn: fresh objects for
 * each state without creating a named object per state (names are never freed, and a segment's
 * directory is fixed in size). It has nothing to do with the process pool ({@code ProcessPool}).
 *
 * <p>jcstress 0.16 keeps {@code strideSize × strideCount} states (at most 256 × 40 = 10240 with
 * the default options) in an array; the actors run through all of them, then each actor thread
 * runs the arbiters of, and re-creates, its half of the array — while the other thread may still
 * be arbitrating its own half. So a slot handed to a new state can be reused safely once
 * twice that many states have been handed out. {@link #SIZE} is {@value #DEFAULT_SIZE} unless the
 * system property {@code interproc.stress.poolSize} says otherwise (raise it with
 * {@code -jvmArgsPrepend -Dinterproc.stress.poolSize=N} when running with larger strides).
 *
 * <p>Items are made lazily by the factory, once per slot, and kept: a test resets the item's
 * shared state in its {@code @State} constructor. A {@link Lease} remembers which hand-out it is;
 * {@link Lease#check()} (called at the end of each test's last step) throws if the slot was handed
 * out again meanwhile, so a ring that is too small fails the test loudly instead of mixing two
 * states' data.
 *
 * @param <T> the item of a slot: usually a handle per attachment of a few named objects
 */
public final class RecycledObjects<T> {
    /** Default number of slots: twice jcstress's largest default epoch, rounded up. */
    public static final int DEFAULT_SIZE = 1 << 15;
    /** Number of slots of every ring. */
    public static final int SIZE = Integer.getInteger("interproc.stress.poolSize", DEFAULT_SIZE);

    private final AtomicLong handedOut = new AtomicLong();
    private final AtomicLongArray leases = new AtomicLongArray(SIZE);
    private final AtomicReferenceArray<T> items = new AtomicReferenceArray<>(SIZE);
    private final IntFunction<T> factory;

    /**
     * @param factory makes the item of a slot (opens or creates its named objects); may run more
     *     than once for one slot when two states race, so it must be idempotent
     *     ({@code openOrCreate})
     */
    public RecycledObjects(IntFunction<T> factory) {
        this.factory = factory;
    }

    /** @return a slot's item for a new state */
    public Lease<T> claim() {
        long lease = handedOut.getAndIncrement();
        int slot = (int) (lease % SIZE);
        leases.set(slot, lease);
        T item = items.get(slot);
        if (item == null) {
            item = factory.apply(slot);
            if (!items.compareAndSet(slot, null, item)) {
                item = items.get(slot);
            }
        }
        return new Lease<>(this, slot, lease, item);
    }

    /**
     * One hand-out of a slot to a state.
     *
     * @param <T> the item type
     */
    public static final class Lease<T> {
        /** The slot's item. */
        public final T item;
        /** The slot number, for per-slot elements of shared arrays. */
        public final int slot;
        private final RecycledObjects<T> owner;
        private final long lease;

        Lease(RecycledObjects<T> owner, int slot, long lease, T item) {
            this.owner = owner;
            this.slot = slot;
            this.lease = lease;
            this.item = item;
        }

        /**
         * @throws IllegalStateException if the slot has been handed to another state since
         */
        public void check() {
            long now = owner.leases.get(slot);
            if (now != lease) {
                throw new IllegalStateException("pool slot " + slot + " was handed out again while in use (lease "
                        + lease + ", now " + now + "): run with -jvmArgsPrepend -Dinterproc.stress.poolSize=N, "
                        + "N >= 2 x strideSize x strideCount; now N=" + SIZE);
            }
        }
    }

    /**
     * Segment size for a test whose slots hold {@code objectsPerSlot} named objects of at
     * most {@code objectBytes} each, plus {@code extraBytes} for other objects.
     *
     * @param objectsPerSlot named objects per slot
     * @param objectBytes largest object size
     * @param extraBytes room for the test's other objects
     * @return bytes
     */
    public static long segmentSize(int objectsPerSlot, long objectBytes, long extraBytes) {
        long perObject = (objectBytes + 127) / 128 * 128;
        return (4L << 20) + directoryEntries(objectsPerSlot) * 128L + (long) SIZE * objectsPerSlot * perObject
                + extraBytes;
    }

    /**
     * @param objectsPerSlot named objects per slot
     * @return directory entries for a test's segment: at most half full (linear probing)
     */
    public static int directoryEntries(int objectsPerSlot) {
        long wanted = Math.max(64, 2L * SIZE * objectsPerSlot + 64);
        return (int) Math.min(1 << 20, Long.highestOneBit(wanted - 1) << 1);
    }
}
