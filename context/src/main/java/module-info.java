/**
 * interproc context: {@link io.interproc.context.Context}, one set of factories whose objects live
 * in a local segment ({@link io.interproc.context.Interproc#local}) or on Redis
 * ({@link io.interproc.context.Interproc#redis}, provided by the {@code io.interproc.redis} module
 * through {@link io.interproc.context.spi.RedisContextProvider}). Redisson is needed only by the
 * Redis side.
 */
module io.interproc.context {
    requires transitive io.interproc.core;
    requires transitive io.interproc.sync;
    requires transitive io.interproc.ipc;
    requires transitive io.interproc.collections;
    requires static redisson;

    exports io.interproc.context;
    exports io.interproc.context.spi;

    uses io.interproc.context.spi.RedisContextProvider;
}
