package io.interproc.redis;

import io.interproc.context.Context;
import io.interproc.context.spi.RedisContextProvider;

import org.redisson.api.RedissonClient;

/** The {@link RedisContextProvider} that {@code Interproc.redis} finds; not for applications. */
public final class RedissonProvider implements RedisContextProvider {
    /** For the ServiceLoader. */
    public RedissonProvider() {
    }

    @Override
    public Context open(RedissonClient client, String namespace) {
        return RedisContext.open(client, namespace);
    }

    @Override
    public Context connect(String address, String namespace) {
        return RedisContext.connect(address, namespace);
    }
}
