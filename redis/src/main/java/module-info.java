/**
 * interproc redis: the {@link io.interproc.context.Context}'s objects on a Redis server through
 * Redisson ({@link io.interproc.redis.RedisContext}), so that processes on several hosts share
 * them. Found by {@code io.interproc.context.Interproc.redis} through the ServiceLoader.
 */
module io.interproc.redis {
    requires transitive io.interproc.context;
    requires transitive redisson;
    requires io.netty.buffer;

    exports io.interproc.redis;

    provides io.interproc.context.spi.RedisContextProvider with io.interproc.redis.RedissonProvider;
}
