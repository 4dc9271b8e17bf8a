package io.interproc.pool.internal;

import io.interproc.core.InterprocException;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.pool.internal.PoolState.RunState;
import io.interproc.process.JvmProcess;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The body of a pool's monitor thread, which owns the worker processes: it starts them (and
 * replacements), looks at every worker's process every {@value #MONITOR_INTERVAL_MILLIS} ms (and
 * when woken), puts an EXITED marker on the result queue for each one seen gone — behind
 * everything the dead worker published, so the {@link Collector} settles its jobs exactly — and,
 * once the pool stops, asks the workers to exit (killing those that take too long) and then has
 * {@link Termination} finish.
 */
final class WorkerMonitor implements Runnable {
    /** How often the monitor looks at the workers' processes. */
    static final long MONITOR_INTERVAL_MILLIS = 50;
    /** Replacements that may exit before they are ready, in a row, before the pool gives up. */
    static final int MAX_START_FAILURES = 3;
    /** How long a worker asked to stop may take to exit before it is killed. */
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final PoolState state;
    private final PoolSettings settings;
    private final SharedQueue<byte[]> results;
    private final Termination termination;

    WorkerMonitor(PoolState state, PoolSettings settings, SharedQueue<byte[]> results, Termination termination) {
        this.state = state;
        this.settings = settings;
        this.results = results;
        this.termination = termination;
    }

    @Override
    public void run() {
        List<int[]> exits = new ArrayList<>();
        List<WorkerSlot> replace = new ArrayList<>();
        while (true) {
            boolean stopping;
            exits.clear();
            replace.clear();
            state.lock.lock();
            try {
                if (state.runState == RunState.TERMINATED) {
                    return;
                }
                stopping = state.stopping();
                for (WorkerSlot s : state.slots) {
                    if (s.noticeExit(stopping) && !stopping) {
                        exits.add(new int[] {s.index, s.generation()});
                    }
                    if (s.awaitsReplacement() && shouldReplace()) {
                        replace.add(s);
                    }
                }
            } finally {
                state.lock.unlock();
            }
            for (int[] exit : exits) {
                putExitMarker(exit[0], exit[1]);
            }
            for (WorkerSlot s : replace) {
                startWorker(s);
            }
            if (stopping && stopWorkers()) {
                termination.finish();
                return;
            }
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(MONITOR_INTERVAL_MILLIS));
        }
    }

    /** Lock held. */
    private boolean shouldReplace() {
        if (state.brokenCause != null) {
            return false;
        }
        return state.runState == RunState.RUNNING
                || (state.runState == RunState.SHUTDOWN && (!state.pending.isEmpty() || !state.ready.isEmpty()));
    }

    /** Puts an EXITED marker behind whatever the dead worker published; gives up if the pool stops. */
    private void putExitMarker(int slot, int generation) {
        ByteBuffer marker = ByteBuffer.wrap(PoolWire.exited(slot, generation));
        while (true) {
            try {
                if (results.offerBytes(marker, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                // nobody interrupts the monitor
            } catch (IllegalStateException e) {
                return;
            }
            state.lock.lock();
            try {
                if (state.stopping()) {
                    return;
                }
            } finally {
                state.lock.unlock();
            }
            marker.rewind();
        }
    }

    /**
     * Starts a worker JVM in a slot (a new generation). Called by the monitor thread, and by the
     * pool's constructor before the threads start.
     */
    void startWorker(WorkerSlot s) {
        int generation;
        state.lock.lock();
        try {
            generation = s.beginStart();
        } finally {
            state.lock.unlock();
        }
        JvmProcess process;
        try {
            PoolCodec codec = settings.codec();
            process = JvmProcess.builder(PoolWorker.class)
                    .args(settings.name(), settings.segmentOptions().directory().toString(), Integer.toString(s.index),
                            Integer.toString(generation), Integer.toString(settings.maxTasksPerWorker()),
                            codec.filterSpec() == null ? "-" : codec.filterSpec(),
                            Long.toString(settings.maxResultBytes()), codec.limits().toString())
                    .inheritJvmOptions(settings.inheritJvmOptions())
                    .classDataSharing(settings.classDataSharing())
                    .jvmOptions("-XX:+ExitOnOutOfMemoryError")
                    .jvmOptions(settings.jvmOptions().toArray(new String[0]))
                    .start();
        } catch (RuntimeException e) {
            boolean giveUp;
            state.lock.lock();
            try {
                s.startFailed();
                giveUp = state.startFailed("cannot start a worker JVM: " + e.getMessage());
            } finally {
                state.lock.unlock();
            }
            if (giveUp) {
                termination.stopNow(new InterprocException("process pool " + settings.name() + " stopped: "
                        + state.lastStartFailure, e));
            }
            return;
        }
        state.lock.lock();
        try {
            s.processStarted(process);
        } finally {
            state.lock.unlock();
        }
    }

    /**
     * Asks every live worker to stop (killing those that take too long).
     *
     * @return true once no worker process is alive
     */
    private boolean stopWorkers() {
        boolean allGone = true;
        long now = System.nanoTime();
        state.lock.lock();
        try {
            for (WorkerSlot s : state.slots) {
                JvmProcess p = s.process();
                if (p == null || !p.isAlive()) {
                    continue;
                }
                allGone = false;
                if (s.stopNotSent()) {
                    if (s.inbox.offerBytes(ByteBuffer.wrap(PoolWire.stop(s.generation())))) {
                        s.stopSent(now);
                    }
                } else if (s.stopOverdue(now, STOP_GRACE_NANOS)) {
                    p.kill();
                }
            }
        } catch (IllegalStateException e) {
            // segment closed: cannot happen before termination
        } finally {
            state.lock.unlock();
        }
        return allGone;
    }
}
