package io.interproc.context;

import io.interproc.context.spi.RedisContextProvider;
import io.interproc.core.Segment;

import java.util.Objects;
import java.util.ServiceLoader;

import org.redisson.api.RedissonClient;

/**
 * Makes {@link Context}s. {@link #local} needs nothing beyond interproc (Redisson is an optional
 * dependency of this module: a JVM that only uses {@code local} runs without it,
 * {@code LocalWithoutRedissonTest}); the {@code redis} forms need the {@code interproc-redis}
 * module, which brings Redisson, on the class or module path (found with the
 * {@link ServiceLoader}), and code that calls them compiles against Redisson (the two overloads
 * differ by a Redisson type). Any thread may call these.
 */
public final class Interproc {
    private Interproc() {
    }

    /**
     * Objects in a segment of this host. The segment stays the caller's: closing the context does
     * not close it, and it must stay open while the objects are used.
     *
     * @param segment where the objects live
     * @return the context
     * @throws IllegalStateException if the segment is closed
     */
    public static Context local(Segment segment) {
        Objects.requireNonNull(segment, "segment");
        segment.ensureOpen();
        return new LocalContext(segment);
    }

    /**
     * Objects on Redis through a client the caller has started (and shuts down, after closing the
     * context).
     *
     * @param client the Redisson client
     * @param namespace prefix of every key (letters, digits and {@code ._-:}; 1 to 100 characters),
     *     so several applications can share one server
     * @return the context
     * @throws IllegalArgumentException if the namespace is not valid
     * @throws IllegalStateException if the interproc-redis module is not present
     */
    public static Context redis(RedissonClient client, String namespace) {
        Objects.requireNonNull(client, "client");
        return provider().open(client, namespace);
    }

    /**
     * Objects on Redis, through a client this context connects and {@link Context#close() closes}.
     *
     * @param address {@code redis://host:port} (or {@code rediss://} for TLS)
     * @param namespace prefix of every key, as for {@link #redis(RedissonClient, String)}
     * @return the context
     * @throws IllegalArgumentException if the address or namespace is not valid
     * @throws IllegalStateException if the interproc-redis module is not present, or the server
     *     cannot be reached (the cause says why)
     */
    public static Context redis(String address, String namespace) {
        Objects.requireNonNull(address, "address");
        return provider().connect(address, namespace);
    }

    private static RedisContextProvider provider() {
        return ServiceLoader.load(RedisContextProvider.class, Interproc.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("Interproc.redis needs the interproc-redis module"
                        + " (io.interproc:interproc-redis) and Redisson on the class or module path: no "
                        + RedisContextProvider.class.getName() + " was found"));
    }
}
