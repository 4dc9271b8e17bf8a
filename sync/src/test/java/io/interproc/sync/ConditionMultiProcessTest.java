package io.interproc.sync;

import static io.interproc.sync.LockTesting.eventually;
import static io.interproc.sync.LockTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.core.SharedLongArray;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.process.JvmProcess;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SharedCondition across JVMs: a bounded buffer between two children, and a waiter killed with kill -9. */
class ConditionMultiProcessTest {
    private static final int ITEMS = 10_000;
    private static final int CAPACITY = 4;

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    @Test
    void shouldDeliverEveryItemExactlyOnceThroughABoundedBufferBetweenTwoJvms() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedLock lock = SharedLock.create(s, "lock");
        SharedCondition.create(s, "notFull", lock);
        SharedCondition.create(s, "notEmpty", lock);
        SharedLongArray.create(s, "ring", CAPACITY);
        SharedLongArray state = SharedLongArray.create(s, "state", 4);
        SharedLongArray received = SharedLongArray.create(s, "received", ITEMS);
        JvmProcess consumer = children.start(ConditionBufferMain.class, s.name(), "consumer", String.valueOf(ITEMS));
        JvmProcess producer = children.start(ConditionBufferMain.class, s.name(), "producer", String.valueOf(ITEMS));
        ChildJvms.awaitSuccess(producer, 120);
        ChildJvms.awaitSuccess(consumer, 120);
        for (int i = 0; i < ITEMS; i++) {
            assertEquals(1, received.get(i), "item " + i + " delivered exactly once");
        }
        assertEquals(ITEMS, state.get(0), "head");
        assertEquals(ITEMS, state.get(1), "tail");
        assertEquals(0, state.get(2), "count");
        assertEquals(0, state.get(3), "items out of order");
        assertFalse(lock.isLocked());
    }

    @Test
    void shouldWakeTheOtherWaitersPromptlyAfterAWaiterWasKilled() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedLock lock = SharedLock.create(s, "lock");
        SharedCondition cond = SharedCondition.create(s, "cond", lock);
        SharedLong flag = SharedLong.create(s, "flag");
        SharedLong woken = SharedLong.create(s, "woken");
        JvmProcess doomed = children.start(ConditionWaiterMain.class, s.name());
        JvmProcess survivor = children.start(ConditionWaiterMain.class, s.name());
        LockTesting.Worker<Boolean> local = start("local-waiter", () -> {
            lock.lock();
            try {
                return cond.awaitUntil(() -> flag.get() != 0, 60, TimeUnit.SECONDS);
            } finally {
                lock.unlock();
            }
        });
        ChildJvms.awaitCondition("three waiters registered", 60, () -> cond.waiterCount() == 3);
        doomed.kill();
        assertTrue(doomed.join(30, TimeUnit.SECONDS));
        assertEquals(3, cond.waiterCount(), "the killed waiter still counts until signalAll");

        lock.lock();
        try {
            flag.set(1);
            cond.signalAll(); // never waits for the dead waiter
            assertEquals(0, cond.waiterCount());
        } finally {
            lock.unlock();
        }
        assertTrue(local.result(), "the waiter in this JVM woke");
        ChildJvms.awaitSuccess(survivor, 30);
        assertEquals(1, woken.get(), "the surviving child woke");

        lock.lock();
        try {
            assertFalse(cond.await(50, TimeUnit.MILLISECONDS), "no signal left over for the dead waiter");
        } finally {
            lock.unlock();
        }
        eventually("the lock is free", () -> !lock.isLocked());
    }
}
