package io.interproc.context.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.shared.Barrier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

/** Contract of {@code Context.barrier}. */
public abstract class BarrierContract extends ContextContract {

    @Test
    void threePartiesTripItTwice() throws Exception {
        String name = unique("barrier");
        for (int generation = 0; generation < 2; generation++) {
            List<Future<Integer>> parties = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                parties.add(async(() -> context().barrier(name, 3).await(DEADLINE_SECONDS, TimeUnit.SECONDS)));
            }
            Set<Integer> indices = new HashSet<>();
            for (Future<Integer> p : parties) {
                indices.add(result(p));
            }
            assertEquals(Set.of(0, 1, 2), indices, "generation " + generation);
        }
        Barrier b = context().barrier(name, 3);
        assertEquals(3, b.parties());
        assertFalse(b.isBroken());
        assertEquals(0, b.numberWaiting());
    }

    @Test
    void aTimeoutBreaksItForEveryoneUntilReset() throws Exception {
        String name = unique("barrier");
        Barrier b = context().barrier(name, 3);
        Future<Integer> patient = async(() -> context().barrier(name, 3).await(DEADLINE_SECONDS, TimeUnit.SECONDS));
        eventually("one party waiting", () -> b.numberWaiting() == 1);
        assertThrows(TimeoutException.class, () -> b.await(Duration.ofMillis(20)));
        ExecutionException e = assertThrows(ExecutionException.class, () -> result(patient));
        assertTrue(e.getCause() instanceof BrokenBarrierException, () -> "cause: " + e.getCause());
        assertTrue(b.isBroken());
        assertThrows(BrokenBarrierException.class, b::await);
        b.reset();
        assertFalse(b.isBroken());
        assertEquals(0, b.numberWaiting());
    }

    @Test
    void abortBreaksAWaitingParty() throws Exception {
        String name = unique("barrier");
        Barrier b = context().barrier(name, 2);
        Future<Integer> waiting = async(() -> context().barrier(name, 2).await());
        eventually("one party waiting", () -> b.numberWaiting() == 1);
        b.abort();
        ExecutionException e = assertThrows(ExecutionException.class, () -> result(waiting));
        assertTrue(e.getCause() instanceof BrokenBarrierException, () -> "cause: " + e.getCause());
        b.reset();
        Future<Integer> again = async(() -> context().barrier(name, 2).await(DEADLINE_SECONDS, TimeUnit.SECONDS));
        int mine = b.await(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertEquals(Set.of(0, 1), Set.of(mine, result(again)));
    }
}
