/**
 * interproc collections: Python's Manager objects without a manager process. {@code SharedMap}
 * (a {@link java.util.concurrent.ConcurrentMap}), {@code SharedList} and {@code SharedNamespace}
 * live in a segment and are updated by many JVMs at once. {@code io.interproc.collections.internal}
 * (layouts, the map engine, recovery, inspectors) is not exported.
 */
module io.interproc.collections {
    requires transitive io.interproc.core;
    requires io.interproc.sync;

    exports io.interproc.collections;

    provides io.interproc.core.spi.ObjectInspector with
            io.interproc.collections.internal.CollectionsInspector;
}
