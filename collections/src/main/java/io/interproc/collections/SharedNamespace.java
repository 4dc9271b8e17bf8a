package io.interproc.collections;

import io.interproc.collections.internal.CollectionKinds;
import io.interproc.collections.internal.MapStore;
import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.spi.OpenMode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Named attributes shared by processes: Python's {@code Manager().Namespace()}. An attribute holds
 * a {@code long}, a {@code double}, a {@code String}, bytes, or a value of any {@link Codec}; its
 * type is stored with it, and reading it as another type throws {@link ClassCastException} naming
 * both. A thin layer over a {@link SharedMap} of attribute names to tagged bytes, so every
 * operation on one attribute is atomic across processes and crash-safe as the map's are.
 *
 * <p>Memory consistency: actions before a write of an attribute happen-before actions after a
 * read that returns the written value. Handles are thread-safe; unusable once their segment is
 * closed.
 */
public final class SharedNamespace {
    private static final byte LONG = 1;
    private static final byte DOUBLE = 2;
    private static final byte STRING = 3;
    private static final byte BYTES = 4;
    private static final byte CODEC = 5;
    private static final String[] TYPE_NAMES = {"?", "long", "double", "String", "bytes", "codec value"};

    private final SharedMap<String, byte[]> map;
    private final String name;

    private SharedNamespace(ObjectRegion region) {
        this.map = new SharedMap<>(region, Codec.utf8(), Codec.bytes());
        this.name = region.name();
    }

    /**
     * Creates an empty namespace.
     *
     * @param segment where it lives
     * @param name its name
     * @param attributes how many attributes it must hold, &gt;= 1
     * @param averageValueBytes average size of a value (8 for numbers)
     * @return the namespace
     * @throws io.interproc.core.ObjectExistsException if the name exists
     * @throws io.interproc.core.SegmentFullException if the segment has no room
     */
    public static SharedNamespace create(Segment segment, String name, int attributes, int averageValueBytes) {
        return of(segment, name, OpenMode.CREATE, attributes, averageValueBytes);
    }

    /**
     * Opens an existing namespace.
     *
     * @return the namespace
     * @throws io.interproc.core.NoSuchObjectException if there is none
     */
    public static SharedNamespace open(Segment segment, String name) {
        return of(segment, name, OpenMode.OPEN, 1, 0);
    }

    /**
     * Opens the namespace, creating it if missing.
     *
     * @return the namespace
     */
    public static SharedNamespace openOrCreate(Segment segment, String name, int attributes, int averageValueBytes) {
        return of(segment, name, OpenMode.OPEN_OR_CREATE, attributes, averageValueBytes);
    }

    private static SharedNamespace of(Segment segment, String name, OpenMode mode, int attributes, int valueBytes) {
        ObjectRegion region = segment.object(name, CollectionKinds.NAMESPACE, mode,
                MapStore.bytesFor(attributes, 16, valueBytes + 1), MapStore.initializer(attributes, 16, valueBytes + 1));
        return new SharedNamespace(region);
    }

    // ---------------------------------------------------------------- set

    /** Sets a {@code long} attribute. */
    public void set(String attribute, long value) {
        map.put(attribute, encodeLong(value));
    }

    /** Sets a {@code double} attribute. */
    public void set(String attribute, double value) {
        map.put(attribute, tagged(DOUBLE, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(value).array()));
    }

    /** Sets a {@code String} attribute. */
    public void set(String attribute, String value) {
        map.put(attribute, encodeString(value));
    }

    /** Sets a bytes attribute (the array is copied). */
    public void set(String attribute, byte[] value) {
        map.put(attribute, tagged(BYTES, Objects.requireNonNull(value, "value")));
    }

    /** Sets an attribute to a value of any codec. */
    public <T> void set(String attribute, T value, Codec<T> codec) {
        map.put(attribute, tagged(CODEC, codec.encode(Objects.requireNonNull(value, "value"))));
    }

    // ---------------------------------------------------------------- get

    /**
     * @return the {@code long} attribute
     * @throws NoSuchElementException if it is not set
     * @throws ClassCastException if it holds another type
     */
    public long getLong(String attribute) {
        return decodeLong(attribute, read(attribute, LONG));
    }

    /** @return the {@code double} attribute; exceptions as {@link #getLong} */
    public double getDouble(String attribute) {
        return decodeDouble(read(attribute, DOUBLE));
    }

    /** @return the {@code String} attribute; exceptions as {@link #getLong} */
    public String getString(String attribute) {
        byte[] v = read(attribute, STRING);
        return new String(v, 1, v.length - 1, StandardCharsets.UTF_8);
    }

    /** @return a copy of the bytes attribute; exceptions as {@link #getLong} */
    public byte[] getBytes(String attribute) {
        byte[] v = read(attribute, BYTES);
        return Arrays.copyOfRange(v, 1, v.length);
    }

    /** @return the attribute decoded by {@code codec}; exceptions as {@link #getLong} */
    public <T> T get(String attribute, Codec<T> codec) {
        byte[] v = read(attribute, CODEC);
        return codec.decode(v, 1, v.length - 1);
    }

    /** @return true if the attribute is set */
    public boolean contains(String attribute) {
        return map.containsKey(attribute);
    }

    /** @return true if it was set and is now removed */
    public boolean remove(String attribute) {
        return map.remove(attribute) != null;
    }

    /** @return the names set now, sorted (weakly consistent) */
    public Set<String> names() {
        return new TreeSet<>(map.keySet());
    }

