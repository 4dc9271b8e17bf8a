package io.interproc.pool.internal;

import io.interproc.pool.internal.PoolState.RunState;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The body of a pool's dispatcher thread, which alone writes to the workers' inboxes while the
 * pool runs: it sends each job to a specific worker, and takes queued jobs back out of an inbox
 * when they were cancelled or an idle worker could start them now.
 *
 * <p>Each round: choose a step under the lock ({@link #nextStep}: a job and a worker, a submission
 * to read a job from, or an inbox to take jobs back from), claim the worker's inbox
 * ({@link WorkerSlot#claimForSend}), leave the lock, do the queue I/O, then re-take the lock to
 * release the inbox and re-validate: a job not delivered goes back to the front; a worker that
 * died meanwhile (its exit marker parked in the slot while the inbox was claimed) is settled here.
 * A worker is sent a job when it is idle, or — up to {@code prefetch} jobs deep — queued behind
 * the ones it holds, so that it goes from task to task without waiting for this JVM. Reading a
 * job from a submission (which may run the caller's argument iterator) happens outside the lock.
 */
final class Dispatcher implements Runnable {
    /** How long the dispatcher waits for a worker's inbox when it takes queued jobs back. */
    private static final long RECLAIM_WAIT_MILLIS = 20;
    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

    private final PoolState state;
    private final PoolSettings settings;
    private final Settler settler;

    Dispatcher(PoolState state, PoolSettings settings, Settler settler) {
        this.state = state;
        this.settings = settings;
        this.settler = settler;
    }

    /** What the dispatcher does next; chosen under the lock. */
    private static final class Step {
        WorkerSlot slot;
        PoolJob job;
        Submission source;
        WorkerSlot victim;
        boolean reclaimAll;
    }

    @Override
    public void run() {
        Step step = new Step();
        while (nextStep(step)) {
            if (step.victim != null) {
                reclaim(step.victim, step.reclaimAll);
                continue;
            }
            PoolJob job = step.job != null ? step.job : readJob(step.source);
            if (job != null && !sendJob(step.slot, job)) {
                return;
            }
        }
    }

    /** Reads the next job of a submission, outside the lock. @return it, or null if none */
    private PoolJob readJob(Submission source) {
        PoolJob job = null;
        try {
            job = source.nextJob();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "process pool " + settings.name() + ": reading a task failed", e);
            source.abort(e);
        }
        if (job == null || !source.hasMoreJobs()) {
            state.lock.lock();
            try {
                state.pending.remove(source);
            } finally {
                state.lock.unlock();
            }
        }
        return job;
    }

    /**
     * Sends one job to a worker: claims the inbox under the lock, sends outside it, then releases
     * the inbox under the lock and settles the worker if it died meanwhile.
     *
     * @return false when the dispatcher must end (the pool stops; the job was aborted)
     */
    private boolean sendJob(WorkerSlot slot, PoolJob job) {
        int generation;
        boolean queuedBehind;
        Throwable stopReason;
        state.lock.lock();
        try {
            if (state.stopping()) {
                stopReason = state.brokenCause;
                generation = -1;
                queuedBehind = false;
            } else if (job.submission().isFinished()) {
                return true;
            } else if (!canSend(slot, job)) {
                state.ready.addFirst(job);
                return true;
            } else {
                stopReason = null;
                queuedBehind = !slot.isIdle();
                generation = slot.claimForSend(job);
            }
        } finally {
            state.lock.unlock();
        }
        if (generation < 0) {
            job.submission().abort(stopReason);
            return false;
        }
        job.submission().started(job);
        boolean delivered = queuedBehind ? offerNow(slot, generation, job) : send(slot, generation, job);
        String death;
        state.lock.lock();
        try {
            death = slot.sendDone(job, generation, delivered, queuedBehind);
            state.stateChanged.signalAll();
            // not in the inbox: the worker cannot have it
            if (!delivered && !state.stopping() && !job.submission().isFinished()) {
                state.ready.addFirst(job);
            }
        } finally {
            state.lock.unlock();
        }
        if (death != null) {
            settler.settle(slot, death);
        }
        return true;
    }

    /**
     * Waits for something to do: a job for a worker that can take it, a source to read for a free
     * worker, or queued jobs to take back from an inbox (for an idle worker, or because they were
     * cancelled). Ends the pool's SHUTDOWN phase when nothing is left.
     *
     * @return false when the dispatcher must end
     */
    private boolean nextStep(Step step) {
        step.slot = null;
        step.job = null;
        step.source = null;
        step.victim = null;
        state.lock.lock();
        try {
            while (true) {
                if (state.stopping()) {
                    return false;
                }
                PoolJob job = peekReady();
                if (job != null) {
                    WorkerSlot slot = slotFor(job);
                    if (slot != null) {
                        state.ready.pollFirst();
                        step.slot = slot;
                        step.job = job;
                        return true;
                    }
                } else {
                    Submission source = supplyingSource();
                    WorkerSlot slot = source == null ? null : slotFor(null);
                    if (slot != null) {
                        step.slot = slot;
                        step.source = source;
                        return true;
                    }
                }
                WorkerSlot victim = reclaimVictim(job == null);
                if (victim != null) {
                    step.victim = victim;
                    step.reclaimAll = victim.claimForReclaim();
                    return true;
                }
                if (state.runState == RunState.SHUTDOWN && state.pending.isEmpty() && state.ready.isEmpty()
                        && !state.anyHeld()) {
                    state.runState = RunState.STOPPING;
                    state.stateChanged.signalAll();
                    state.wakeMonitor();
                    return false;
                }
                state.work.awaitUninterruptibly();
            }
        } finally {
            state.lock.unlock();
        }
    }

    private Submission supplyingSource() {
        for (Submission s : state.pending) {
            if (s.canSupplyNow()) {
                return s;
            }
        }
        return null;
    }

    /** @return the first ready job whose submission still wants it, or null */
    private PoolJob peekReady() {
        PoolJob job;
        while ((job = state.ready.peekFirst()) != null) {
            if (!job.submission().isFinished()) {
                return job;
            }
            state.ready.pollFirst();
        }
        return null;
    }

    /**
     * The worker to give a job to: an idle one, else the least loaded one that may have another
     * job queued in its inbox ({@code prefetch}).
     *
     * @param job the job, or null for one not built yet (assumed to fit an inbox whole)
     */
    private WorkerSlot slotFor(PoolJob job) {
        WorkerSlot best = null;
        for (WorkerSlot s : state.slots) {
            if (!s.maySend(settings.maxTasksPerWorker())) {
                continue;
            }
            if (s.isIdle()) {
                return s;
            }
            if (s.mayQueueBehind(settings.prefetch()) && (job == null || fitsWhole(s, job))
                    && (best == null || s.heldCount() < best.heldCount())) {
                best = s;
            }
        }
        return best;
    }

    private boolean canSend(WorkerSlot s, PoolJob job) {
        if (!s.maySend(settings.maxTasksPerWorker())) {
            return false;
        }
        return s.isIdle() || (s.mayQueueBehind(settings.prefetch()) && fitsWhole(s, job));
    }

    private static boolean fitsWhole(WorkerSlot s, PoolJob job) {
        return job.message().length <= s.inbox.maxWholeMessage();
    }

    /**
     * A worker whose inbox holds jobs to take back: cancelled ones, or (when {@code forIdle} and
     * some worker is idle with nothing else to do) queued ones another worker could start now.
     */
    private WorkerSlot reclaimVictim(boolean forIdle) {
        boolean someIdle = false;
        WorkerSlot victim = null;
        for (WorkerSlot s : state.slots) {
            if (s.state() != WorkerSlot.State.ACTIVE || s.inboxBusy()) {
                continue;
            }
            if (s.wantsReclaim()) {
                return s;
            }
            s.dropReclaim();
            if (s.isIdle() && s.underTaskLimit(settings.maxTasksPerWorker())) {
                someIdle = true;
            } else if (s.mayStealFrom() && (victim == null || s.heldCount() > victim.heldCount())) {
                victim = s;
            }
        }
        return forIdle && someIdle ? victim : null;
    }

    /**
     * Puts a job in an idle worker's inbox, waiting for room if it is larger than the ring, and
     * giving up if the worker is gone.
     *
     * @return true if the message is in the inbox (the worker may take it), false if not
     */
    private boolean send(WorkerSlot slot, int generation, PoolJob job) {
        PoolWire.setGeneration(job.message(), generation);
        while (true) {
            try {
                if (slot.inbox.offerBytes(ByteBuffer.wrap(job.message()), 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            } catch (InterruptedException e) {
                // nobody interrupts the dispatcher; check below
            } catch (IllegalStateException e) {
                return false; // the segment is closed: the pool has terminated
            }
            state.lock.lock();
            try {
                if (slot.sendAbandoned(generation) || state.stopping()) {
                    return false;
                }
            } finally {
                state.lock.unlock();
            }
            if (!slot.process().isAlive()) {
                return false;
            }
        }
    }

    /** Queues a job behind the ones a busy worker holds, if it fits now. @return whether it did */
    private static boolean offerNow(WorkerSlot slot, int generation, PoolJob job) {
        PoolWire.setGeneration(job.message(), generation);
        try {
            return slot.inbox.offerBytes(ByteBuffer.wrap(job.message()));
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /**
     * Takes queued jobs back out of a live worker's inbox: all of them (some were cancelled), or
     * one (for an idle worker). A message taken here is one the worker never gets; the worker takes
     * messages one at a time, so the race with it is decided by the inbox's consumer lock.
     */
    private void reclaim(WorkerSlot victim, boolean all) {
        List<PoolWire.Header> taken = new ArrayList<>();
        InboxReader reader = new InboxReader();
        int attempts = 0;
        while (all || taken.isEmpty()) {
            // A worker waiting in take() holds its inbox's consumer lock until it wakes for the
            // message that just arrived: give it a moment to take that one and let go.
            int n = reader.poll(victim.inbox, taken.isEmpty() ? RECLAIM_WAIT_MILLIS : 0);
            if (n == InboxReader.CLOSED) {
                break;
            }
            if (n == InboxReader.EMPTY) {
                if (all && taken.isEmpty() && ++attempts < 3) {
                    continue;
                }
                break;
            }
            taken.add(PoolWire.Header.read(reader.array(), n));
        }
        String death;
        state.lock.lock();
        try {
            death = victim.reclaimDone(taken.isEmpty() && !all);
            state.stateChanged.signalAll();
            state.requeueFirst(takeBack(victim, taken));
        } finally {
            state.lock.unlock();
        }
        if (death != null) {
            settler.settle(victim, death);
        }
    }

    /** Matches messages taken out of an inbox to the jobs the slot holds. Lock held. @return those still wanted */
    private List<PoolJob> takeBack(WorkerSlot victim, List<PoolWire.Header> taken) {
        List<PoolJob> back = new ArrayList<>();
        for (PoolWire.Header t : taken) {
            PoolJob job = t.type() == PoolWire.TASK ? victim.takeBack(t.generation(), t.taskId()) : null;
            if (job == null) {
                if (state.stopping()) {
                    continue; // shutdownNow settled the worker's jobs meanwhile
                }
                LOG.log(System.Logger.Level.ERROR, "process pool " + settings.name() + ": took back an unknown "
                        + "message from worker slot " + victim.index + ": type=" + t.type() + ", generation="
                        + t.generation() + ", task=" + t.taskId());
                continue;
            }
            job.submission().unsent(job);
            if (!job.submission().isFinished()) {
                back.add(job);
            }
        }
        return back;
    }
}
