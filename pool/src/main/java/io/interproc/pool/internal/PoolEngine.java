package io.interproc.pool.internal;

import io.interproc.core.Codec;
import io.interproc.core.InterprocException;
import io.interproc.core.Segment;
import io.interproc.core.wait.Deadline;
import io.interproc.core.wait.WaitLoop;
import io.interproc.ipc.queue.QueueDescriptor;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.ipc.ring.RingDescriptor;
import io.interproc.pool.internal.PoolState.RunState;
import io.interproc.process.JvmProcess;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The machinery behind one {@code ProcessPool}: makes the pool's private segment (one
 * {@link SharedQueue} inbox per worker slot and one result queue, see {@link PoolWire}), starts
 * the workers and the pool's daemon threads — {@link Dispatcher}, {@link Collector},
 * {@link WorkerMonitor}, and one callback thread — and is what the facade, the futures and the map
 * runs call. Thread-safe: every method may be called by any thread.
 */
public final class PoolEngine {
    /** Name of the result queue in the pool's segment. */
    static final String RESULTS = "results";
    /**
     * The longest a pool thread (collector, dispatcher, monitor) or a worker's main thread spins
     * in a blocking wait before it sleeps ({@link WaitLoop#capSpin}): the pool runs more threads
     * than there are CPUs, and a longer spin takes the CPU from the thread that would end it.
     * Measured on 2 CPUs, {@code applyAsync} of tiny tasks: about 105,000 tasks/s with the
     * default spin, about 200,000 with this one; {@code map} unchanged.
     */
    static final long PIPELINE_SPIN_NANOS = 3_000;
    private static final System.Logger LOG = System.getLogger(PoolEngine.class.getName());

    private final PoolSettings settings;
    private final Segment segment;
    private final PoolState state;
    private final AtomicLong taskIds = new AtomicLong();
    private final ThreadPoolExecutor callbacks;
    private final Termination termination;
    private final Collector collector;

