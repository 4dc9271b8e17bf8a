package io.interproc.redis;

import io.interproc.core.shared.Latch;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.redisson.api.RCountDownLatch;

/**
 * {@code Context.countDownLatch} on Redis: a Redisson {@link RCountDownLatch}. Redisson deletes
 * the latch's key when the count reaches zero, so a later {@code trySetCount} would re-arm it; a
 * marker key written with the count in one Lua script makes creation happen once, and a latch
 * opened after it opened stays open (as locally).
 */
final class RedisLatch implements Latch {
    private static final String CREATE = "if redis.call('setnx', KEYS[2], '1') == 1 and tonumber(ARGV[1]) > 0 then"
            + " redis.call('set', KEYS[1], ARGV[1]) end; return 1";

    private final String name;
    private final RCountDownLatch latch;

    RedisLatch(String name, String key, RCountDownLatch latch, Lua lua, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("count-down latch '" + name + "': count must be >= 0, was " + count);
        }
        this.name = name;
        this.latch = latch;
        lua.integer(CREATE, List.of(key, key + ":created"), count);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void countDown() {
        latch.countDown();
    }

    @Override
    public long getCount() {
        return Math.max(0, latch.getCount());
    }

    @Override
    public void await() throws InterruptedException {
        latch.await();
    }

    @Override
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        if (timeout <= 0) {
            return getCount() == 0;
        }
        return latch.await(timeout, unit);
    }

    @Override
    public String toString() {
        return "count-down latch '" + name + "' on Redis [key=" + latch.getName() + "]";
    }
}