    /**
     * @return every attribute decoded: {@code Long}, {@code Double}, {@code String}, or
     *     {@code byte[]} (for bytes and codec values), by name (weakly consistent)
     */
    public Map<String, Object> snapshot() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(map.snapshot()).entrySet()) {
            byte[] v = e.getValue();
            switch (v[0]) {
                case LONG -> out.put(e.getKey(), decodeLong(e.getKey(), v));
                case DOUBLE -> out.put(e.getKey(), decodeDouble(v));
                case STRING -> out.put(e.getKey(), new String(v, 1, v.length - 1, StandardCharsets.UTF_8));
                default -> out.put(e.getKey(), Arrays.copyOfRange(v, 1, v.length));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- atomic updates

    /**
     * Sets a {@code long} attribute to {@code update} if it holds {@code expected}, atomically.
     *
     * @return true if it was updated (false if it holds another value or is not set)
     * @throws ClassCastException if it holds another type
     */
    public boolean compareAndSet(String attribute, long expected, long update) {
        byte[] want = encodeLong(expected);
        byte[] next = encodeLong(update);
        boolean[] done = new boolean[1];
        map.computeIfPresent(attribute, (k, cur) -> {
            checkType(attribute, cur, LONG);
            done[0] = Arrays.equals(cur, want);
            return done[0] ? next : cur;
        });
        return done[0];
    }

    /** As {@link #compareAndSet(String, long, long)} for a {@code double} (compared bit for bit). */
    public boolean compareAndSet(String attribute, double expected, double update) {
        boolean[] done = new boolean[1];
        map.computeIfPresent(attribute, (k, cur) -> {
            checkType(attribute, cur, DOUBLE);
            done[0] = Double.doubleToLongBits(decodeDouble(cur)) == Double.doubleToLongBits(expected);
            return done[0] ? tagged(DOUBLE, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(update)
                    .array()) : cur;
        });
        return done[0];
    }

    /** As {@link #compareAndSet(String, long, long)} for a {@code String} (compared with equals). */
    public boolean compareAndSet(String attribute, String expected, String update) {
        byte[] want = encodeString(expected);
        byte[] next = encodeString(update);
        boolean[] done = new boolean[1];
        map.computeIfPresent(attribute, (k, cur) -> {
            checkType(attribute, cur, STRING);
            done[0] = Arrays.equals(cur, want);
            return done[0] ? next : cur;
        });
        return done[0];
    }

    /**
     * Adds to a {@code long} attribute atomically; an unset attribute counts as 0.
     *
     * @return the value before
     * @throws ClassCastException if it holds another type
     */
    public long getAndAdd(String attribute, long delta) {
        long[] before = new long[1];
        map.compute(attribute, (k, cur) -> {
            before[0] = cur == null ? 0 : decodeLong(attribute, checkType(attribute, cur, LONG));
            return encodeLong(before[0] + delta);
        });
        return before[0];
    }

    /** @return the value after adding; as {@link #getAndAdd(String, long)} */
    public long addAndGet(String attribute, long delta) {
        return getAndAdd(attribute, delta) + delta;
    }

    /**
     * Adds to a {@code double} attribute atomically; an unset attribute counts as 0.
     *
     * @return the value before
     */
    public double getAndAdd(String attribute, double delta) {
        double[] before = new double[1];
        map.compute(attribute, (k, cur) -> {
            before[0] = cur == null ? 0 : decodeDouble(checkType(attribute, cur, DOUBLE));
            return tagged(DOUBLE, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(before[0] + delta)
                    .array());
        });
        return before[0];
    }

    /** @return the underlying map of names to tagged bytes' size */
    public int size() {
        return map.size();
    }

    @Override
    public String toString() {
        return "SharedNamespace[" + map.segment().name() + "/" + name + "]";
    }

    // ---------------------------------------------------------------- encoding

    private byte[] read(String attribute, byte type) {
        byte[] v = map.get(attribute);
        if (v == null) {
            throw new NoSuchElementException("SharedNamespace '" + name + "' has no attribute '" + attribute + "'");
        }
        return checkType(attribute, v, type);
    }

    private byte[] checkType(String attribute, byte[] v, byte type) {
        if (v.length == 0 || v[0] != type) {
            int held = v.length == 0 || v[0] < 1 || v[0] > 5 ? 0 : v[0];
            throw new ClassCastException("attribute '" + attribute + "' of SharedNamespace '" + name + "' holds a "
                    + TYPE_NAMES[held] + ", not a " + TYPE_NAMES[type]);
        }
        return v;
    }

    private static byte[] tagged(byte type, byte[] payload) {
        byte[] v = new byte[payload.length + 1];
        v[0] = type;
        System.arraycopy(payload, 0, v, 1, payload.length);
        return v;
    }

    private static byte[] encodeLong(long value) {
        return tagged(LONG, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    private static byte[] encodeString(String value) {
        return tagged(STRING, Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8));
    }

    private long decodeLong(String attribute, byte[] v) {
        if (v.length != 9) {
            throw new io.interproc.core.CorruptSegmentException("attribute '" + attribute + "' of SharedNamespace '"
                    + name + "' holds " + v.length + " bytes, not a long");
        }
        return ByteBuffer.wrap(v, 1, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static double decodeDouble(byte[] v) {
        return v.length == 9 ? ByteBuffer.wrap(v, 1, 8).order(ByteOrder.LITTLE_ENDIAN).getDouble() : Double.NaN;
    }
}
