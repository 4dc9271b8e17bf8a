package io.interproc.redis;

import io.interproc.core.shared.Permits;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.redisson.RedissonSemaphore;
import org.redisson.api.RSemaphore;

/**
 * {@code Context.semaphore} and {@code boundedSemaphore} on Redis: a Redisson {@link RSemaphore}
 * (a counter key; waiters are woken through Redisson's channel). The bound of a bounded one is a
 * second key, written with the count in one Lua script when the semaphore is created; a bounded
 * release checks it and increments in one script that also publishes on the {@link RSemaphore}'s
 * channel, as Redisson's own release does. Permits are not owned: a process that dies holding
 * some does not give them back (as locally). Not fair.
 */
final class RedisPermits implements Permits {
    private static final String CREATE = "if redis.call('exists', KEYS[1]) == 0 then"
            + " redis.call('set', KEYS[1], ARGV[1]); if ARGV[2] == '1' then redis.call('set', KEYS[2], ARGV[1]) end;"
            + " end; local m = redis.call('get', KEYS[2]); if m then return tonumber(m) end; return -1";
    /** Returns -1 if the bound would be passed (nothing changes), else the new count. */
    private static final String BOUNDED_RELEASE = "local v = tonumber(redis.call('get', KEYS[1]) or '0');"
            + " if v + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return -1 - v end;"
            + " v = redis.call('incrby', KEYS[1], ARGV[1]); redis.call('publish', ARGV[3], v); return v";

    private final String name;
    private final RSemaphore semaphore;
    private final Lua lua;
    private final String key;
    private final int max; // -1: unbounded

    RedisPermits(String name, String key, RSemaphore semaphore, Lua lua, int permits, boolean bounded) {
        if (permits < 0) {
            throw new IllegalArgumentException("semaphore '" + name + "': permits must be >= 0, was " + permits);
        }
        this.name = name;
        this.key = key;
        this.semaphore = semaphore;
        this.lua = lua;
        this.max = (int) lua.integer(CREATE, List.of(key, key + ":max"), permits, bounded ? 1 : 0);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isBounded() {
        return max >= 0;
    }

    @Override
    public int maxPermits() {
        if (max < 0) {
            throw new IllegalStateException("semaphore '" + name + "' is not bounded: maxPermits is undefined");
        }
        return max;
    }

    @Override
    public int availablePermits() {
        return semaphore.availablePermits();
    }

    @Override
    public void acquire() throws InterruptedException {
        semaphore.acquire();
    }

    @Override
    public void acquire(int permits) throws InterruptedException {
        checkPermits(permits);
        semaphore.acquire(permits);
    }

    @Override
    public void acquireUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                semaphore.acquire();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean tryAcquire() {
        return semaphore.tryAcquire();
    }

    @Override
    public boolean tryAcquire(int permits) {
        checkPermits(permits);
        return semaphore.tryAcquire(permits);
    }

    @Override
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return tryAcquire(1, timeout, unit);
    }

    @Override
    public boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException {
        checkPermits(permits);
        if (timeout <= 0) {
            return semaphore.tryAcquire(permits);
        }
        return semaphore.tryAcquire(permits, timeout, unit);
    }

    @Override
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return tryAcquire(1, timeout);
    }

    @Override
    public boolean tryAcquire(int permits, Duration timeout) throws InterruptedException {
        return tryAcquire(permits, Math.max(0, saturatedNanos(timeout)), TimeUnit.NANOSECONDS);
    }

    @Override
    public int drainPermits() {
        return semaphore.drainPermits();
    }

    @Override
    public void release() {
        release(1);
    }

    @Override
    public void release(int permits) {
        checkPermits(permits);
        if (permits == 0) {
            return;
        }
        if (max < 0) {
            semaphore.release(permits);
            return;
        }
        long r = lua.integer(BOUNDED_RELEASE, List.of(key), permits, max, RedissonSemaphore.getChannelName(key));
        if (r < 0) {
            throw new IllegalStateException("bounded semaphore '" + name + "' released too many times: availablePermits="
                    + (-1 - r) + ", permits=" + permits + ", maxPermits=" + max);
        }
    }

    private void checkPermits(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("semaphore '" + name + "': permits must be >= 0, was " + permits);
        }
    }

    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return (max < 0 ? "semaphore '" : "bounded semaphore '") + name + "' on Redis [key=" + key + "]";
    }
}
