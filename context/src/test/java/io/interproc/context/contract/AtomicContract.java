package io.interproc.context.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.shared.DoubleValue;
import io.interproc.core.shared.LongValue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/** Contract of {@code Context.atomicLong} and {@code Context.atomicDouble}. */
public abstract class AtomicContract extends ContextContract {

    @Test
    void longOperations() {
        String name = unique("long");
        LongValue a = context().atomicLong(name, 10);
        LongValue b = context().atomicLong(name, 99);
        assertEquals(10, b.get(), "the creator's initial value wins");
        assertEquals(11, a.incrementAndGet());
        assertEquals(10, b.decrementAndGet());
        assertEquals(10, a.getAndAdd(5));
        assertEquals(20, b.addAndGet(5));
        assertTrue(a.compareAndSet(20, -3));
        assertFalse(b.compareAndSet(20, 0));
        assertEquals(-3, b.getAndSet(Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, a.get());
        a.set(4);
        assertEquals(12, b.updateAndGet(x -> x * 3));
    }

    @Test
    void concurrentIncrementsAreNotLost() throws Exception {
        String name = unique("long");
        List<Future<Object>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            workers.add(async(() -> {
                LongValue v = context().atomicLong(name, 0);
                for (int i = 0; i < 250; i++) {
                    v.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<Object> w : workers) {
            result(w);
        }
        assertEquals(1000, context().atomicLong(name, 0).get());
    }

    @Test
    void doubleOperations() {
        String name = unique("double");
        DoubleValue a = context().atomicDouble(name, 1.5);
        DoubleValue b = context().atomicDouble(name, 99);
        assertEquals(1.5, b.get());
        assertEquals(1.5, a.getAndAdd(0.25));
        assertEquals(2.0, b.addAndGet(0.25));
        assertTrue(a.compareAndSet(2.0, -0.125));
        assertFalse(b.compareAndSet(2.0, 0));
        assertEquals(-0.125, b.getAndSet(1e300));
        assertEquals(1e300, a.get());
        a.set(3);
        assertEquals(1.5, b.updateAndGet(x -> x / 2));
    }
}
