package io.interproc.context.contract;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.shared.Event;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Contract of {@code Context.event}. */
public abstract class EventContract extends ContextContract {

    @Test
    void setClearAndTimedWait() throws Exception {
        String name = unique("event");
        Event a = context().event(name);
        Event b = context().event(name);
        assertFalse(a.isSet());
        assertFalse(a.await(20, TimeUnit.MILLISECONDS));
        b.set();
        assertTrue(a.isSet());
        assertTrue(a.await(Duration.ZERO));
        a.await();
        a.clear();
        assertFalse(b.isSet());
        assertFalse(b.await(Duration.ofMillis(10)));
    }

    @Test
    void setWakesEveryWaiter() throws Exception {
        String name = unique("event");
        Event e = context().event(name);
        Future<Boolean> w1 = async(() -> context().event(name).await(DEADLINE_SECONDS, TimeUnit.SECONDS));
        Future<Boolean> w2 = async(() -> {
            context().event(name).await();
            return true;
        });
        e.set();
        assertTrue(result(w1));
        assertTrue(result(w2));
    }
}
