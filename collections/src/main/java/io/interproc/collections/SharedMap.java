package io.interproc.collections;

import io.interproc.collections.internal.CollectionKinds;
import io.interproc.collections.internal.MapStore;
import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.spi.OpenMode;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A {@link ConcurrentMap} in a segment that many processes read and update at once: Python's
 * {@code Manager().dict()} without a manager process. Keys and values are stored as the bytes of
 * their {@link Codec}s (the built-ins, {@link Codec#serializable} with its allow-list, or any
 * codec); two keys are the same key exactly when their encodings are equal, so a key codec must
 * encode equal keys to equal bytes. {@code null} keys and values are refused, as in
 * {@link java.util.concurrent.ConcurrentHashMap}.
 *
 * <p><b>Atomicity.</b> Every single-key operation ({@code get}, {@code put}, {@code remove},
 * {@code putIfAbsent}, both {@code replace}s, {@code compute}, {@code computeIfAbsent},
 * {@code computeIfPresent}, {@code merge}, {@code containsKey}) is atomic across all processes.
 * The functions of {@code compute*} and {@code merge} run in the calling thread while the key's
 * stripe (a robust lock shared with other keys) is held, exactly once per call; they must be short
 * and must not use this map. If the calling process dies while a function runs, the entry is
 * unchanged and the stripe is taken over by the next process that needs it (see below). A
 * function that throws leaves the entry unchanged and the exception propagates.
 *
 * <p><b>Reads</b> take no lock: they read a stripe's version, copy the entry's bytes and check the
 * version again, so readers in any number of processes never block each other or writers, and
 * see only values some writer stored completely. {@code size()}, {@code clear()}, iteration and
 * the views are weakly consistent, like {@link java.util.concurrent.ConcurrentHashMap}'s: each
 * stripe is read (or cleared) atomically, the whole is not, and concurrent change never causes an
 * error. {@link #snapshot()} copies the entries into a {@link HashMap}.
 *
 * <p><b>Memory consistency.</b> Actions in a thread (of any process) before it stores a value
 * happen-before the actions after another thread's read that returns that value, or after an
 * update that replaces it.
 *
 * <p><b>Space.</b> A map is created for a number of entries with average key and value sizes
 * ({@link #bytesNeeded}); entries may be larger or smaller. Space is kept in blocks of size
 * classes (32, 48, 64, 96, 128, ... bytes), none smaller than the block of an average entry, so
 * every entry up to the average sizes takes the same block; the block of a removed or replaced
 * entry is reused for a later entry of its class or a smaller one (first by its own stripe, else
 * by any other), so churn among entries up to the average sizes never runs out. Blocks are not
 * merged: a map with many entries larger than its average, whose sizes drift, can run out while
 * blocks of other classes are free; size it for the larger entries. A write that does not fit
 * throws {@link io.interproc.core.SegmentFullException} naming the bytes asked and free, and
 * changes nothing.
 *
 * <p><b>Crash safety.</b> A writer killed with {@code kill -9} at any instruction leaves every
 * entry either as it was or as it wrote it, never half-written, and loses no other entry; the
 * stripe it held is taken over by the next process that needs it (as a {@code SharedLock} is) and
 * repaired from the stripe's undo log; space the dead writer held goes back to a free list, except
 * one block if it died in the few instructions between claiming fresh space and stamping it,
 * which {@link #leakedBytes()} counts. Corrupt bytes give
 * {@link io.interproc.core.CorruptSegmentException}, never a loop or a crash.
 *
 * <p>Handles are thread-safe; any thread of a process attached to the segment may call any method.
 * A handle is unusable once its segment is closed ({@link IllegalStateException}).
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class SharedMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V> {
    private final MapStore store;
    private final Segment segment;
    private final Codec<K> keys;
    private final Codec<V> values;
    private final EntrySet entrySet = new EntrySet();

    SharedMap(ObjectRegion region, Codec<K> keys, Codec<V> values) {
        this.store = MapStore.over(region);
        this.segment = region.segment();
        this.keys = Objects.requireNonNull(keys, "keyCodec");
        this.values = Objects.requireNonNull(values, "valueCodec");
    }

    // ---------------------------------------------------------------- factories

    /**
     * Bytes a map of this capacity takes in its segment (make the segment this much larger, plus
     * its own header and directory: {@code 64 KiB} covers those for a small segment).
     *
     * @param entries how many entries it must hold, &gt;= 1
     * @param averageKeyBytes average size of an encoded key
     * @param averageValueBytes average size of an encoded value
     * @return bytes of the map object
     * @throws IllegalArgumentException if an argument is negative or the map would exceed 2 GiB
     */
    public static long bytesNeeded(int entries, int averageKeyBytes, int averageValueBytes) {
        return MapStore.bytesFor(entries, averageKeyBytes, averageValueBytes);
    }

    /**
     * Creates an empty map. Any thread of an attached process.
     *
     * @param segment where it lives
     * @param name its name in the segment
     * @param keyCodec encodes keys; equal keys must encode to equal bytes
     * @param valueCodec encodes values
     * @param entries capacity in entries, &gt;= 1
     * @param averageKeyBytes average encoded key size
     * @param averageValueBytes average encoded value size
     * @param <K> key type
     * @param <V> value type
     * @return the new map
     * @throws io.interproc.core.ObjectExistsException if the name exists
     * @throws io.interproc.core.SegmentFullException if the segment has no room for it
     * @throws IllegalArgumentException if the capacity is out of range
     * @throws IllegalStateException if the segment is closed
     */
    public static <K, V> SharedMap<K, V> create(Segment segment, String name, Codec<K> keyCodec, Codec<V> valueCodec,
            int entries, int averageKeyBytes, int averageValueBytes) {
        return of(segment, name, OpenMode.CREATE, keyCodec, valueCodec, entries, averageKeyBytes, averageValueBytes);
    }

    /**
     * Opens an existing map. The codecs must be those it was created with (they are not stored).
     *
     * @param segment where it lives
     * @param name its name
     * @param keyCodec the key codec
     * @param valueCodec the value codec
     * @param <K> key type
     * @param <V> value type
     * @return the map
     * @throws io.interproc.core.NoSuchObjectException if there is none
     * @throws io.interproc.core.KindMismatchException if the name is another kind of object
     * @throws io.interproc.core.CorruptSegmentException if its header is damaged
     * @throws IllegalStateException if the segment is closed
     */
    public static <K, V> SharedMap<K, V> open(Segment segment, String name, Codec<K> keyCodec, Codec<V> valueCodec) {
        return of(segment, name, OpenMode.OPEN, keyCodec, valueCodec, 1, 0, 0);
    }

    /**
     * Opens the map, creating it empty if it does not exist; processes racing to do this get the
     * same map (the capacity of whoever created it).
     *
     * @return the map
     * @see #create
     */
    public static <K, V> SharedMap<K, V> openOrCreate(Segment segment, String name, Codec<K> keyCodec,
            Codec<V> valueCodec, int entries, int averageKeyBytes, int averageValueBytes) {
        return of(segment, name, OpenMode.OPEN_OR_CREATE, keyCodec, valueCodec, entries, averageKeyBytes,
                averageValueBytes);
    }

    private static <K, V> SharedMap<K, V> of(Segment segment, String name, OpenMode mode, Codec<K> keyCodec,
            Codec<V> valueCodec, int entries, int averageKeyBytes, int averageValueBytes) {
        Objects.requireNonNull(keyCodec, "keyCodec");
        Objects.requireNonNull(valueCodec, "valueCodec");
        long bytes = MapStore.bytesFor(entries, averageKeyBytes, averageValueBytes);
        ObjectRegion region = segment.object(name, CollectionKinds.MAP, mode, bytes,
                MapStore.initializer(entries, averageKeyBytes, averageValueBytes));
        return new SharedMap<>(region, keyCodec, valueCodec);
    }

    // ---------------------------------------------------------------- identity and statistics

    /** @return the map's name in its segment */
    public String name() {
        return store.region().name();
    }

    /** @return the attachment this handle was opened through */
    public Segment segment() {
        return segment;
    }

    /** @return the capacity in entries the map was created for */
    public int capacity() {
        return store.capacity();
    }

    /** @return bytes of the map's heap in entries (a snapshot) */
    public long usedBytes() {
        segment.ensureOpen();
        return store.usedBytes();
    }

    /** @return bytes of the map's heap free for entries: reusable blocks plus never used (a snapshot) */
    public long freeBytes() {
        segment.ensureOpen();
        return store.freeBytes();
    }

    /** @return stripe take-overs from writers that died holding them, since creation */
    public long recoveries() {
        segment.ensureOpen();
        return store.recoveries();
    }

    /** @return bytes possibly lost by writers killed while claiming fresh space (at most one block each) */
    public long leakedBytes() {
        segment.ensureOpen();
        return store.leakedBytes();
    }

    // ---------------------------------------------------------------- reads

    @Override
    public V get(Object key) {
        byte[] v = store.get(keyBytes(key));
        return v == null ? null : decodeValue(v);
    }

    @Override
    public boolean containsKey(Object key) {
        return store.get(keyBytes(key)) != null;
    }

    /** {@inheritDoc} Weakly consistent: the sum of the stripes' counts, each read atomically. */
    @Override
    public int size() {
        segment.ensureOpen();
        return (int) Math.min(Integer.MAX_VALUE, store.size());
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    /**
     * {@inheritDoc} The set is a weakly consistent view: its iterator reads one stripe at a time
     * atomically, never throws {@link java.util.ConcurrentModificationException}, and its
     * {@code remove} removes the key; an entry's {@code setValue} puts the value.
     */
    @Override
    public Set<Entry<K, V>> entrySet() {
        return entrySet;
    }

    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action, "action");
        segment.ensureOpen();
        for (int s = 0; s < store.stripes(); s++) {
            List<byte[]> entries = store.stripeEntries(s);
            for (int i = 0; i < entries.size(); i += 2) {
                action.accept(keys.decode(entries.get(i), 0, entries.get(i).length), decodeValue(entries.get(i + 1)));
            }
        }
    }

    /**
     * Copies the entries into a new {@link HashMap}, each stripe atomically (the whole is weakly
     * consistent, as iteration).
     *
     * @return a private copy
     */
    public HashMap<K, V> snapshot() {
        HashMap<K, V> copy = new HashMap<>();
        forEach(copy::put);
        return copy;
    }

    // ---------------------------------------------------------------- writes

    @Override
    public V put(K key, V value) {
        byte[] v = valueBytes(value);
        return decodeNullable(store.update(keyBytes(key), current -> v));
    }

    @Override
    public V remove(Object key) {
        return decodeNullable(store.update(keyBytes(key), current -> null));
    }

    @Override
    public V putIfAbsent(K key, V value) {
        byte[] v = valueBytes(value);
        return decodeNullable(store.update(keyBytes(key), current -> current == null ? v : MapStore.keep()));
    }

    @Override
    public boolean remove(Object key, Object value) {
        if (value == null) {
            return false;
        }
        boolean[] removed = new boolean[1];
        store.update(keyBytes(key), current -> {
            removed[0] = current != null && value.equals(decodeValue(current));
            return removed[0] ? null : MapStore.keep();
        });
        return removed[0];
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        Objects.requireNonNull(oldValue, "oldValue");
        byte[] v = valueBytes(newValue);
        boolean[] replaced = new boolean[1];
        store.update(keyBytes(key), current -> {
            replaced[0] = current != null && oldValue.equals(decodeValue(current));
            return replaced[0] ? v : MapStore.keep();
        });
        return replaced[0];
    }

    @Override
    public V replace(K key, V value) {
        byte[] v = valueBytes(value);
        return decodeNullable(store.update(keyBytes(key), current -> current != null ? v : MapStore.keep()));
    }

    /**
     * {@inheritDoc} The function runs once, in the calling thread, while the key's stripe is held
     * by this process; if this process dies meanwhile the entry is unchanged. A function that
     * returns the very object it was given changes nothing (nothing is written).
     */
    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remapping) {
        Objects.requireNonNull(remapping, "remappingFunction");
        Object[] result = new Object[1];
        store.update(keyBytes(key), current -> {
            V old = decodeNullable(current);
            V next = remapping.apply(key, old);
            result[0] = next;
            if (next == null) {
                return current == null ? MapStore.keep() : null;
            }
            return next == old ? MapStore.keep() : valueBytes(next); // the same object back: no change
        });
        return cast(result[0]);
    }

    /**
     * {@inheritDoc} A present key is answered by a lock-free read; otherwise the function runs once,
     * in the calling thread, while the key's stripe is held by this process.
     */
    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mapping) {
        Objects.requireNonNull(mapping, "mappingFunction");
        byte[] k = keyBytes(key);
        byte[] present = store.get(k);
        if (present != null) {
            return decodeValue(present);
        }
        Object[] result = new Object[1];
        store.update(k, current -> {
            if (current != null) {
                result[0] = decodeValue(current);
                return MapStore.keep();
            }
            V next = mapping.apply(key);
            result[0] = next;
            return next == null ? MapStore.keep() : valueBytes(next);
        });
        return cast(result[0]);
    }

    /** {@inheritDoc} The function runs as in {@link #compute}. */
    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remapping) {
        Objects.requireNonNull(remapping, "remappingFunction");
        Object[] result = new Object[1];
        store.update(keyBytes(key), current -> {
            if (current == null) {
                return MapStore.keep();
            }
            V old = decodeValue(current);
            V next = remapping.apply(key, old);
            result[0] = next;
            return next == null ? null : next == old ? MapStore.keep() : valueBytes(next);
        });
        return cast(result[0]);
    }

    /** {@inheritDoc} The function runs as in {@link #compute}. */
    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remapping) {
        Objects.requireNonNull(remapping, "remappingFunction");
        byte[] given = valueBytes(value);
        Object[] result = new Object[1];
        store.update(keyBytes(key), current -> {
            if (current == null) {
                result[0] = value;
                return given;
            }
            V next = remapping.apply(decodeValue(current), value);
            result[0] = next;
            return next == null ? null : valueBytes(next);
        });
        return cast(result[0]);
    }

    /** {@inheritDoc} Each stripe is cleared atomically; entries put meanwhile may survive. */
    @Override
    public void clear() {
        segment.ensureOpen();
        store.clear();
    }

    @Override
    public String toString() {
        return "SharedMap[" + segment.name() + "/" + name() + ", size=" + store.size() + "]";
    }

    // ---------------------------------------------------------------- codecs

    @SuppressWarnings("unchecked")
    private byte[] keyBytes(Object key) {
        Objects.requireNonNull(key, "key");
        segment.ensureOpen();
        return keys.encode((K) key);
    }

    private byte[] valueBytes(V value) {
        Objects.requireNonNull(value, "value");
        return values.encode(value);
    }

    private V decodeValue(byte[] v) {
        return values.decode(v, 0, v.length);
    }

    private V decodeNullable(byte[] v) {
        return v == null ? null : decodeValue(v);
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    // ---------------------------------------------------------------- views

    private final class EntrySet extends AbstractSet<Entry<K, V>> {
        @Override
        public Iterator<Entry<K, V>> iterator() {
            segment.ensureOpen();
            return new EntryIterator();
        }

        @Override
        public int size() {
            return SharedMap.this.size();
        }

        @Override
        public boolean contains(Object o) {
            if (!(o instanceof Map.Entry)) {
                return false;
            }
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            if (e.getKey() == null || e.getValue() == null) {
                return false;
            }
            V v = get(e.getKey());
            return v != null && v.equals(e.getValue());
        }

        @Override
        public boolean remove(Object o) {
            if (!(o instanceof Map.Entry)) {
                return false;
            }
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            return e.getKey() != null && SharedMap.this.remove(e.getKey(), e.getValue());
        }

        @Override
        public void clear() {
            SharedMap.this.clear();
        }
    }

    /** Reads stripe after stripe, each atomically. */
    private final class EntryIterator implements Iterator<Entry<K, V>> {
        private int stripe;
        private List<byte[]> batch = List.of();
        private int index;
        private K lastKey;

        @Override
        public boolean hasNext() {
            while (index >= batch.size() && stripe < store.stripes()) {
                batch = store.stripeEntries(stripe++);
                index = 0;
            }
            return index < batch.size();
        }

        @Override
        public Entry<K, V> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            byte[] k = batch.get(index);
            byte[] v = batch.get(index + 1);
            index += 2;
            lastKey = keys.decode(k, 0, k.length);
            return new MapEntry(lastKey, decodeValue(v));
        }

        @Override
        public void remove() {
            if (lastKey == null) {
                throw new IllegalStateException("next() has not returned an entry since the last remove()");
            }
            SharedMap.this.remove(lastKey);
            lastKey = null;
        }
    }

    /** An entry read by an iterator; {@code setValue} writes through with {@link #put}. */
    private final class MapEntry extends SimpleEntry<K, V> {
        private static final long serialVersionUID = 1L;

        MapEntry(K key, V value) {
            super(key, value);
        }

        @Override
        public V setValue(V value) {
            Objects.requireNonNull(value, "value");
            SharedMap.this.put(getKey(), value);
            return super.setValue(value);
        }
    }
}
