package io.interproc.sync;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;

import java.util.concurrent.locks.Lock;

/**
 * Child JVM for {@link LockMultiProcessTest}: non-atomic read-modify-writes of a SharedLong under
 * a shared lock. Args: segment, kind ({@code lock}: a SharedLock taken once per update;
 * {@code reentrant}: a SharedReentrantLock taken twice per update), updates, parties (to start
 * together).
 */
public final class LockCounterMain {
    private LockCounterMain() {
    }

    public static void main(String[] args) {
        String kind = args[1];
        int updates = Integer.parseInt(args[2]);
        int parties = Integer.parseInt(args[3]);
        try (Segment segment = Segment.open(args[0])) {
            boolean reentrant = kind.equals("reentrant");
            Lock lock = reentrant ? SharedReentrantLock.open(segment, "lock") : SharedLock.open(segment, "lock");
            SharedLong counter = SharedLong.open(segment, "counter");
            SharedLong ready = SharedLong.open(segment, "ready");
            ready.incrementAndGet();
            while (ready.get() < parties) {
                Thread.onSpinWait(); // start together, so that the updates really contend
            }
            for (int i = 0; i < updates; i++) {
                lock.lock();
                try {
                    if (reentrant) {
                        lock.lock();
                    }
                    try {
                        long value = counter.get(); // read ...
                        counter.set(value + 1);     // ... then write: lost updates without the lock
                    } finally {
                        if (reentrant) {
                            lock.unlock();
                        }
                    }
                } finally {
                    lock.unlock();
                }
            }
        }
    }
}
