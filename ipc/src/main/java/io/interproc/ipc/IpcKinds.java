package io.interproc.ipc;

import io.interproc.core.spi.ObjectKind;

/** The kinds ipc owns (codes 32–47): each queue's and pipe's entry in a segment's directory. */
public final class IpcKinds {
    /** {@code SharedQueue}. */
    public static final ObjectKind QUEUE = ObjectKind.define(32, "SharedQueue");
    /** {@code SimpleQueue}. */
    public static final ObjectKind SIMPLE_QUEUE = ObjectKind.define(33, "SimpleQueue");
    /** {@code JoinableQueue}. */
    public static final ObjectKind JOINABLE_QUEUE = ObjectKind.define(34, "JoinableQueue");
    /** {@code Pipe}. */
    public static final ObjectKind PIPE = ObjectKind.define(35, "Pipe");

    private IpcKinds() {
    }
}
