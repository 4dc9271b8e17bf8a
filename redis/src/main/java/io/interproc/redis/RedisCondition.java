package io.interproc.redis;

import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

import org.redisson.api.RLock;

/**
 * {@code Context.condition} on Redis (Redisson has no distributed condition). A waiter appends a
 * fresh id to the condition's waiter list and keeps an "alive" key with an expiry of one lease
 * (the lock watchdog timeout), renewed each time it wakes; it releases the lock fully, sleeps
 * until its token key appears, deletes it, and re-takes the lock as many times as it held it.
 * {@link #signal()} pops waiters in arrival order, skipping those whose alive key has expired
 * (dead processes), sets the first live one's token and publishes on the condition's channel, all
 * in one Lua script; {@link #signalAll()} does so for every waiter. A waiter that times out or is
 * interrupted removes itself; if a signal reached it first it counts as signalled (a timed wait
 * then reports success, an interrupted one passes the signal on). Spurious wake-ups do not happen
 * but callers should loop on their predicate anyway, as with any condition.
 */
final class RedisCondition implements Condition {
    private static final String REGISTER = "redis.call('rpush', KEYS[1], ARGV[1]);"
            + " redis.call('set', KEYS[2], '1', 'px', ARGV[2]); return 1";
    private static final String POLL = "if redis.call('del', KEYS[1]) == 1 then return 1 end;"
            + " redis.call('pexpire', KEYS[2], ARGV[1]); return 0";
    private static final String CANCEL = "local r = redis.call('lrem', KEYS[1], 0, ARGV[1]);"
            + " redis.call('del', KEYS[2]); if r > 0 then return 0 end;"
            + " if redis.call('del', KEYS[3]) == 1 then return 1 end; return 0";
    /** ARGV: token key prefix, alive key prefix, channel, 1 (one) or 0 (all), token time to live. */
    private static final String SIGNAL = "local n = 0; while true do"
            + " if ARGV[4] == '1' and n >= 1 then break end;"
            + " local w = redis.call('lpop', KEYS[1]); if not w then break end;"
            + " if redis.call('exists', ARGV[2] .. w) == 1 then"
            + "  redis.call('set', ARGV[1] .. w, '1', 'px', ARGV[5]); n = n + 1 end;"
            + " end; if n > 0 then redis.call('publish', ARGV[3], '1') end; return n";

    private final String name;
    private final RedisLock lock;
    private final RLock rlock;
    private final Lua lua;
    private final Wakeups.Channel channel;
    private final String waiters;
    private final String tokenPrefix;
    private final String alivePrefix;
    private final long leaseMillis;

    RedisCondition(String name, String base, RedisLock lock, Lua lua, Wakeups wakeups, long leaseMillis) {
        this.name = name;
        this.lock = lock;
        this.rlock = lock.rlock();
        this.lua = lua;
        this.waiters = base + ":waiters";
        this.tokenPrefix = base + ":token:";
        this.alivePrefix = base + ":alive:";
        this.leaseMillis = leaseMillis;
        this.channel = wakeups.channel(base + ":wake");
    }

    @Override
    public void await() throws InterruptedException {
        awaitFor(Long.MAX_VALUE, true);
    }

    @Override
    public void awaitUninterruptibly() {
        try {
            awaitFor(Long.MAX_VALUE, false);
        } catch (InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        return awaitFor(nanosTimeout == Long.MAX_VALUE ? Long.MAX_VALUE - 1 : nanosTimeout, true);
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return awaitNanos(unit.toNanos(time)) > 0;
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        long millis = deadline.getTime() - System.currentTimeMillis();
        return awaitNanos(TimeUnit.MILLISECONDS.toNanos(millis)) > 0;
    }

    /**
     * @param nanos how long; {@link Long#MAX_VALUE} is forever
     * @return an estimate of the time left: above zero if signalled
     */
    private long awaitFor(long nanos, boolean interruptible) throws InterruptedException {
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException("interrupted before waiting on condition '" + name + "'");
        }
        if (!rlock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("condition '" + name + "' on Redis: the calling thread does not"
                    + " hold its lock '" + lock.name() + "'");
        }
        boolean forever = nanos == Long.MAX_VALUE;
        long deadline = System.nanoTime() + (forever ? 0 : nanos);
        String id = UUID.randomUUID().toString();
        String token = tokenPrefix + id;
        String alive = alivePrefix + id;
        int holds = rlock.getHoldCount();
        lua.integer(REGISTER, List.of(waiters, alive), id, leaseMillis);
        for (int i = 0; i < holds; i++) {
            rlock.unlock();
        }
        boolean signalled = false;
        boolean interruptedWhileUninterruptible = false;
        InterruptedException interrupted = null;
        try {
            while (true) {
                long seen = channel.generation();
                if (lua.integer(POLL, List.of(token, alive), leaseMillis) == 1) {
                    signalled = true;
                    break;
                }
                long left = forever ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    channel.awaitAfter(seen, left);
                } catch (InterruptedException ie) {
                    if (interruptible) {
                        interrupted = ie;
                        break;
                    }
                    interruptedWhileUninterruptible = true;
                }
            }
            if (!signalled) {
                signalled = lua.integer(CANCEL, List.of(waiters, alive, token), id) == 1;
            }
        } finally {
            for (int i = 0; i < holds; i++) {
                rlock.lock();
            }
        }
        if (interruptedWhileUninterruptible) {
            Thread.currentThread().interrupt();
        }
        if (interrupted != null) {
            if (signalled) {
                signal(); // not used by this waiter: pass it on
            }
            throw interrupted;
        }
        if (forever) {
            return Long.MAX_VALUE;
        }
        long left = deadline - System.nanoTime();
        return signalled ? Math.max(1, left) : Math.min(0, left);
    }

    @Override
    public void signal() {
        signal(true);
    }

    @Override
    public void signalAll() {
        signal(false);
    }

    private void signal(boolean one) {
        if (!rlock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("condition '" + name + "' on Redis: signal by a thread that does"
                    + " not hold its lock '" + lock.name() + "'");
        }
        lua.integer(SIGNAL, List.of(waiters), tokenPrefix, alivePrefix, channel.name(), one ? 1 : 0,
                Math.max(leaseMillis, 60_000));
    }

    @Override
    public String toString() {
        return "condition '" + name + "' on Redis, bound to " + lock;
    }
}
