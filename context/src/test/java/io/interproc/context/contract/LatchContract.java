package io.interproc.context.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.shared.Latch;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Contract of {@code Context.countDownLatch}. */
public abstract class LatchContract extends ContextContract {

    @Test
    void waitersAreReleasedAtZeroForGood() throws Exception {
        String name = unique("latch");
        Latch latch = context().countDownLatch(name, 3);
        Future<Boolean> waiter = async(() -> context().countDownLatch(name, 3).await(DEADLINE_SECONDS, TimeUnit.SECONDS));
        assertFalse(latch.await(10, TimeUnit.MILLISECONDS));
        latch.countDown();
        latch.countDown();
        assertEquals(1, latch.getCount());
        assertFalse(waiter.isDone() && waiter.get(), "released before zero");
        context().countDownLatch(name, 3).countDown();
        assertTrue(result(waiter));
        assertEquals(0, latch.getCount());
        latch.countDown();
        assertEquals(0, latch.getCount(), "stays at zero");
        Latch late = context().countDownLatch(name, 5);
        assertEquals(0, late.getCount(), "a late opener does not re-arm it");
        assertTrue(late.await(Duration.ZERO));
        late.await();
    }

    @Test
    void aLatchOfZeroIsOpen() throws Exception {
        Latch latch = context().countDownLatch(unique("latch"), 0);
        assertTrue(latch.await(0, TimeUnit.SECONDS));
    }
}
