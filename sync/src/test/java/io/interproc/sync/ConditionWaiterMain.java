package io.interproc.sync;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;

/**
 * Child JVM for {@link ConditionMultiProcessTest}: waits on the SharedCondition {@code cond}
 * (bound to the SharedLock {@code lock}) until the SharedLong {@code flag} is non-zero, then adds
 * one to {@code woken} and exits. Args: segment.
 */
public final class ConditionWaiterMain {
    private ConditionWaiterMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        try (Segment segment = Segment.open(args[0])) {
            SharedLock lock = SharedLock.open(segment, "lock");
            SharedCondition cond = SharedCondition.open(segment, "cond", lock);
            SharedLong flag = SharedLong.open(segment, "flag");
            lock.lock();
            try {
                cond.awaitUntil(() -> flag.get() != 0);
            } finally {
                lock.unlock();
            }
            SharedLong.open(segment, "woken").incrementAndGet();
        }
    }
}
