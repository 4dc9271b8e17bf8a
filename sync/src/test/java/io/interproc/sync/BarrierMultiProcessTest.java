package io.interproc.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.process.JvmProcess;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Barriers across JVMs: many generations in a row, and a party killed with kill -9. */
class BarrierMultiProcessTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS), "test threads ended");
    }

    @Test
    void shouldPassFourJvmsThroughAThousandGenerationsRunningTheActionOncePerGeneration() throws Exception {
        int jvms = 4;
        int rounds = 1000;
        Segment s = segments.create(1 << 20);
        SharedBarrier b = SharedBarrier.create(s, "b", jvms);
        SharedLong actions = SharedLong.create(s, "actions");
        SharedLong stamp = SharedLong.create(s, "stamp");
        SharedLong errors = SharedLong.create(s, "errors");
        List<JvmProcess> parties = new ArrayList<>();
        for (int i = 0; i < jvms; i++) {
            parties.add(children.start(BarrierPartyMain.class, s.name(), "rounds", String.valueOf(rounds)));
        }
        for (JvmProcess p : parties) {
            ChildJvms.awaitSuccess(p, 180);
        }
        assertEquals(rounds, actions.get(), "the action ran exactly once per generation");
        assertEquals(rounds, stamp.get());
        assertEquals(0, errors.get(), "every process saw its generation's action before it was released");
        assertFalse(b.isBroken());
        assertEquals(0, b.numberWaiting());
    }

    @Test
    void shouldBreakTheBarrierForTheOthersWhenAWaitingPartyIsKilled() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedBarrier b = SharedBarrier.create(s, "b", 4); // the fourth party never comes
        SharedLong victimResult = SharedLong.create(s, "result-victim");
        SharedLong survivorResult = SharedLong.create(s, "result-survivor");
        JvmProcess victim = children.start(BarrierPartyMain.class, s.name(), "wait", "victim");
        ChildJvms.awaitCondition("the victim waits at the barrier", 60, () -> b.numberWaiting() == 1);
        JvmProcess survivor = children.start(BarrierPartyMain.class, s.name(), "wait", "survivor");
        ChildJvms.awaitCondition("the survivor waits at the barrier", 60, () -> b.numberWaiting() == 2);
        Future<Integer> here = threads.submit(() -> b.await());
        ChildJvms.awaitCondition("this JVM's party waits too", 10, () -> b.numberWaiting() == 3);

        victim.kill();
        assertTrue(victim.join(30, TimeUnit.SECONDS), "the victim is gone");
        Throwable t = assertThrows(ExecutionException.class, () -> here.get(10, TimeUnit.SECONDS)).getCause();
        assertTrue(t instanceof BrokenBarrierException, "this JVM's party: " + t);
        ChildJvms.awaitCondition("the survivor reports", 10, () -> survivorResult.get() != 0);
        assertEquals(1, survivorResult.get(), "the survivor got BrokenBarrierException");
        ChildJvms.awaitSuccess(survivor, 30);
        assertEquals(0, victimResult.get(), "the victim never returned");
        assertTrue(b.isBroken());
        b.reset();
        assertFalse(b.isBroken(), "reset clears the dead party's entry and starts afresh");
    }
}
