/**
 * interproc pool: {@link io.interproc.pool.ProcessPool}, a pool of worker JVMs that run
 * serializable tasks. {@code io.interproc.pool.internal} (dispatcher, collector, worker monitor,
 * wire format) is not exported.
 */
module io.interproc.pool {
    requires transitive io.interproc.core;
    requires io.interproc.ipc;

    exports io.interproc.pool;
}
