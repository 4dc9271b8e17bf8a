package io.interproc.context.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import org.junit.jupiter.api.Test;

/** Contract of {@code Context.lock} and {@code Context.reentrantLock}. */
public abstract class LockContract extends ContextContract {
    private int unguarded; // incremented only under the lock

    @Test
    void excludesEveryOtherHandleAndThread() throws Exception {
        String name = unique("lock");
        List<Future<Object>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Lock lock = context().lock(name); // a handle per thread: exclusion holds across handles
            workers.add(async(() -> {
                for (int i = 0; i < 100; i++) {
                    lock.lock();
                    try {
                        int seen = unguarded;
                        Thread.yield();
                        unguarded = seen + 1;
                    } finally {
                        lock.unlock();
                    }
                }
                return null;
            }));
        }
        for (Future<Object> w : workers) {
            result(w);
        }
        Lock lock = context().lock(name);
        lock.lock();
        try {
            assertEquals(400, unguarded);
        } finally {
            lock.unlock();
        }
    }

    @Test
    void tryLockFailsWhileHeldAndSucceedsAfterUnlock() throws Exception {
        String name = unique("lock");
        Lock mine = context().lock(name);
        Lock theirs = context().lock(name);
        mine.lock();
        try {
            assertFalse(result(async(() -> theirs.tryLock())));
            assertFalse(result(async(() -> theirs.tryLock(50, TimeUnit.MILLISECONDS))));
        } finally {
            mine.unlock();
        }
        assertTrue(result(async(() -> {
            boolean got = theirs.tryLock(DEADLINE_SECONDS, TimeUnit.SECONDS);
            if (got) {
                theirs.unlock();
            }
            return got;
        })));
    }

    @Test
    void aWaiterGetsTheLockWhenItIsReleased() throws Exception {
        String name = unique("lock");
        Lock lock = context().lock(name);
        lock.lock();
        CountDownLatch waiting = new CountDownLatch(1);
        Future<Boolean> waiter = async(() -> {
            Lock other = context().lock(name);
            waiting.countDown();
            other.lockInterruptibly();
            other.unlock();
            return true;
        });
        assertTrue(waiting.await(DEADLINE_SECONDS, TimeUnit.SECONDS));
        assertFalse(waiter.isDone());
        lock.unlock();
        assertTrue(result(waiter));
    }

    @Test
    void theLockIsNotReentrant() {
        Lock lock = context().lock(unique("lock"));
        lock.lock();
        try {
            assertThrows(IllegalMonitorStateException.class, lock::lock);
            assertFalse(lock.tryLock());
        } finally {
            lock.unlock();
        }
    }

    @Test
    void onlyTheHolderUnlocks() throws Exception {
        Lock lock = context().lock(unique("lock"));
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
        lock.lock();
        try {
            Future<Object> stranger = async(() -> {
                lock.unlock();
                return null;
            });
            Exception e = assertThrows(Exception.class, () -> result(stranger));
            assertTrue(e.getCause() instanceof IllegalMonitorStateException, () -> "cause: " + e.getCause());
        } finally {
            lock.unlock();
        }
    }

    @Test
    void theReentrantLockNestsAndIsFreeAfterTheLastUnlock() throws Exception {
        String name = unique("rlock");
        Lock lock = context().reentrantLock(name);
        lock.lock();
        assertTrue(lock.tryLock());
        lock.unlock();
        Lock other = context().reentrantLock(name);
        assertFalse(result(async(() -> other.tryLock())), "still held once");
        lock.unlock();
        assertTrue(result(async(() -> {
            boolean got = other.tryLock(DEADLINE_SECONDS, TimeUnit.SECONDS);
            if (got) {
                other.unlock();
            }
            return got;
        })));
    }
}
