/**
 * The {@code interproc} command: {@code ls}, {@code inspect}, {@code rm} and {@code gc} of
 * segments. Entry point {@link io.interproc.cli.Interproc}.
 */
module io.interproc.cli {
    requires io.interproc.core;
    // Their inspectors describe sync and ipc objects (found through the ServiceLoader).
    requires io.interproc.sync;
    requires io.interproc.ipc;
    requires io.interproc.collections; // its inspector describes maps, lists and namespaces
    requires io.interproc.logging; // logs

    exports io.interproc.cli;
    // The argument parser shared with the demos, the benchmark harness and the torture runner.
    exports io.interproc.cli.args;
}
