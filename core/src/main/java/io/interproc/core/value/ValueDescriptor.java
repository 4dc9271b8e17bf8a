package io.interproc.core.value;

import io.interproc.core.memory.Layout;

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
    /** Bytes allocated per value: the value alone on a line pair. */
    public static final int SIZE = Layout.nextLinePair(VALUE_OFFSET + Layout.LONG);

    private ValueDescriptor() {
    }
}
