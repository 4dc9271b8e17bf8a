package io.interproc.core.value;

/**
 * Layout of a single shared value ({@link io.interproc.core.SharedInt}, {@link io.interproc.core.SharedLong}, {@link io.interproc.core.SharedDouble}).
 *
 * <pre>
 *  offset  size  field
 *  ------  ----  -------------------------------------------------------------
 *       0     8  the value: an int in bytes 0..3, a long, or a double's raw bits
 *       8   120  padding, so the value has its 128-byte line to itself
 *     128        end
 * </pre>
 */
public final class ValueDescriptor {
    /** Offset of the value. */
    public static final int VALUE_OFFSET = 0;
    /** Bytes allocated per value. */
    public static final int SIZE = 128;

    private ValueDescriptor() {
    }
}
