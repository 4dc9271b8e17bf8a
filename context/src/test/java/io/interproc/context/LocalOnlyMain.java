package io.interproc.context;

import io.interproc.core.Segment;

import java.util.concurrent.locks.Lock;

/** Child of {@link LocalWithoutRedissonTest}: uses {@link Interproc#local} with no Redisson on its class path. */
public final class LocalOnlyMain {
    private LocalOnlyMain() {
    }

    public static void main(String[] args) throws Exception {
        try {
            Class.forName("org.redisson.api.RedissonClient");
            System.out.println("Redisson is on the class path");
            System.exit(2);
        } catch (ClassNotFoundException expected) {
            // the point of the test
        }
        try (Segment segment = Segment.open(args[0])) {
            Context ctx = Interproc.local(segment);
            Lock lock = ctx.lock("child-lock");
            lock.lock();
            lock.unlock();
            ctx.atomicLong("child-value", 0).set(42);
            try {
                Interproc.redis("redis://127.0.0.1:1", "ns");
                System.exit(3);
            } catch (IllegalStateException expected) {
                System.out.println("redis refused: " + expected.getMessage());
            }
        }
        System.out.println("OK");
    }
}
