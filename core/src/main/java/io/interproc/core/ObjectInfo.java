package io.interproc.core;

import io.interproc.core.spi.ObjectKind;

/**
 * One entry of a segment's directory, for inspection tools: a name, its kind and its bytes.
 */
public final class ObjectInfo {
    private final String name;
    private final ObjectKind kind;
    private final int offset;
    private final int length;
    private final long createdAtMillis;

    public ObjectInfo(String name, ObjectKind kind, int offset, int length, long createdAtMillis) {
        this.name = name;
        this.kind = kind;
        this.offset = offset;
        this.length = length;
        this.createdAtMillis = createdAtMillis;
    }

    /** @return the object's name */
    public String name() {
        return name;
    }

    /** @return the object's kind */
    public ObjectKind kind() {
        return kind;
    }

    /** @return the offset of its first byte in the segment */
    public int offset() {
        return offset;
    }

    /** @return the bytes allocated to it */
    public int length() {
        return length;
    }

    /** @return when it was created, epoch millis */
    public long createdAtMillis() {
        return createdAtMillis;
    }

    @Override
    public String toString() {
        return kind + " '" + name + "' @" + offset + "+" + length;
    }
}
