package io.interproc.core;

import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.spi.ObjectRegion;

/**
 * What every shared value, array and byte region of this package holds: its segment, the
 * segment's mapping and its name; and the one {@code toString} they share,
 * {@code SimpleClassName[segment/name<sizeLabel>]}.
 *
 * <p>Package-private: the public types are the final subclasses, whose methods are one-line
 * bodies over {@link SharedValue}, {@link SharedArray} and {@link SharedBuffer}.
 */
abstract class SharedObject {
    final Segment segment;
    final SharedBuffer buffer;
    private final String name;

    SharedObject(ObjectRegion region) {
        this.segment = region.segment();
        this.buffer = region.buffer();
        this.name = region.name();
    }

    /** @return the object's name in its segment */
    public final String name() {
        return name;
    }

    /** @return what {@link #toString()} shows after the name, e.g. {@code ", length=4"}; empty by default */
    String sizeLabel() {
        return "";
    }

    @Override
    public final String toString() {
        return getClass().getSimpleName() + "[" + segment.name() + "/" + name + sizeLabel() + "]";
    }
}
