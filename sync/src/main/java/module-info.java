/**
 * interproc sync: locks, conditions, semaphores, events and barriers shared by processes.
 * {@code io.interproc.sync.internal} (the lock core, layouts, inspectors) is exported only to
 * interproc's own modules.
 */
module io.interproc.sync {
    requires transitive io.interproc.core;

    exports io.interproc.sync;
    exports io.interproc.sync.internal to io.interproc.ipc, io.interproc.collections;

    provides io.interproc.core.spi.ObjectInspector with
            io.interproc.sync.internal.LockInspector,
            io.interproc.sync.internal.ConditionInspector,
            io.interproc.sync.internal.SemaphoreInspector,
            io.interproc.sync.internal.EventInspector,
            io.interproc.sync.internal.BarrierInspector;
}
