package io.interproc.redis;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

import org.redisson.api.RLock;

/**
 * {@code Context.lock} and {@code Context.reentrantLock} on Redis: a Redisson {@link RLock}
 * (a hash naming the holder, client id and thread id, with a hold count). Held without a lease
 * time, so Redisson's watchdog keeps renewing the key's expiry (the lock watchdog timeout, 30 s by
 * default) while the holding process lives: a holder that dies loses the lock when the expiry
 * passes, at most one watchdog timeout after its last renewal. The non-reentrant form refuses
 * re-entry as the local {@code SharedLock} does. Not fair. Conditions come from
 * {@code Context.condition}, not {@link #newCondition()}.
 */
final class RedisLock implements Lock {
    private final RLock lock;
    private final String name;
    private final boolean reentrant;

    RedisLock(RLock lock, String name, boolean reentrant) {
        this.lock = lock;
        this.name = name;
        this.reentrant = reentrant;
    }

    RLock rlock() {
        return lock;
    }

    String name() {
        return name;
    }

    boolean isReentrant() {
        return reentrant;
    }

    private void refuseReentry() {
        if (!reentrant && lock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("lock '" + name + "' on Redis is not reentrant and is already held"
                    + " by this thread (" + Thread.currentThread().getName() + ")");
        }
    }

    @Override
    public void lock() {
        refuseReentry();
        lock.lock();
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before locking '" + name + "'");
        }
        refuseReentry();
        lock.lockInterruptibly();
    }

    @Override
    public boolean tryLock() {
        if (!reentrant && lock.isHeldByCurrentThread()) {
            return false;
        }
        return lock.tryLock();
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        if (!reentrant && lock.isHeldByCurrentThread()) {
            return false;
        }
        return lock.tryLock(Math.max(0, time), unit);
    }

    @Override
    public void unlock() {
        try {
            lock.unlock();
        } catch (IllegalMonitorStateException notHeld) {
            throw new IllegalMonitorStateException("lock '" + name + "' on Redis is not held by this thread ("
                    + Thread.currentThread().getName() + "); only its holder may unlock it");
        }
    }

    /**
     * Not supported: a condition shared by processes needs a name.
     *
     * @throws UnsupportedOperationException always, naming {@code Context.condition}
     */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("lock '" + name + "': use Context.condition(name, lock) for a"
                + " condition other processes can use");
    }

    @Override
    public String toString() {
        return (reentrant ? "reentrant lock '" : "lock '") + name + "' on Redis [key=" + lock.getName() + "]";
    }
}
