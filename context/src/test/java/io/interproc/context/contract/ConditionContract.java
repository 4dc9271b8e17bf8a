package io.interproc.context.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.shared.LongValue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

import org.junit.jupiter.api.Test;

/** Contract of {@code Context.condition}, on both kinds of lock. */
public abstract class ConditionContract extends ContextContract {

    @Test
    void signalWakesAWaiterThatReholdsTheLock() throws Exception {
        String base = unique("cond");
        Lock lock = context().lock(base + "-lock");
        Condition ready = context().condition(base, lock);
        LongValue flag = context().atomicLong(base + "-flag", 0);
        Future<Long> waiter = async(() -> {
            lock.lock();
            try {
                while (flag.get() == 0) {
                    ready.await(DEADLINE_SECONDS, TimeUnit.SECONDS);
                }
                assertFalse(lock.tryLock(), "the lock is held again (not reentrant)");
                return flag.get();
            } finally {
                lock.unlock();
            }
        });
        lock.lock();
        try {
            flag.set(7);
            ready.signal();
        } finally {
            lock.unlock();
        }
        assertEquals(7L, result(waiter));
    }

    @Test
    void signalAllWakesEveryWaiter() throws Exception {
        String base = unique("cond");
        Lock lock = context().reentrantLock(base + "-lock");
        Condition go = context().condition(base, lock);
        LongValue gate = context().atomicLong(base + "-gate", 0);
        LongValue waiting = context().atomicLong(base + "-waiting", 0);
        List<Future<Boolean>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(async(() -> {
                lock.lock();
                try {
                    waiting.incrementAndGet();
                    while (gate.get() == 0) {
                        go.await(DEADLINE_SECONDS, TimeUnit.SECONDS);
                    }
                    return true;
                } finally {
                    lock.unlock();
                }
            }));
        }
        eventually("three waiters", () -> waiting.get() == 3);
        lock.lock();
        try {
            gate.set(1);
            go.signalAll();
        } finally {
            lock.unlock();
        }
        for (Future<Boolean> w : waiters) {
            assertTrue(result(w));
        }
    }

    @Test
    void aTimedAwaitReturnsFalseHoldingTheLock() throws Exception {
        String base = unique("cond");
        Lock lock = context().reentrantLock(base + "-lock");
        Condition never = context().condition(base, lock);
        lock.lock();
        try {
            assertFalse(never.await(30, TimeUnit.MILLISECONDS));
            assertTrue(never.awaitNanos(TimeUnit.MILLISECONDS.toNanos(10)) <= 0);
            Lock other = context().reentrantLock(base + "-lock");
            assertFalse(result(async(() -> other.tryLock())), "the lock is held again after the timeout");
        } finally {
            lock.unlock();
        }
    }

    @Test
    void awaitWithoutTheLockIsRefused() {
        String base = unique("cond");
        Lock lock = context().lock(base + "-lock");
        Condition c = context().condition(base, lock);
        assertThrows(IllegalMonitorStateException.class, () -> c.await(1, TimeUnit.MILLISECONDS));
    }
}
