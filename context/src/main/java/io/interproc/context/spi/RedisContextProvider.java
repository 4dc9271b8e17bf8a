package io.interproc.context.spi;

import io.interproc.context.Context;

import org.redisson.api.RedissonClient;

/**
 * Service-provider interface through which {@link io.interproc.context.Interproc#redis} finds the
 * Redis implementation (module {@code io.interproc.redis}) with the {@link java.util.ServiceLoader},
 * so that the context module compiles without it. Not for applications.
 */
public interface RedisContextProvider {
    /**
     * @param client a started client; it stays the caller's (closing the context does not shut it down)
     * @param namespace prefix of every key the context uses
     * @return the context
     */
    Context open(RedissonClient client, String namespace);

    /**
     * @param address a Redis address, {@code redis://host:port} (or {@code rediss://})
     * @param namespace prefix of every key the context uses
     * @return the context, owning a client it connected; {@link Context#close()} shuts it down
     */
    Context connect(String address, String namespace);
}
