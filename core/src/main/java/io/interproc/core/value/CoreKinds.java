package io.interproc.core.value;

import io.interproc.core.spi.ObjectKind;

/** The kinds {@code core} owns: single values, typed arrays and raw bytes (codes 1–15). */
public final class CoreKinds {
    /** {@code SharedInt}. */
    public static final ObjectKind INT = ObjectKind.define(1, "SharedInt");
    /** {@code SharedLong}. */
    public static final ObjectKind LONG = ObjectKind.define(2, "SharedLong");
    /** {@code SharedDouble}. */
    public static final ObjectKind DOUBLE = ObjectKind.define(3, "SharedDouble");
    /** {@code SharedIntArray}. */
    public static final ObjectKind INT_ARRAY = ObjectKind.define(4, "SharedIntArray");
    /** {@code SharedLongArray}. */
    public static final ObjectKind LONG_ARRAY = ObjectKind.define(5, "SharedLongArray");
    /** {@code SharedDoubleArray}. */
    public static final ObjectKind DOUBLE_ARRAY = ObjectKind.define(6, "SharedDoubleArray");
    /** {@code SharedBytes}. */
    public static final ObjectKind BYTES = ObjectKind.define(7, "SharedBytes");

    private CoreKinds() {
    }
}
