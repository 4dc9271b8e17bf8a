package io.interproc.core.spi;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.Segment;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.segment.SegmentHeaderDescriptor;

/**
 * The bytes of one named object inside a segment: where it is and what kind it is. Returned by
 * {@link Segment#createObject}, {@link Segment#openObject} and {@link Segment#openOrCreateObject};
 * the public types of core, sync and ipc wrap one. Immutable and thread-safe.
 *
 * <p><b>Internal API</b>: public so that sync and ipc can define their own kinds.
 */
public final class ObjectRegion {
    private final Segment segment;
    private final String name;
    private final ObjectKind kind;
    private final int offset;
    private final int length;

    public ObjectRegion(Segment segment, String name, ObjectKind kind, int offset, int length) {
        this.segment = segment;
        this.name = name;
        this.kind = kind;
        this.offset = offset;
        this.length = length;
    }

    /** @return the segment holding the object */
    public Segment segment() {
        return segment;
    }

    /** @return the segment's mapping; the object's bytes are {@code [offset, offset + length)} */
    public SharedBuffer buffer() {
        return segment.buffer();
    }

    /** @return the object's name inside its segment */
    public String name() {
        return name;
    }

    /** @return the object's kind */
    public ObjectKind kind() {
        return kind;
    }

    /** @return the offset of the object's first byte in the segment */
    public int offset() {
        return offset;
    }

    /** @return the number of bytes allocated to the object */
    public int length() {
        return length;
    }

    /**
     * A part of this object laid out as another kind, for objects built from others (a queue's
     * embedded producer and consumer locks). The part is not in the directory; it lives and dies
     * with this object. <b>Internal API</b>.
     *
     * @param partName name used in messages, e.g. {@code "jobs.producer"}
     * @param partKind the kind the part is laid out as
     * @param relativeOffset offset of the part from this object's start, 128-byte aligned
     * @param partLength bytes of the part
     * @return the part's region
     * @throws IllegalArgumentException if the part is not inside this object or misaligned
     */
    public ObjectRegion part(String partName, ObjectKind partKind, int relativeOffset, int partLength) {
        if (relativeOffset < 0 || partLength < 0 || relativeOffset > length - partLength
                || relativeOffset % SegmentHeaderDescriptor.OBJECT_ALIGNMENT != 0) {
            throw new IllegalArgumentException("part outside " + this + ": relativeOffset=" + relativeOffset
                    + ", length=" + partLength);
        }
        return new ObjectRegion(segment, partName, partKind, offset + relativeOffset, partLength);
    }

    /**
     * Checks that a field stored inside the object is within bounds, for values read from shared
     * memory that size or index the object.
     *
     * @param what the field's name, for the message
     * @param value the value read
     * @param min smallest valid value
     * @param max largest valid value
     * @return {@code value}
     * @throws CorruptSegmentException if it is out of range
     */
    public long checkStored(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new CorruptSegmentException(kind + " '" + name + "' in segment '" + segment.name()
                    + "' is corrupt: " + what + "=" + value + " is outside [" + min + ", " + max + "]");
        }
        return value;
    }

    @Override
    public String toString() {
        return kind + "[" + segment.name() + "/" + name + " @" + offset + "+" + length + "]";
    }
}
