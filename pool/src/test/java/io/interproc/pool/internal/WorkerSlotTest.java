package io.interproc.pool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.pool.internal.WorkerSlot.ExitAction;
import io.interproc.pool.internal.WorkerSlot.State;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The worker-slot state machine's transitions, without processes or queues. */
class WorkerSlotTest {
    private static PoolJob job(long id) {
        return new PoolJob(id, null, new int[] {0}, new byte[16], "task " + id, () -> {
        });
    }

    private static WorkerSlot activeSlot() {
        WorkerSlot s = new WorkerSlot(0, null);
        int generation = s.beginStart();
        assertTrue(s.markReady(generation));
        return s;
    }

    @Test
    void shouldStartDeadAndBecomeActiveOnlyOnItsOwnReady() {
        WorkerSlot s = new WorkerSlot(3, null);
        assertEquals(State.DEAD, s.state());
        int generation = s.beginStart();
        assertEquals(1, generation);
        assertEquals(State.STARTING, s.state());
        assertFalse(s.markReady(generation + 1), "a predecessor's READY");
        assertEquals(State.STARTING, s.state());
        assertTrue(s.markReady(generation));
        assertEquals(State.ACTIVE, s.state());
        assertFalse(s.markReady(generation), "READY twice");
        assertTrue(s.maySend(0));
        assertTrue(s.isIdle());
    }

    @Test
    void shouldCountAFailedStartAsNoticedDead() {
        WorkerSlot s = new WorkerSlot(0, null);
        s.beginStart();
        assertFalse(s.awaitsReplacement());
        s.startFailed();
        assertEquals(State.DEAD, s.state());
        assertTrue(s.awaitsReplacement());
        assertEquals(2, s.beginStart());
        assertFalse(s.awaitsReplacement());
    }

    @Test
    void shouldClaimTheInboxForASendAndTakeBackAnUndeliveredJob() {
        WorkerSlot s = activeSlot();
        PoolJob a = job(1);
        int generation = s.claimForSend(a);
        assertTrue(s.inboxBusy());
        assertFalse(s.maySend(0), "inbox in use");
        assertEquals(1, s.heldCount());
        assertNull(s.sendDone(a, generation, false, false));
        assertFalse(s.inboxBusy());
        assertEquals(0, s.heldCount(), "not delivered: not held");
        assertTrue(s.mayQueueBehind(2));
    }

    @Test
    void shouldMarkTheInboxFullWhenAQueuedJobDoesNotFitUntilTheNextAnswer() {
        WorkerSlot s = activeSlot();
        PoolJob a = job(1);
        PoolJob b = job(2);
        int generation = s.claimForSend(a);
        s.sendDone(a, generation, true, false);
        s.claimForSend(b);
        s.sendDone(b, generation, false, true);
        assertEquals(1, s.heldCount());
        assertFalse(s.mayQueueBehind(4), "inbox full");
        assertSame(a, s.answered(generation, 1, 0));
        assertTrue(s.mayQueueBehind(4), "cleared by the answer");
        assertNull(s.answered(generation + 1, 1, 0), "another generation's answer");
    }

    @Test
    void shouldRetireAfterMaxTasks() {
        WorkerSlot s = activeSlot();
        int generation = 1;
        for (long id = 1; id <= 2; id++) {
            PoolJob j = job(id);
            s.claimForSend(j);
            s.sendDone(j, generation, true, false);
        }
        assertFalse(s.maySend(2), "two sent under maxTasks=2");
        assertFalse(s.underTaskLimit(2));
        s.answered(generation, 1, 2);
        assertEquals(State.ACTIVE, s.state());
        s.answered(generation, 2, 2);
        assertEquals(State.RETIRING, s.state());
    }

    @Test
    void shouldBeDeadAtOnceWhenItExitsHoldingNothing() {
        WorkerSlot s = activeSlot();
        assertEquals(ExitAction.NOTHING_HELD, s.exited("worker pid=1 exited with code 137 (SIGKILL)"));
        assertEquals(State.DEAD, s.state());
    }

