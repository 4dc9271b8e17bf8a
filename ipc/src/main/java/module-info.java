/**
 * interproc ipc: queues ({@code io.interproc.ipc.queue}) and pipes ({@code io.interproc.ipc.pipe})
 * between processes, built on one message ring ({@code io.interproc.ipc.ring}, exported only to
 * interproc's own modules).
 */
module io.interproc.ipc {
    requires transitive io.interproc.core;
    requires io.interproc.sync;

    exports io.interproc.ipc.queue;
    exports io.interproc.ipc.pipe;
    // cli: its tests damage a ring on purpose to check what inspect reports.
    exports io.interproc.ipc.ring to io.interproc.pool, io.interproc.cli;

    provides io.interproc.core.spi.ObjectInspector with
            io.interproc.ipc.queue.QueueInspector,
            io.interproc.ipc.pipe.PipeInspector;
}
