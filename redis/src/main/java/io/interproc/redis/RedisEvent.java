package io.interproc.redis;

import io.interproc.core.shared.Event;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.redisson.api.RedissonClient;

/**
 * {@code Context.event} on Redis: a key that exists while the event is set. {@link #set()} writes
 * it and publishes on the event's channel in one Lua script; waiters read the key, sleep until a
 * message or one {@linkplain Wakeups#SLICE_NANOS slice}, and read it again. A set followed at once
 * by a clear may go unseen by a waiter (as locally, the flag is a level, not a count).
 */
final class RedisEvent implements Event {
    private static final String SET = "redis.call('set', KEYS[1], '1'); redis.call('publish', ARGV[1], '1'); return 1";

    private final String name;
    private final String key;
    private final RedissonClient client;
    private final Lua lua;
    private final Wakeups.Channel channel;

    RedisEvent(String name, String key, RedissonClient client, Lua lua, Wakeups wakeups) {
        this.name = name;
        this.key = key;
        this.client = client;
        this.lua = lua;
        this.channel = wakeups.channel(key + ":wake");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void set() {
        lua.integer(SET, List.of(key), channel.name());
    }

    @Override
    public void clear() {
        client.getBucket(key).delete();
    }

    @Override
    public boolean isSet() {
        return client.getBucket(key).isExists();
    }

    @Override
    public void await() throws InterruptedException {
        while (!await(Long.MAX_VALUE, TimeUnit.NANOSECONDS)) {
            // 292 years passed
        }
    }

    @Override
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        long left = unit.toNanos(timeout);
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted waiting for event '" + name + "'");
            }
            long seen = channel.generation();
            if (isSet()) {
                return true;
            }
            if (left <= 0) {
                return false;
            }
            channel.awaitAfter(seen, left);
            left = deadline - System.nanoTime();
        }
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        return await(RedisPermits.saturatedNanos(timeout), TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return "event '" + name + "' on Redis [key=" + key + "]";
    }
}
