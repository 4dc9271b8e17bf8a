package io.interproc.pool.internal;

import io.interproc.core.Segment;
import io.interproc.pool.internal.PoolState.RunState;
import io.interproc.process.JvmProcess;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * How a pool ends: {@code shutdown} (SHUTDOWN: the dispatcher moves to STOPPING once nothing is
 * left), {@code shutdownNow} and giving up on failing workers ({@link #stopNow}: STOPPING at once,
 * every job settled here), the monitor's {@link #finish} once every worker has exited
 * (TERMINATED: threads joined, leftovers aborted, segment removed, callbacks run), and the JVM
 * shutdown hook. {@link #stopNow} is called by any thread (callers of the API, the collector, the
 * monitor); {@link #finish} by the monitor thread only; the queries by any thread.
 */
final class Termination {
    private static final System.Logger LOG = System.getLogger(Termination.class.getName());

    private final PoolState state;
    private final PoolSettings settings;
    private final Segment segment;
    private final ThreadPoolExecutor callbacks;
    private final Thread shutdownHook;
    private Thread dispatcher;
    private Thread collectorThread;
    private Collector collector;

    Termination(PoolState state, PoolSettings settings, Segment segment, ThreadPoolExecutor callbacks) {
        this.state = state;
        this.settings = settings;
        this.segment = segment;
        this.callbacks = callbacks;
        this.shutdownHook = new Thread(this::onJvmExit, "interproc-" + settings.name() + "-shutdown");
    }

    Thread shutdownHook() {
        return shutdownHook;
    }

    /** Tells which threads to join; called once, before they start. */
    void attach(Thread dispatcherThread, Thread collectorThread, Collector collector) {
        this.dispatcher = dispatcherThread;
        this.collectorThread = collectorThread;
        this.collector = collector;
    }

    /** RUNNING → SHUTDOWN. Any thread. */
    void shutdown() {
        state.lock.lock();
        try {
            if (state.runState == RunState.RUNNING) {
                state.runState = RunState.SHUTDOWN;
                state.work.signal();
                state.stateChanged.signalAll();
            }
        } finally {
            state.lock.unlock();
        }
    }

    /**
     * Stops now: STOPPING, every job not done settled (queued ones drained from the inboxes first,
     * so that they are returned as never started), every worker killed. Any thread.
     *
     * @param reason {@code null} for {@code shutdownNow} (tasks are cancelled), else why the pool gave up
     * @return the runnables of the tasks that never started
     */
    List<Runnable> stopNow(Throwable reason) {
        Set<Submission> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Submission> ordered = new ArrayList<>();
        List<JvmProcess> kill = new ArrayList<>();
        List<List<PoolJob>> heldBySlot = new ArrayList<>();
        int[] generations = new int[state.slots.length];
        state.lock.lock();
        try {
            if (state.runState == RunState.TERMINATED) {
                return List.of();
            }
            if (!state.stopping()) {
                state.runState = RunState.STOPPING;
            }
            if (reason != null && state.brokenCause == null) {
                state.brokenCause = reason;
            }
            state.work.signalAll();
            awaitInboxesQuiet();
            for (Submission s : state.pending) {
                addOnce(seen, ordered, s);
            }
            state.pending.clear();
            for (PoolJob job : state.ready) {
                addOnce(seen, ordered, job.submission());
            }
            state.ready.clear();
            for (WorkerSlot s : state.slots) {
                generations[s.index] = s.generation();
                if (s.process() != null) {
                    kill.add(s.process());
                }
                List<PoolJob> held = s.abandon();
                heldBySlot.add(held);
                held.forEach(job -> addOnce(seen, ordered, job.submission()));
            }
            state.work.signalAll();
            state.stateChanged.signalAll();
        } finally {
            state.lock.unlock();
        }
        // Jobs still queued in an inbox never started: take them out before the kill, so that the
        // list below holds them (a worker that takes one first simply runs until it is killed).
        for (WorkerSlot s : state.slots) {
            for (PoolJob job : Settler.drainInbox(s, generations[s.index], heldBySlot.get(s.index))) {
                job.submission().unsent(job);
            }
        }
        kill.forEach(JvmProcess::kill);
        List<Runnable> unstarted = new ArrayList<>();
        for (Submission s : ordered) {
            unstarted.addAll(s.abort(reason));
        }
        state.wakeMonitor();
        return unstarted;
    }

    private static void addOnce(Set<Submission> seen, List<Submission> ordered, Submission s) {
        if (seen.add(s)) {
            ordered.add(s);
        }
    }

    /**
     * Waits (briefly: the dispatcher gives up a send within about 100 ms once the pool stops) until
     * the dispatcher uses no inbox, so that what is in the inboxes is what will stay there. Lock held.
     */
    private void awaitInboxesQuiet() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        boolean interrupted = false;
        while (true) {
            boolean busy = false;
            for (WorkerSlot s : state.slots) {
                busy |= s.inboxBusy();
            }
            long left = deadline - System.nanoTime();
            if (!busy || left <= 0 || Thread.currentThread() == dispatcher) {
                break;
            }
            try {
                state.stateChanged.awaitNanos(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** STOPPING → TERMINATED once every worker has exited. Monitor thread. */
    void finish() {
        collector.stop();
        state.lock.lock();
        try {
            state.work.signalAll();
        } finally {
            state.lock.unlock();
        }
        joinQuietly(collectorThread);
        joinQuietly(dispatcher);
        List<Submission> leftovers = new ArrayList<>();
        state.lock.lock();
        try {
            leftovers.addAll(state.pending);
            state.pending.clear();
            state.ready.forEach(j -> leftovers.add(j.submission()));
            state.ready.clear();
            for (WorkerSlot s : state.slots) {
                s.terminate().forEach(j -> leftovers.add(j.submission()));
            }
        } finally {
            state.lock.unlock();
        }
        leftovers.forEach(s -> s.abort(state.brokenCause));
        segment.close();
        try {
            segment.unlink();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "process pool " + settings.name() + ": cannot remove its segment", e);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is exiting; the hook runs anyway and finds nothing to do
        }
        callbacks.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (callbacks.awaitTermination(1, TimeUnit.DAYS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        state.lock.lock();
        try {
            state.runState = RunState.TERMINATED;
            state.stateChanged.signalAll();
        } finally {
            state.lock.unlock();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinQuietly(Thread t) {
        if (t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The shutdown hook: kills the workers and removes the segment. */
    private void onJvmExit() {
        for (WorkerSlot s : state.slots) {
            JvmProcess p = s.process();
            if (p != null) {
                p.kill();
            }
        }
        try {
            segment.unlink();
        } catch (RuntimeException e) {
            // nothing more to do while the JVM exits
        }
    }

    /** @return whether the run state is at least {@code atLeast}. Any thread. */
    boolean reached(RunState atLeast) {
        state.lock.lock();
        try {
            return state.runState.atLeast(atLeast);
        } finally {
            state.lock.unlock();
        }
    }

    /** Waits until TERMINATED. Any thread. @return false if the timeout elapsed first */
    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        state.lock.lockInterruptibly();
        try {
            while (state.runState != RunState.TERMINATED) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = state.stateChanged.awaitNanos(nanos);
            }
            return true;
        } finally {
            state.lock.unlock();
        }
    }
}
