package io.interproc.redis.children;

import io.interproc.redis.RedisContext;

import java.time.Duration;
import java.util.concurrent.locks.Lock;

/**
 * Takes a Redis lock with a short lease and holds it until killed. Args: address, namespace, lock
 * name, lease in milliseconds.
 */
public final class LockHolderChild {
    private LockHolderChild() {
    }

    public static void main(String[] args) throws Exception {
        RedisContext ctx = RedisContext.connect(args[0], args[1], Duration.ofMillis(Long.parseLong(args[3])));
        Lock lock = ctx.lock(args[2]);
        lock.lock();
        System.out.println("LOCKED");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // killed by the test
    }
}
