package io.interproc.redis;

import io.interproc.context.Context;
import io.interproc.core.Codec;
import io.interproc.core.shared.Barrier;
import io.interproc.core.shared.DoubleValue;
import io.interproc.core.shared.Event;
import io.interproc.core.shared.JoinableBlockingQueue;
import io.interproc.core.shared.Latch;
import io.interproc.core.shared.LongValue;
import io.interproc.core.shared.Permits;
import io.interproc.core.shared.PutGetQueue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.regex.Pattern;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.LongCodec;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * A {@link Context} whose objects live on a Redis server, through Redisson; processes on any host
 * that reach the server and use the same namespace share them. Made by
 * {@code Interproc.redis(...)} or the static methods here. Every key is
 * {@code {<namespace>:<name>}:<kind>[:<part>]}: the braces are a Redis Cluster hash tag, so all keys
 * of one object share a slot and its Lua scripts stay atomic. The module README tables how each
 * object's guarantees differ from the local ones.
 *
 * <p>Thread-safe; any thread may call every method. Objects may be used until {@link #close()}.
 */
public final class RedisContext implements Context {
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private final RedissonClient client;
    private final String namespace;
    private final boolean ownsClient;
    private final Lua lua;
    private final Wakeups wakeups;
    private final long leaseMillis;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisContext(RedissonClient client, String namespace, boolean ownsClient) {
        this.client = client;
        this.namespace = namespace;
        this.ownsClient = ownsClient;
        this.lua = new Lua(client);
        this.wakeups = new Wakeups(client);
        this.leaseMillis = client.getConfig().getLockWatchdogTimeout();
    }

    /**
     * A context on a client the caller started and shuts down (after closing the context).
     *
     * @param client the Redisson client
     * @param namespace prefix of every key: letters, digits and {@code ._:-}, 1 to 100 characters
     * @return the context
     * @throws IllegalArgumentException if the namespace is not valid
     */
    public static RedisContext open(RedissonClient client, String namespace) {
        Objects.requireNonNull(client, "client");
        return new RedisContext(client, checkNamespace(namespace), false);
    }

    /**
     * A context on a client it connects to one server and shuts down on {@link #close()}, with
     * Redisson's default lock lease (watchdog timeout, 30 s).
     *
     * @param address {@code redis://host:port} or {@code rediss://host:port}
     * @param namespace prefix of every key, as for {@link #open}
     * @return the context
     * @throws IllegalArgumentException if the address or the namespace is not valid
     * @throws IllegalStateException if the server cannot be reached (the cause says why)
     */
    public static RedisContext connect(String address, String namespace) {
        return connect(address, namespace, Duration.ofMillis(new Config().getLockWatchdogTimeout()));
    }

    /**
     * As {@link #connect(String, String)}, with the lease after which a dead process's lock (and
     * condition waiter) is given up: the holder's client renews it every third of it.
     *
     * @param address {@code redis://host:port} or {@code rediss://host:port}
     * @param namespace prefix of every key
     * @param lease the lock watchdog timeout, at least 100 ms
     * @return the context
     * @throws IllegalArgumentException if an argument is not valid
     * @throws IllegalStateException if the server cannot be reached
     */
    public static RedisContext connect(String address, String namespace, Duration lease) {
        Objects.requireNonNull(address, "address");
        String ns = checkNamespace(namespace);
        if (!address.startsWith("redis://") && !address.startsWith("rediss://")) {
            throw new IllegalArgumentException("Redis address must be redis://host:port or rediss://host:port, was '"
                    + address + "'");
        }
        if (lease.toMillis() < 100) {
            throw new IllegalArgumentException("lease must be at least 100 ms, was " + lease);
        }
        Config config = new Config();
        config.setLockWatchdogTimeout(lease.toMillis());
        config.useSingleServer().setAddress(address);
        RedissonClient client;
        try {
            client = Redisson.create(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot connect to Redis at " + address + ": " + e.getMessage(), e);
        }
        return new RedisContext(client, ns, true);
    }

    private static String checkNamespace(String namespace) {
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("Redis namespace must match " + NAMESPACE.pattern() + ", was "
                    + (namespace == null ? "null" : "'" + namespace + "'"));
        }
        return namespace;
    }

    /** @return the Redisson client (for what a context does not offer) */
    public RedissonClient client() {
        return client;
    }

    /** @return the prefix of this context's keys */
    public String namespace() {
        return namespace;
    }

    /**
     * Deletes every key of this namespace (objects in use are left in their initial state or
     * broken): for tests and tear-down.
     *
     * @return how many keys were deleted
     */
    public long deleteAll() {
        return client.getKeys().deleteByPattern("{" + namespace + ":*");
    }

    private String key(String name, String kind) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > 200 || name.indexOf('{') >= 0 || name.indexOf('}') >= 0) {
            throw new IllegalArgumentException("object name must be 1 to 200 characters without braces, was '"
                    + name + "'");
        }
        if (closed.get()) {
            throw new IllegalStateException(description() + " is closed");
        }
        return "{" + namespace + ":" + name + "}:" + kind;
    }

    @Override
    public String description() {
        return "Redis namespace '" + namespace + "'";
    }

    @Override
    public Lock lock(String name) {
        return new RedisLock(client.getLock(key(name, "lock")), name, false);
    }

    @Override
    public Lock reentrantLock(String name) {
        return new RedisLock(client.getLock(key(name, "lock")), name, true);
    }

    @Override
    public Condition condition(String name, Lock lock) {
        Objects.requireNonNull(lock, "lock");
        if (!(lock instanceof RedisLock)) {
            throw new IllegalArgumentException("condition '" + name + "' of " + description() + " needs a lock of a"
                    + " Redis context, not " + lock.getClass().getName());
        }
        return new RedisCondition(name, key(name, "condition"), (RedisLock) lock, lua, wakeups, leaseMillis);
    }

    @Override
    public Permits semaphore(String name, int permits) {
        String k = key(name, "semaphore");
        return new RedisPermits(name, k, client.getSemaphore(k), lua, permits, false);
    }

    @Override
    public Permits boundedSemaphore(String name, int permits) {
        String k = key(name, "semaphore");
        return new RedisPermits(name, k, client.getSemaphore(k), lua, permits, true);
    }

    @Override
    public Event event(String name) {
        return new RedisEvent(name, key(name, "event"), client, lua, wakeups);
    }

    @Override
    public Barrier barrier(String name, int parties) {
        return new RedisBarrier(name, key(name, "barrier"), parties, client, lua, wakeups);
    }

    @Override
    public Latch countDownLatch(String name, long count) {
        String k = key(name, "latch");
        return new RedisLatch(name, k, client.getCountDownLatch(k), lua, count);
    }

    @Override
    public LongValue atomicLong(String name, long initial) {
        String k = key(name, "long");
        client.getBucket(k, LongCodec.INSTANCE).setIfAbsent(initial);
        return new RedisLong(name, client.getAtomicLong(k));
    }

    @Override
    public DoubleValue atomicDouble(String name, double initial) {
        String k = key(name, "double");
        RedisDouble.finite(name, initial);
        client.getBucket(k, StringCodec.INSTANCE).setIfAbsent(BigDecimal.valueOf(initial).toPlainString());
        return new RedisDouble(name, client.getAtomicDouble(k));
    }

    @Override
    public <E> BlockingQueue<E> queue(String name, Codec<E> codec) {
        return new RedisQueue<>(name, client.getBlockingQueue(key(name, "queue"), CodecAdapter.of(codec)));
    }

    @Override
    public <E> JoinableBlockingQueue<E> joinableQueue(String name, Codec<E> codec) {
        return new RedisJoinableQueue<>(name, key(name, "jqueue"), client, CodecAdapter.of(codec), lua, wakeups);
    }

    @Override
    public <E> PutGetQueue<E> simpleQueue(String name, Codec<E> codec) {
        return new RedisSimpleQueue<>(name, client.getBlockingQueue(key(name, "squeue"), CodecAdapter.of(codec)));
    }

    @Override
    public <K, V> ConcurrentMap<K, V> map(String name, Codec<K> keys, Codec<V> values) {
        return client.getMap(key(name, "map"), CodecAdapter.ofMap(keys, values));
    }

    @Override
    public <E> List<E> list(String name, Codec<E> codec) {
        return client.getList(key(name, "list"), CodecAdapter.of(codec));
    }

    /** Drops this context's subscriptions and, if it connected the client itself, shuts it down. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            wakeups.close();
            if (ownsClient) {
                client.shutdown();
            }
        }
    }

    @Override
    public String toString() {
        return "Context[" + description() + "]";
    }
}
