package io.interproc.pool.internal;

import io.interproc.core.PeerDiedException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Settles the jobs a dead worker held, and drains inboxes. Called by the collector thread (on an
 * exit marker), the dispatcher thread (when the worker died while it used the inbox) and by
 * {@code shutdownNow}'s caller; never with the lock held (it takes it).
 *
 * <p>Why settling is exact: every result the dead worker published has been handled (the exit
 * marker came after them on the FIFO result queue), so each job left is either still in its inbox
 * — never taken: it goes back to the front of the queue for another worker — or was taken and not
 * answered: the task the worker was running (a worker takes one message at a time), which fails
 * with a {@link PeerDiedException}. None vanishes, none runs twice, none is failed that completed.
 */
final class Settler {
    private final PoolState state;

    Settler(PoolState state) {
        this.state = state;
    }

    /**
     * Settles a dead worker's jobs. Called with the slot EXITED, nobody else using its inbox and no
     * replacement started; the slot is DEAD (to be replaced) afterwards.
     *
     * @param s the slot
     * @param death "worker pid=… exited with code …", for the failure
     */
    void settle(WorkerSlot s, String death) {
        int generation;
        state.lock.lock();
        try {
            generation = s.generation();
        } finally {
            state.lock.unlock();
        }
        Set<Long> untaken = untakenInInbox(s, generation);
        List<PoolJob> requeue = new ArrayList<>();
        List<PoolJob> failed = new ArrayList<>();
        boolean stopping;
        Throwable reason;
        state.lock.lock();
        try {
            for (PoolJob job : s.settled()) {
                if (!job.submission().isFinished()) {
                    (untaken.contains(job.id()) ? requeue : failed).add(job);
                }
            }
            stopping = state.stopping();
            reason = state.brokenCause;
            if (!stopping) {
                state.requeueFirst(requeue);
            }
            state.work.signal();
            state.stateChanged.signalAll();
        } finally {
            state.lock.unlock();
        }
        state.wakeMonitor();
        if (stopping) {
            requeue.forEach(job -> job.submission().abort(reason));
        }
        for (PoolJob job : failed) {
            job.submission().failAll(job, new PeerDiedException(death + " while running " + job.description()
                    + "; the pool replaced it"));
        }
    }

    /** Empties an inbox. @return those of {@code held} whose messages were there, never taken */
    static List<PoolJob> drainInbox(WorkerSlot s, int generation, List<PoolJob> held) {
        if (held.isEmpty()) {
            return List.of();
        }
        Set<Long> ids = untakenInInbox(s, generation);
        List<PoolJob> found = new ArrayList<>();
        for (PoolJob job : held) {
            if (ids.contains(job.id())) {
                found.add(job);
            }
        }
        return found;
    }

    /** Empties a worker's inbox. @return the ids of this generation's tasks found there, never taken */
    private static Set<Long> untakenInInbox(WorkerSlot s, int generation) {
        Set<Long> ids = new HashSet<>();
        InboxReader reader = new InboxReader();
        int n;
        while ((n = reader.poll(s.inbox, 0)) >= 0) {
            if (n >= PoolWire.HEADER_SIZE) {
                PoolWire.Header h = PoolWire.Header.read(reader.array(), n);
                if (h.type() == PoolWire.TASK && h.generation() == generation) {
                    ids.add(h.taskId());
                }
            }
        }
        return ids;
    }
}
