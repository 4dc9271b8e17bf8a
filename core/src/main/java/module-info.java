/**
 * interproc core: segments (memory-mapped files shared by processes), shared values and arrays,
 * codecs, child JVMs, and the service-provider interface through which the other modules define
 * their kinds of object. Internals (memory access, waiting, the segment file) are exported only to
 * interproc's own modules. See {@code docs/ARCHITECTURE.md} in the repository.
 */
module io.interproc.core {
    requires com.sun.jna;
    requires java.management;

    exports io.interproc.core;
    exports io.interproc.core.shared;
    exports io.interproc.core.spi;
    exports io.interproc.process;
    exports io.interproc.core.jmx;

    // Internals, each exported only to the modules that use it. A new module that needs one is
    // added here (the only edit of core a new module makes; a new kind needs none).
    exports io.interproc.core.memory to io.interproc.sync, io.interproc.ipc, io.interproc.cli, // cli: tests
            io.interproc.collections;
    exports io.interproc.core.wait to io.interproc.sync, io.interproc.ipc, io.interproc.pool;
    exports io.interproc.core.segment to io.interproc.sync, io.interproc.ipc, io.interproc.cli;

    // JNA binds the native methods of these classes by reflection.
    opens io.interproc.core.os to com.sun.jna;
    opens io.interproc.core.wait to com.sun.jna;

    uses io.interproc.core.spi.ObjectInspector;
    provides io.interproc.core.spi.ObjectInspector with io.interproc.core.value.CoreInspector;
}
