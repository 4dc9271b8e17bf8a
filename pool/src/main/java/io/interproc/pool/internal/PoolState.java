package io.interproc.pool.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state a pool's threads share, and the one lock that guards it: the run state, the
 * submissions waiting for a worker, jobs to resend, and the {@link WorkerSlot}s. Used by every
 * thread of the pool (dispatcher, collector, monitor, callers of the API); every field not final
 * and every slot is read and written with {@link #lock} held.
 *
 * <p>One lock for all of it, on purpose: a job moves between {@link #ready}, a slot's held jobs
 * and a submission's outcome in single critical sections, which is what makes "none vanishes, none
 * runs twice" easy to check. No I/O on a queue and no call into a submission happens under it.
 */
final class PoolState {
    /** The pool's life: RUNNING → SHUTDOWN (no new tasks) → STOPPING (workers asked to exit) → TERMINATED. */
    enum RunState {
        RUNNING, SHUTDOWN, STOPPING, TERMINATED;

        boolean atLeast(RunState other) {
            return compareTo(other) >= 0;
        }
    }

    final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the dispatcher may have something to do. */
    final Condition work = lock.newCondition();
    /** Signalled when a worker becomes ready or dies, an inbox is released, and on termination. */
    final Condition stateChanged = lock.newCondition();
    /** Submissions that may supply more jobs, first come first served. */
    final ArrayDeque<Submission> pending = new ArrayDeque<>();
    /** Jobs built for a worker that died before it got them (or taken back); sent before anything pending. */
    final ArrayDeque<PoolJob> ready = new ArrayDeque<>();
    final WorkerSlot[] slots;
    RunState runState = RunState.RUNNING;
    Throwable brokenCause;
    int startFailures;
    String lastStartFailure;
    /** The monitor thread, set before any thread starts. */
    private Thread monitor;

    PoolState(WorkerSlot[] slots) {
        this.slots = slots;
    }

    void setMonitor(Thread monitor) {
        this.monitor = monitor;
    }

    /** Wakes the monitor thread (a worker died, or the pool stops). Any thread, lock or not. */
    void wakeMonitor() {
        LockSupport.unpark(monitor);
    }

    boolean stopping() {
        return runState.atLeast(RunState.STOPPING);
    }

    /** Wakes the dispatcher. Takes the lock. */
    void signalWork() {
        lock.lock();
        try {
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** @return the pids of the live workers, in slot order. Lock held. */
    List<Long> workerPidsLocked() {
        List<Long> pids = new ArrayList<>();
        for (WorkerSlot s : slots) {
            if (s.process() != null && s.process().isAlive()) {
                pids.add(s.process().pid());
            }
        }
        return pids;
    }

    /** @return whether a worker holds a job, is being settled, or has its inbox in use. Lock held. */
    boolean anyHeld() {
        for (WorkerSlot s : slots) {
            if (s.isOccupied()) {
                return true;
            }
        }
        return false;
    }

    /** Puts jobs back at the front of {@link #ready}, in their order. Lock held. */
    void requeueFirst(List<PoolJob> jobs) {
        for (int i = jobs.size() - 1; i >= 0; i--) {
            ready.addFirst(jobs.get(i));
        }
    }

    /**
     * Counts a worker that could not start or exited before it was ready. Lock held.
     *
     * @return whether the pool must give up now (too many in a row)
     */
    boolean startFailed(String what) {
        startFailures++;
        lastStartFailure = what;
        stateChanged.signalAll();
        return startFailures >= WorkerMonitor.MAX_START_FAILURES && !stopping();
    }
}
