package io.interproc.core;

import io.interproc.core.spi.ObjectInitializer;
import io.interproc.core.spi.ObjectKind;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.value.ValueDescriptor;

/**
 * A single shared value ({@link SharedInt}, {@link SharedLong}, {@link SharedDouble}): one word at
 * {@link ValueDescriptor#VALUE_OFFSET} of a {@link ValueDescriptor#SIZE}-byte region, and the
 * creation of such regions with their first value.
 */
abstract class SharedValue extends SharedObject {
    private final int at;

    SharedValue(ObjectRegion region) {
        super(region);
        this.at = region.offset() + ValueDescriptor.VALUE_OFFSET;
    }

    /**
     * @return the value's offset in the mapping
     * @throws IllegalStateException if the segment is closed
     */
    final int at() {
        segment.ensureOpen();
        return at;
    }

    /** A new value's region, holding what {@code initial} writes ({@link Segment#createObject}). */
    static ObjectRegion createRegion(Segment segment, String name, ObjectKind kind, ObjectInitializer initial) {
        return segment.createObject(name, kind, ValueDescriptor.SIZE, initial);
    }

    /** An existing value's region, or a new one holding what {@code initial} writes ({@link Segment#openOrCreateObject}). */
    static ObjectRegion openOrCreateRegion(Segment segment, String name, ObjectKind kind,
            ObjectInitializer initial) {
        return segment.openOrCreateObject(name, kind, ValueDescriptor.SIZE, initial);
    }

    /** @return an initialiser writing {@code value} as the first value of an int */
    static ObjectInitializer intValue(int value) {
        return (b, offset, length) -> b.setInt(offset + ValueDescriptor.VALUE_OFFSET, value);
    }

    /** @return an initialiser writing {@code value} as the first value of a long (or a double's raw bits) */
    static ObjectInitializer longValue(long value) {
        return (b, offset, length) -> b.setLong(offset + ValueDescriptor.VALUE_OFFSET, value);
    }
}
