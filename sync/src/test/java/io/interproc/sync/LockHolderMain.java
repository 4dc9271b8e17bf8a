package io.interproc.sync;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;

/**
 * Child JVM for {@link LockKillTest}: takes a lock ({@code holds} times if reentrant), reports its
 * pid in the SharedLong {@code held}, and then waits to be killed. Args: segment, kind
 * ({@code lock} or {@code reentrant}), holds.
 */
public final class LockHolderMain {
    private LockHolderMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Segment segment = Segment.open(args[0]);
        int holds = Integer.parseInt(args[2]);
        if (args[1].equals("reentrant")) {
            SharedReentrantLock lock = SharedReentrantLock.open(segment, "lock");
            for (int i = 0; i < holds; i++) {
                lock.lock();
            }
        } else {
            SharedLock.open(segment, "lock").lock();
        }
        SharedLong.open(segment, "held").set(ProcessHandle.current().pid());
        Thread.sleep(Long.MAX_VALUE); // holding the lock until killed
    }
}
