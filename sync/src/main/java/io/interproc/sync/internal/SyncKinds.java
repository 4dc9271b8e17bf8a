package io.interproc.sync.internal;

import io.interproc.core.spi.ObjectKind;

/** The kinds sync owns (codes 16–31): each primitive's entry in a segment's directory. */
public final class SyncKinds {
    /** {@code SharedLock}. */
    public static final ObjectKind LOCK = ObjectKind.define(16, "SharedLock");
    /** {@code SharedReentrantLock}. */
    public static final ObjectKind REENTRANT_LOCK = ObjectKind.define(17, "SharedReentrantLock");
    /** {@code SharedSemaphore}. */
    public static final ObjectKind SEMAPHORE = ObjectKind.define(18, "SharedSemaphore");
    /** {@code SharedEvent}. */
    public static final ObjectKind EVENT = ObjectKind.define(19, "SharedEvent");
    /** {@code SharedCondition}. */
    public static final ObjectKind CONDITION = ObjectKind.define(20, "SharedCondition");
    /** {@code SharedBarrier}. */
    public static final ObjectKind BARRIER = ObjectKind.define(21, "SharedBarrier");

    private SyncKinds() {
    }
}
