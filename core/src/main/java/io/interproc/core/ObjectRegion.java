package io.interproc.core;

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

    ObjectRegion(Segment segment, String name, ObjectKind kind, int offset, int length) {
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
