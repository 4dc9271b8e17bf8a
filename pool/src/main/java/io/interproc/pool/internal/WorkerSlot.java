package io.interproc.pool.internal;

import io.interproc.ipc.queue.SharedQueue;
import io.interproc.process.JvmProcess;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One worker position of a pool and the state machine of the worker JVM in it: the inbox stays,
 * the process in it is replaced (each replacement is a new <em>generation</em>). Not thread-safe:
 * every method is called with {@link PoolState#lock} held, by the dispatcher, collector and monitor
 * threads and by callers of the pool's lifecycle methods.
 *
 * <pre>
 *            beginStart              markReady                 answered (maxTasks reached)
 *   DEAD ────────────────► STARTING ──────────► ACTIVE ────────────────────────────► RETIRING
 *    ▲  ▲  startFailed        │                   │ exited (jobs held)                   │
 *    │  └─────────────────────┤                   ▼                                      │
 *    │       exited (nothing  │              EXITED ── settled ──► DEAD                  │
 *    │        held)           ▼                                                          │
 *    └──────────────────── (any) ◄───────────────── exited / abandon / terminate ◄───────┘
 * </pre>
 *
 * <p>Besides the state the slot keeps the jobs the current worker holds, in the order sent (the one
 * it runs first), and the dispatcher's bookkeeping of the inbox: whether the dispatcher is using
 * it right now ({@code inboxBusy}: nobody else may drain it then, so a death seen meanwhile is
 * parked in {@code pendingDeath} for the dispatcher to settle), whether a queued job did not fit
 * ({@code inboxFull}), whether cancelled jobs wait in it ({@code reclaim}), and whether taking a
 * queued job over found none ({@code noSteal}); the last three clear with the next answer.
 */
public final class WorkerSlot {
    /**
     * STARTING until the worker says READY; ACTIVE while it takes jobs (idle when it holds none);
     * RETIRING once it has answered its last task under {@code maxTasksPerWorker} (it then exits);
     * EXITED while the pool settles the jobs a dead worker held; DEAD until the monitor starts a
     * replacement.
     */
    public enum State { STARTING, ACTIVE, RETIRING, EXITED, DEAD }

    /** What the collector must do about a worker's exit marker; see {@link #exited(String)}. */
    public enum ExitAction {
        /** The worker held no job: the slot is DEAD, ready to be replaced. */
        NOTHING_HELD,
        /** The collector settles the jobs now (the slot is EXITED). */
        SETTLE_NOW,
        /** The dispatcher uses the inbox: it settles when done (the slot is EXITED). */
        DISPATCHER_SETTLES
    }

    final int index;
    final SharedQueue<byte[]> inbox;
    private JvmProcess process;
    private int generation;
    private State state = State.DEAD;
    /** Jobs sent (or being sent) to the current worker and not answered, in the order sent. */
    private final ArrayDeque<PoolJob> held = new ArrayDeque<>();
    /** Jobs sent to the current worker (for maxTasksPerWorker). */
    private int sent;
    private int jobsDone;
    private boolean inboxBusy;
    private String pendingDeath;
    private boolean inboxFull;
    private boolean reclaim;
    private boolean noSteal;
    private boolean exitNoticed;
    private int stopSentGeneration = -1;
    private long stopSentAt;

    /**
     * @param index the slot's position
     * @param inbox its inbox (tests may pass {@code null})
     */
    public WorkerSlot(int index, SharedQueue<byte[]> inbox) {
        this.index = index;
        this.inbox = inbox;
    }

    // ---------------------------------------------------------------- reading

    /** @return the state */
    public State state() {
        return state;
    }

    /** @return the current worker's generation */
    public int generation() {
        return generation;
    }

    JvmProcess process() {
        return process;
    }

    /** @return how many jobs the current worker holds */
    public int heldCount() {
        return held.size();
    }

    /** @return whether the dispatcher is using the inbox */
    public boolean inboxBusy() {
        return inboxBusy;
    }

    /** @return whether the worker holds no job */
    boolean isIdle() {
        return held.isEmpty();
    }

    /** @return whether the worker holds a job, is being settled or its inbox is in use */
    boolean isOccupied() {
        return !held.isEmpty() || state == State.EXITED || inboxBusy;
    }

    /** @return whether this worker may be sent another job at all (ready, inbox free, under maxTasks) */
    boolean maySend(int maxTasks) {
        return state == State.ACTIVE && !inboxBusy && underTaskLimit(maxTasks);
    }

    boolean underTaskLimit(int maxTasks) {
        return maxTasks == 0 || sent < maxTasks;
    }

    /** @return whether a job may be queued behind the ones held ({@code prefetch} jobs at most) */
    boolean mayQueueBehind(int prefetch) {
        return held.size() < prefetch && !inboxFull;
    }

    /** @return whether queued jobs may be taken over for an idle worker */
    boolean mayStealFrom() {
        return held.size() >= 2 && !noSteal;
    }

    /** @return whether cancelled jobs wait in the inbox behind the running one */
    boolean wantsReclaim() {
        return reclaim && held.size() >= 2;
    }

    /** Forgets a reclaim request that has nothing left to take back. */
    void dropReclaim() {
        reclaim = false;
    }

    List<PoolJob> heldJobs() {
        return new ArrayList<>(held);
    }

    /** @return whether the monitor has seen this worker's process gone and it awaits a replacement */
    boolean awaitsReplacement() {
        return state == State.DEAD && exitNoticed;
    }

    // ---------------------------------------------------------------- starting (monitor thread)

    /** DEAD → STARTING: a new generation with a clean slate. @return the new generation */
    public int beginStart() {
        generation++;
        state = State.STARTING;
        process = null;
        exitNoticed = false;
        held.clear();
        sent = 0;
        jobsDone = 0;
        inboxFull = false;
        reclaim = false;
        noSteal = false;
        return generation;
    }

    void processStarted(JvmProcess started) {
        this.process = started;
    }

    /** STARTING → DEAD: the process could not be started; it counts as noticed gone. */
    public void startFailed() {
        state = State.DEAD;
        exitNoticed = true;
    }

    /** STARTING → ACTIVE on the worker's READY. @return whether it applied (same generation, starting) */
    public boolean markReady(int forGeneration) {
        if (forGeneration == generation && state == State.STARTING) {
            state = State.ACTIVE;
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- the inbox (dispatcher thread)

    /**
     * Records a job as held and claims the inbox for sending it.
     *
     * @return the generation the message is for
     */
    public int claimForSend(PoolJob job) {
        held.addLast(job);
        sent++;
        inboxBusy = true;
        return generation;
    }

    /**
     * Releases the inbox after a send.
     *
     * @param job the job sent
     * @param forGeneration the generation it was sent to
     * @param delivered whether it is in the inbox
     * @param queuedBehind whether it was queued behind held jobs (a refusal then means the inbox is full)
     * @return the death to settle, if the worker died while the inbox was in use, else {@code null}
     */
    public String sendDone(PoolJob job, int forGeneration, boolean delivered, boolean queuedBehind) {
        inboxBusy = false;
        if (!delivered) {
            if (generation == forGeneration && held.remove(job)) {
                sent--;
            }
            if (queuedBehind) {
                inboxFull = true;
            }
        }
        return takePendingDeath();
    }

    /** Claims the inbox for taking jobs back. @return whether all queued jobs are to be taken (cancelled ones wait) */
    boolean claimForReclaim() {
        inboxBusy = true;
        boolean all = reclaim;
        reclaim = false;
        return all;
    }

    /** A job taken back out of the inbox, never run. @return it, or null if not held by this generation */
    PoolJob takeBack(int forGeneration, long id) {
        PoolJob job = forGeneration == generation ? removeHeld(id) : null;
        if (job != null) {
            sent--;
        }
        return job;
    }

    /**
     * Releases the inbox after taking jobs back.
     *
     * @param foundNone whether a take-over for an idle worker found nothing (the worker was quicker)
     * @return the death to settle, or {@code null}
     */
    String reclaimDone(boolean foundNone) {
        inboxBusy = false;
        if (foundNone) {
            noSteal = true;
        }
        return takePendingDeath();
    }

    private String takePendingDeath() {
        String death = pendingDeath;
        pendingDeath = null;
        return death;
    }

    /** Asks the dispatcher to take back the jobs queued behind the running one (they were cancelled). */
    void requestReclaim() {
        reclaim = true;
    }

    /**
     * A submission was cancelled: its job running (or next to run) here is reported for killing,
     * its jobs queued behind another are to be taken back unrun.
     *
     * @return the process to kill, or {@code null}
     */
    JvmProcess cancel(Submission submission, boolean killRunning) {
        JvmProcess kill = null;
        boolean first = true;
        for (PoolJob job : held) {
            if (job.submission() == submission) {
                if (first && killRunning && process != null) {
                    kill = process; // running (or next to run): stop it the only way there is
                } else if (!first) {
                    reclaim = true; // queued behind another task: take it back unrun
                }
            }
            first = false;
        }
        return kill;
    }

    /** @return whether a send to {@code forGeneration} should give up: replaced, dead or being settled */
    boolean sendAbandoned(int forGeneration) {
        return generation != forGeneration || pendingDeath != null;
    }

    // ---------------------------------------------------------------- answers and exits (collector thread)

    /**
     * Removes the job a RESULT answers; counts it, clears the inbox hints, and ACTIVE → RETIRING if
     * it was the worker's last task.
     *
     * @return the job, or null if not held (stale generation, or settled meanwhile)
     */
    public PoolJob answered(int forGeneration, long id, int maxTasks) {
        if (forGeneration != generation) {
            return null;
        }
        PoolJob head = held.peekFirst();
        // the worker answers in the order it was sent jobs; anything else is a bug, tolerated
        PoolJob job = head != null && head.id() == id ? held.pollFirst() : removeHeld(id);
        if (job != null) {
            jobsDone++;
            inboxFull = false;
            noSteal = false;
            if (maxTasks > 0 && jobsDone >= maxTasks) {
                state = State.RETIRING;
            }
        }
        return job;
    }

    /**
     * The exit marker of the current generation: → DEAD if the worker held nothing, else → EXITED
     * until its jobs are settled (by the dispatcher if it uses the inbox: {@code death} waits for it).
     */
    public ExitAction exited(String death) {
        if (held.isEmpty() && !inboxBusy) {
            state = State.DEAD;
            return ExitAction.NOTHING_HELD;
        }
        state = State.EXITED;
        if (inboxBusy) {
            pendingDeath = death;
            return ExitAction.DISPATCHER_SETTLES;
        }
        return ExitAction.SETTLE_NOW;
    }

    /** EXITED → DEAD: the jobs the dead worker held are settled. @return them, in the order sent */
    public List<PoolJob> settled() {
        List<PoolJob> jobs = new ArrayList<>(held);
        held.clear();
        state = State.DEAD;
        return jobs;
    }

    // ---------------------------------------------------------------- monitor and shutdown

    /**
     * Whether the monitor sees the current process gone for the first time. While the pool stops,
     * the slot also drops its jobs (the stop settles them) and is DEAD unless the inbox is in use.
     */
    boolean noticeExit(boolean stopping) {
        if (process == null || exitNoticed || process.isAlive()) {
            return false;
        }
        exitNoticed = true;
        if (stopping) {
            if (!inboxBusy) {
                state = State.DEAD;
            }
            held.clear();
        }
        return true;
    }

    /** The pool stops now: drops the jobs (→ DEAD unless a start is under way). @return them */
    List<PoolJob> abandon() {
        List<PoolJob> jobs = new ArrayList<>(held);
        held.clear();
        if (state != State.STARTING || process != null) {
            state = State.DEAD;
        }
        return jobs;
    }

    /** The pool has terminated: → DEAD. @return the jobs still held */
    List<PoolJob> terminate() {
        List<PoolJob> jobs = new ArrayList<>(held);
        held.clear();
        state = State.DEAD;
        return jobs;
    }

    /** @return whether STOP has not been sent to the current generation yet */
    boolean stopNotSent() {
        return stopSentGeneration != generation;
    }

    void stopSent(long now) {
        stopSentGeneration = generation;
        stopSentAt = now;
    }

    /** @return whether the current worker was sent STOP more than {@code graceNanos} ago */
    boolean stopOverdue(long now, long graceNanos) {
        return now - stopSentAt > graceNanos;
    }

    private PoolJob removeHeld(long id) {
        for (Iterator<PoolJob> it = held.iterator(); it.hasNext();) {
            PoolJob job = it.next();
            if (job.id() == id) {
                it.remove();
                return job;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "WorkerSlot[" + index + ", generation=" + generation + ", " + state + ", held=" + held.size()
                + (inboxBusy ? ", inbox busy" : "") + "]";
    }
}