    /**
     * Starts the pool and blocks until every worker is ready.
     *
     * @param settings the configuration
     * @param queueCapacity requested bytes of each queue's ring
     * @param startTimeout how long the workers may take to be ready
     * @throws IllegalArgumentException if the segment would be too large
     * @throws InterprocException if the workers cannot be started
     */
    public PoolEngine(PoolSettings settings, long queueCapacity, Duration startTimeout) {
        this.settings = settings;
        int ring = RingDescriptor.capacityFor(queueCapacity);
        long size = (settings.workers() + 1L) * (QueueDescriptor.size(ring) + 128) + (1 << 20);
        if (size > Segment.MAX_SIZE) {
            throw new IllegalArgumentException("pool segment would exceed " + Segment.MAX_SIZE + " bytes: workers="
                    + settings.workers() + ", queueCapacity=" + ring
                    + " (use fewer workers or a smaller queue capacity)");
        }
        this.segment = Segment.create(settings.name(), size, settings.segmentOptions());
        SharedQueue<byte[]> results;
        WorkerSlot[] slots = new WorkerSlot[settings.workers()];
        try {
            results = SharedQueue.create(segment, RESULTS, ring, Codec.bytes());
            for (int i = 0; i < slots.length; i++) {
                slots[i] = new WorkerSlot(i, SharedQueue.create(segment, inboxName(i), ring, Codec.bytes()));
            }
        } catch (RuntimeException | Error e) {
            segment.close();
            segment.unlink();
            throw e;
        }
        this.state = new PoolState(slots);
        Settler settler = new Settler(state);
        this.callbacks = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> daemon(r, "callbacks"));
        this.termination = new Termination(state, settings, segment, callbacks);
        Runtime.getRuntime().addShutdownHook(termination.shutdownHook());
        this.collector = new Collector(state, settings, segment, results, settler, termination);
        WorkerMonitor monitor = new WorkerMonitor(state, settings, results, termination);
        Thread collectorThread = daemon(collector, "collector");
        Thread monitorThread = daemon(monitor, "monitor");
        Thread dispatcherThread = daemon(new Dispatcher(state, settings, settler), "dispatcher");
        state.setMonitor(monitorThread);
        termination.attach(dispatcherThread, collectorThread, collector);
        for (WorkerSlot slot : slots) {
            monitor.startWorker(slot);
        }
        collectorThread.start();
        monitorThread.start();
        dispatcherThread.start();
        awaitWorkersReady(startTimeout);
    }

    private Thread daemon(Runnable body, String role) {
        Thread t = new Thread(() -> {
            WaitLoop.capSpin(PIPELINE_SPIN_NANOS);
            body.run();
        }, "interproc-" + settings.name() + "-" + role);
        t.setDaemon(true);
        return t;
    }

    static String inboxName(int slot) {
        return "inbox-" + slot;
    }

    private void awaitWorkersReady(Duration timeout) {
        long deadline = Deadline.after(Deadline.toNanos(timeout));
        String failure = null;
        boolean interrupted = false;
        state.lock.lock();
        try {
            while (true) {
                if (state.startFailures > 0 || state.brokenCause != null) {
                    failure = "a worker JVM failed to start: " + state.lastStartFailure;
                    break;
                }
                boolean allReady = true;
                for (WorkerSlot s : state.slots) {
                    allReady &= s.state() == WorkerSlot.State.ACTIVE;
                }
                if (allReady) {
                    return;
                }
                long left = Deadline.remaining(deadline);
                if (left <= 0) {
                    failure = "worker JVMs not ready within " + timeout + ": pids=" + state.workerPidsLocked();
                    break;
                }
                try {
                    state.stateChanged.awaitNanos(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                    failure = "interrupted while waiting for the worker JVMs to be ready";
                    break;
                }
            }
        } finally {
            state.lock.unlock();
        }
        InterprocException e = new InterprocException("cannot start process pool " + settings.name() + ": "
                + failure + " (check the worker JVM options: " + settings.jvmOptions() + "; a worker's error output"
                + " goes to this JVM's standard error)");
        termination.stopNow(e);
        try {
            termination.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        throw e;
    }

    // ---------------------------------------------------------------- for the facade

    /** @return the configuration */
    public PoolSettings settings() {
        return settings;
    }

    /** @return the codec of tasks, arguments, results and exceptions */
    public PoolCodec codec() {
        return settings.codec();
    }

    /** @return a new task id */
    public long nextTaskId() {
        return taskIds.incrementAndGet();
    }

    /** @return the pids of the live workers, in slot order */
    public List<Long> workerPids() {
        state.lock.lock();
        try {
            return state.workerPidsLocked();
        } finally {
            state.lock.unlock();
        }
    }

    /** @return submissions and jobs not yet given to a worker (for tests) */
    public int undispatched() {
        state.lock.lock();
        try {
            return state.pending.size() + state.ready.size();
        } finally {
            state.lock.unlock();
        }
    }

    /** Tests: replaces how the collector allocates a buffer for a result message of a given size. */
    public void setResultBuffers(IntFunction<ByteBuffer> resultBuffers) {
        collector.setResultBuffers(resultBuffers);
    }

    /**
     * Queues a submission for the dispatcher.
     *
     * @throws RejectedExecutionException if the pool is shut down
     */
    public void enqueue(Submission submission) {
        state.lock.lock();
        try {
            if (state.runState != RunState.RUNNING) {
                throw new RejectedExecutionException(state.brokenCause != null ? "process pool " + settings.name()
                        + " has stopped: " + state.brokenCause.getMessage()
                        : "process pool " + settings.name() + " is shut down");
            }
            state.pending.add(submission);
            state.work.signal();
        } finally {
            state.lock.unlock();
        }
    }

    /** Called by a future or map run that was cancelled; kills the worker running its job if asked. */
    public void cancelled(Submission submission, boolean killRunning) {
        List<JvmProcess> kill = new ArrayList<>();
        state.lock.lock();
        try {
            state.pending.remove(submission);
            state.ready.removeIf(j -> j.submission() == submission);
            for (WorkerSlot s : state.slots) {
                JvmProcess p = s.cancel(submission, killRunning);
                if (p != null) {
                    kill.add(p);
                }
            }
            state.work.signal();
        } finally {
            state.lock.unlock();
        }
        kill.forEach(JvmProcess::kill);
    }

    /** Wakes the dispatcher: a submission may supply jobs again. */
    public void signalWork() {
        state.signalWork();
    }

    /** Runs a callback on the pool's callback thread (here if the pool is terminating). */
    public void runCallback(Runnable callback) {
        try {
            callbacks.execute(callback);
        } catch (RejectedExecutionException e) {
            callback.run(); // the pool is terminating; run it here rather than lose the outcome
        }
    }

    /** Logs a callback that threw. */
    public void logCallbackFailure(String task, Throwable e) {
        LOG.log(System.Logger.Level.WARNING, "callback of " + task + " in process pool " + settings.name() + " threw", e);
    }

    /** Logs the failure of a task nobody waits for ({@code execute}). */
    public void logUnobservedFailure(String task, Throwable e) {
        LOG.log(System.Logger.Level.WARNING, task + " in process pool " + settings.name() + " failed", e);
    }

    // ---------------------------------------------------------------- lifecycle

    /** Orderly shutdown: no new submissions, the rest run. */
    public void shutdown() {
        termination.shutdown();
    }

    /** Stops now. @return the runnables of the tasks that never started */
    public List<Runnable> shutdownNow() {
        return termination.stopNow(null);
    }

    /** @return whether shutdown has begun */
    public boolean isShutdown() {
        return termination.reached(RunState.SHUTDOWN);
    }

    /** @return whether the pool has terminated */
    public boolean isTerminated() {
        return termination.reached(RunState.TERMINATED);
    }

    /** @return whether the pool terminated within the timeout */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return termination.awaitTermination(timeout, unit);
    }

    /** @return {@code state=…, pending=…, pids=…} */
    public String describe() {
        state.lock.lock();
        try {
            RunState r = state.runState;
            String s = r == RunState.RUNNING ? "running" : r == RunState.SHUTDOWN ? "shutting down"
                    : r == RunState.STOPPING ? "stopping" : "terminated";
            return "state=" + s + ", pending=" + (state.pending.size() + state.ready.size()) + ", pids="
                    + state.workerPidsLocked();
        } finally {
            state.lock.unlock();
        }
    }
}