    @Test
    void shouldBeSettledByTheCollectorWhenItExitsHoldingJobs() {
        WorkerSlot s = activeSlot();
        PoolJob a = job(1);
        PoolJob b = job(2);
        s.sendDone(a, s.claimForSend(a), true, false);
        s.sendDone(b, s.claimForSend(b), true, true);
        assertEquals(ExitAction.SETTLE_NOW, s.exited("died"));
        assertEquals(State.EXITED, s.state());
        assertFalse(s.maySend(0));
        assertEquals(List.of(a, b), s.settled());
        assertEquals(State.DEAD, s.state());
        assertEquals(0, s.heldCount());
    }

    @Test
    void shouldLeaveTheSettlingToTheDispatcherWhenItUsesTheInbox() {
        WorkerSlot s = activeSlot();
        PoolJob a = job(1);
        int generation = s.claimForSend(a);
        assertEquals(ExitAction.DISPATCHER_SETTLES, s.exited("died"));
        assertEquals(State.EXITED, s.state());
        assertTrue(s.sendAbandoned(generation), "the send gives up");
        assertEquals("died", s.sendDone(a, generation, true, false));
        assertNull(s.sendDone(a, generation, true, false), "handed over once");
        assertEquals(List.of(a), s.settled());
        assertEquals(State.DEAD, s.state());
    }

    @Test
    void shouldTakeCancelledJobsBackAndStopStealingWhenTheWorkerWasQuicker() {
        WorkerSlot s = activeSlot();
        Submission mine = new MapRunStub();
        PoolJob running = new PoolJob(1, null, new int[] {0}, new byte[16], "task 1", null);
        PoolJob queued = new PoolJob(2, mine, new int[] {0}, new byte[16], "task 2", null);
        s.sendDone(running, s.claimForSend(running), true, false);
        s.sendDone(queued, s.claimForSend(queued), true, true);
        assertTrue(s.mayStealFrom());
        assertNull(s.cancel(mine, true), "queued behind another: not killed");
        assertTrue(s.wantsReclaim());
        assertTrue(s.claimForReclaim(), "take all back");
        assertFalse(s.wantsReclaim());
        assertSame(queued, s.takeBack(1, 2));
        assertNull(s.takeBack(1, 2));
        assertNull(s.reclaimDone(false));
        assertEquals(1, s.heldCount());
        s.sendDone(queued, s.claimForSend(queued), true, true);
        assertFalse(s.claimForReclaim());
        s.reclaimDone(true);
        assertFalse(s.mayStealFrom(), "found none: not again until an answer");
        s.answered(1, 1, 0);
        s.sendDone(running, s.claimForSend(running), true, true);
        assertTrue(s.mayStealFrom());
    }

    @Test
    void shouldDropItsJobsWhenThePoolStopsOrTerminates() {
        WorkerSlot starting = new WorkerSlot(0, null);
        starting.beginStart();
        assertEquals(List.of(), starting.abandon());
        assertEquals(State.STARTING, starting.state(), "a start under way stays");
        WorkerSlot s = activeSlot();
        PoolJob a = job(1);
        s.sendDone(a, s.claimForSend(a), true, false);
        assertEquals(List.of(a), s.abandon());
        assertEquals(State.DEAD, s.state());
        assertEquals(List.of(), starting.terminate());
        assertEquals(State.DEAD, starting.state());
    }

    @Test
    void shouldSendStopOncePerGeneration() {
        WorkerSlot s = activeSlot();
        assertTrue(s.stopNotSent());
        s.stopSent(1_000);
        assertFalse(s.stopNotSent());
        assertFalse(s.stopOverdue(2_000, 5_000));
        assertTrue(s.stopOverdue(7_000, 5_000));
        s.beginStart();
        assertTrue(s.stopNotSent(), "a new generation");
    }

    /** A submission that only has to be itself. */
    private static final class MapRunStub implements Submission {
        @Override
        public PoolJob nextJob() {
            return null;
        }

        @Override
        public boolean hasMoreJobs() {
            return false;
        }

        @Override
        public boolean canSupplyNow() {
            return false;
        }

        @Override
        public void started(PoolJob job) {
        }

        @Override
        public void unsent(PoolJob job) {
        }

        @Override
        public void deliver(int index, boolean ok, Object valueOrError) {
        }

        @Override
        public boolean isFinished() {
            return false;
        }

        @Override
        public List<Runnable> abort(Throwable reason) {
            return List.of();
        }
    }
}
