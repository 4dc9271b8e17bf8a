package io.interproc.ipc;

import io.interproc.core.BufferTooSmallException;
import io.interproc.core.Codec;
import io.interproc.core.CodecException;
import io.interproc.core.InterprocException;
import io.interproc.core.JvmProcess;
import io.interproc.core.PeerDiedException;
import io.interproc.core.Segment;
import io.interproc.core.SegmentOptions;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * A pool of worker JVMs that run tasks sent from this JVM (Python's {@code multiprocessing.Pool}
 * and {@code concurrent.futures.ProcessPoolExecutor}), as an {@link ExecutorService}. A worker that
 * dies — {@code kill -9}, {@code System.exit} in a task, {@link OutOfMemoryError} — fails the one
 * task it was running with a {@link PeerDiedException} and is replaced; the tasks queued for it go
 * to other workers; no call of the pool waits on a dead worker.
 *
 * <pre>{@code
 * try (ProcessPool pool = new ProcessPool(4)) {
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3, 4));      // [1, 4, 9, 16]
 *     Future<Long> pid = pool.submit(() -> ProcessHandle.current().pid());
 *     for (String line : pool.imap(Files::readString, paths)) { ... }         // as they come
 * }
 * }</pre>
 *
 * <p><b>Tasks</b> are {@link SerializableCallable}s, {@link SerializableRunnable}s and
 * {@link SerializableFunction}s: a lambda or method reference passed to these methods is
 * serializable as it is. A task is serialized in the calling thread (so {@code submit} throws a
 * {@link CodecException} at once if it captures something that cannot be serialized), sent to a
 * worker, deserialized and run there; its result or exception comes back the same way. Arguments
 * and results must be serializable; {@code Integer}, {@code Long}, {@code Double}, {@code Boolean},
 * {@code String} and {@code byte[]} travel as raw bytes. A worker may keep a deserialized
 * <em>function</em> and reuse it for later tasks that carry the same serialized bytes (chunks of one
 * {@code map}, repeated {@code applyAsync} calls with one function), so functions should not count
 * on fresh state per call — as a Python function's module globals persist in a worker.
 *
 * <p><b>Failures.</b> A task's exception is rethrown by its future as an
 * {@link ExecutionException} whose cause is the worker's exception, with the worker's stack trace.
 * If that exception cannot be serialized in the worker or deserialized here, the cause is a
 * {@link RemoteTaskException} carrying its class name, message and the worker's stack trace. A
 * worker that dies fails the task it was running (all items of a {@code map} chunk) with a
 * {@link PeerDiedException} such as {@code "worker pid=4242 exited with code 137 (SIGKILL) while
 * running task 17 (submit); the pool replaced it"}; tasks queued for it that it had not taken yet
 * are sent to other workers instead. The pool checks its workers' liveness every 50 ms and starts a
 * replacement at once; a dead worker's task fails within about a tenth of a second. If
 * replacements keep exiting before they are ready (3 in a row — a bad JVM option, a missing
 * class), the pool gives up: it shuts down now, fails every outstanding task with an
 * {@link InterprocException} saying why, and rejects new ones. A result larger than
 * {@link ProcessPoolBuilder#maxResultBytes(long)} is refused in the worker; a result this JVM
 * cannot allocate, or any other failure handling one result, fails only that task, with a
 * {@link CodecException} carrying the cause; a serialized value beyond the
 * {@link ProcessPoolBuilder#deserializationLimits deserialization limits} fails its task without
 * harming the worker.
 *
 * <p><b>Design.</b> The pool's private segment (a fresh unique name, removed when the pool
 * terminates or this JVM exits) holds one {@link SharedQueue} per worker, its inbox, and one result
 * queue. A dispatcher thread sends each task (or {@code map} chunk) to a specific worker's inbox
 * — an idle worker's, or, up to {@link ProcessPoolBuilder#prefetch(int)} tasks deep, a busy one's,
 * so that a worker goes from task to task without waiting for this JVM; workers take one message
 * at a time, run it, and put its outcome on the result queue, which a collector thread reads. So
 * the pool always knows which tasks each worker holds, in order. A monitor thread checks every
 * worker's process; when one has exited, it puts an "exited" marker on the result queue, behind
 * everything the dead worker managed to publish. When the collector reads it, every task the
 * worker still holds is either still in its inbox — never taken, and sent to another worker — or
 * is the one it was running, which fails. None vanishes, none runs twice, none is failed that
 * completed. Wire format: {@link PoolWire}. Workers are daemon {@link JvmProcess}es started with
 * {@code -XX:+ExitOnOutOfMemoryError}, this JVM's class path and (by default) its JVM options; they
 * die with this JVM even if it is killed, and a shutdown hook kills them and removes the segment
 * when it exits normally. The pool's threads are daemon threads: a pool that is never closed does
 * not keep this JVM alive.
 *
 * <p><b>Trust model.</b> Tasks are code, so by default the pool deserializes any class: in the
 * workers (tasks and arguments) and here (results and exceptions). That is safe as far as the
 * segment is: it is created owner-only (0600) in an owner-only directory, so only processes of this
 * user, who could run any code anyway, can write messages into it. To restrict deserialization
 * anyway — defence in depth against a malformed message — give an allow-list with
 * {@link ProcessPoolBuilder#allowClasses(String...)}.
 *
 * <p><b>Ordering and fairness.</b> Submissions are dispatched first come, first served; a
 * {@code map} call's chunks go out in order before later submissions. A task queued behind a slow
 * one does not wait for it while another worker is idle: the idle worker takes it over (the pool
 * takes it back out of the busy worker's inbox). Results come back as they complete.
 *
 * <p><b>Memory effects.</b> A task is serialized in the thread that submits it, so it (and what it
 * captures) is seen by the worker as it was at the submit call: actions in that thread before the
 * submit happen-before the task runs. Changes made after the call are not seen, as in Python. The
 * task's actions in the worker happen-before {@code Future.get} (or the iterator's {@code next},
 * or the callback) returns its outcome here; the worker's memory is its own, so only what the
 * result carries — or what the task wrote to shared objects — is visible.
 *
 * <p><b>Threads.</b> Every method may be called by any thread of the pool's JVM, concurrently.
 * Blocking methods honour interrupts ({@link InterruptedException} clears the interrupt status) and
 * have a timed form; a timeout {@code <= 0} checks once.
 */
public final class ProcessPool implements ExecutorService, AutoCloseable {
    /** Name of the result queue in the pool's segment. */
    static final String RESULTS = "results";
    /** How often the monitor looks at the workers' processes. */
    static final long MONITOR_INTERVAL_MILLIS = 50;
    /** Replacements that may exit before they are ready, in a row, before the pool gives up. */
    static final int MAX_START_FAILURES = 3;
    /** How long the dispatcher waits for a worker's inbox when it takes queued jobs back. */
    private static final long RECLAIM_WAIT_MILLIS = 20;
    /** How long a worker asked to stop may take to exit before it is killed. */
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final System.Logger LOG = System.getLogger(ProcessPool.class.getName());
    private static final AtomicInteger POOLS = new AtomicInteger();

    private static final int RUNNING = 0;
    private static final int SHUTDOWN = 1;
    private static final int STOPPING = 2;
    private static final int TERMINATED = 3;

    /**
     * STARTING until the worker says READY; ACTIVE while it takes jobs (idle when it holds none);
     * RETIRING once it has answered its last task under {@code maxTasksPerWorker} (it then exits);
     * EXITED while the pool settles the jobs a dead worker held; DEAD until the monitor starts a
     * replacement.
     */
    private enum SlotState { STARTING, ACTIVE, RETIRING, EXITED, DEAD }

    /** A worker position: its inbox stays, the process in it is replaced. Guarded by the pool's lock. */
    private static final class Slot {
        final int index;
        final SharedQueue<byte[]> inbox;
        JvmProcess process;
        int generation;
        SlotState state = SlotState.DEAD;
        /** Jobs sent (or being sent) to the current worker and not answered, in the order sent. */
        final ArrayDeque<PoolJob> held = new ArrayDeque<>();
        /** Jobs sent to the current worker (for maxTasksPerWorker). */
        int sent;
        int jobsDone;
        /** Whether the dispatcher is using the inbox (sending, or taking jobs back) right now. */
        boolean inboxBusy;
        /** Set when the worker died while the dispatcher used the inbox: the dispatcher settles then. */
        String settleDeath;
        /** A job queued behind others did not fit the inbox; cleared by the next result. */
        boolean inboxFull;
        /** Cancelled jobs wait in the inbox: the dispatcher takes the queued ones back. */
        boolean reclaim;
        /** Taking a queued job over found none (the worker was quicker); not again until a result. */
        boolean noSteal;
        boolean exitNoticed;
        int stopSentGeneration = -1;
        long stopSentAt;

        Slot(int index, SharedQueue<byte[]> inbox) {
            this.index = index;
            this.inbox = inbox;
        }
    }

    // ---------------------------------------------------------------- configuration

    private final String name;
    private final int workerCount;
    private final int maxTasksPerWorker;
    /** How many jobs a worker may hold: the one it runs and the ones queued in its inbox. */
    private final int prefetch;
    private final List<String> jvmOptions;
    private final boolean inheritJvmOptions;
    private final SegmentOptions segmentOptions;
    /** Encodes tasks, arguments, results and exceptions. */
    final PoolCodec codec;
    /** Bound on the encoded results of one result message, enforced by the workers. */
    private final long maxResultBytes;
    /**
     * Allocates the collector's buffer for a result message of the given size; tests replace it to
     * make this JVM's heap look too small. Read by the collector thread only.
     */
    volatile IntFunction<ByteBuffer> resultBuffers = ByteBuffer::allocate;

    private final Segment segment;
    private final SharedQueue<byte[]> results;
    private final Slot[] slots;
    private final AtomicLong taskIds = new AtomicLong();

    // ---------------------------------------------------------------- state, guarded by lock

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the dispatcher may have something to do. */
    private final Condition work = lock.newCondition();
    /** Signalled when a worker becomes ready or dies, and on termination. */
    private final Condition stateChanged = lock.newCondition();
    private final ArrayDeque<PoolSink> pending = new ArrayDeque<>();
    /** Jobs built for a worker that died before it got them; sent before anything pending. */
    private final ArrayDeque<PoolJob> ready = new ArrayDeque<>();
    private int runState = RUNNING;
    private Throwable brokenCause;
    private int startFailures;
    private String lastStartFailure;

    private final Thread dispatcher;
    private final Thread collector;
    private final Thread monitor;
    private final ThreadPoolExecutor callbacks;
    private final Thread shutdownHook;
    private volatile boolean collectorStop;

    // ---------------------------------------------------------------- construction

    /**
     * Starts a pool with one worker JVM per available processor and the defaults of
     * {@link #builder()}; blocks until every worker is ready (see {@link ProcessPoolBuilder#start()}).
     * Any thread may call this.
     *
     * @throws InterprocException if the workers cannot be started
     */
    public ProcessPool() {
        this(new ProcessPoolBuilder());
    }

    /**
     * Starts a pool of {@code workers} worker JVMs with the defaults of {@link #builder()}; blocks
     * until every worker is ready (see {@link ProcessPoolBuilder#start()}). Any thread may call this.
     *
     * @param workers at least 1
     * @throws IllegalArgumentException if {@code workers < 1}
     * @throws InterprocException if the workers cannot be started
     */
    public ProcessPool(int workers) {
        this(new ProcessPoolBuilder().workers(workers));
    }

    /**
     * Starts configuring a pool. Any thread may call this.
     *
     * @return a builder with the defaults: one worker per available processor, workers kept for the
     *     pool's life, 1 MiB queues, this JVM's options, the default segment directory, every class
     *     allowed
     */
    public static ProcessPoolBuilder builder() {
        return new ProcessPoolBuilder();
    }

    ProcessPool(ProcessPoolBuilder b) {
        this.workerCount = b.workers;
        this.maxTasksPerWorker = b.maxTasksPerWorker;
        this.prefetch = 1 + b.prefetch;
        this.jvmOptions = List.copyOf(b.jvmOptions);
        this.inheritJvmOptions = b.inheritJvmOptions;
        SegmentOptions options = SegmentOptions.defaults()
                .withProcessTableSize(Math.max(SegmentOptions.defaults().processTableSize(), 2 * workerCount + 16))
                .withDirectorySize(Math.max(SegmentOptions.defaults().directorySize(), workerCount + 16));
        this.segmentOptions = b.segmentDirectory == null ? options : options.withDirectory(b.segmentDirectory);
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        this.codec = new PoolCodec(PoolCodec.filterSpec(b.allowedClasses),
                loader != null ? loader : ProcessPool.class.getClassLoader(), b.deserializationLimits);
        this.maxResultBytes = b.maxResultBytes;
        int id = POOLS.incrementAndGet();
        this.name = "pool-" + ProcessHandle.current().pid() + "-" + id + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt() & 0xfffffff);
        int ring = RingDescriptor.capacityFor(b.queueCapacity);
        long size = (workerCount + 1L) * (QueueDescriptor.size(ring) + 128) + (1 << 20);
        if (size > Segment.MAX_SIZE) {
            throw new IllegalArgumentException("pool segment would exceed " + Segment.MAX_SIZE + " bytes: workers="
                    + workerCount + ", queueCapacity=" + ring + " (use fewer workers or a smaller queue capacity)");
        }
        this.segment = Segment.create(name, size, segmentOptions);
        try {
            this.results = SharedQueue.create(segment, RESULTS, ring, Codec.bytes());
            this.slots = new Slot[workerCount];
            for (int i = 0; i < workerCount; i++) {
                slots[i] = new Slot(i, SharedQueue.create(segment, inboxName(i), ring, Codec.bytes()));
            }
        } catch (RuntimeException | Error e) {
            segment.close();
            segment.unlink();
            throw e;
        }
        this.shutdownHook = new Thread(this::onJvmExit, "interproc-" + name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        this.callbacks = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> daemon(r, "callbacks"));
        this.collector = daemon(this::collect, "collector");
        this.monitor = daemon(this::watch, "monitor");
        this.dispatcher = daemon(this::dispatch, "dispatcher");
        for (Slot slot : slots) {
            startWorker(slot);
        }
        collector.start();
        monitor.start();
        dispatcher.start();
        awaitWorkersReady(b.startTimeout);
    }

    private Thread daemon(Runnable body, String role) {
        Thread t = new Thread(body, "interproc-" + name + "-" + role);
        t.setDaemon(true);
        return t;
    }

    static String inboxName(int slot) {
        return "inbox-" + slot;
    }

    private void awaitWorkersReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String failure = null;
        boolean interrupted = false;
        lock.lock();
        try {
            while (true) {
                if (startFailures > 0 || brokenCause != null) {
                    failure = "a worker JVM failed to start: " + lastStartFailure;
                    break;
                }
                boolean allReady = true;
                for (Slot s : slots) {
                    allReady &= s.state == SlotState.ACTIVE;
                }
                if (allReady) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    failure = "worker JVMs not ready within " + timeout + ": pids=" + workerPidsLocked();
                    break;
                }
                try {
                    stateChanged.awaitNanos(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                    failure = "interrupted while waiting for the worker JVMs to be ready";
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        InterprocException e = new InterprocException("cannot start process pool " + name + ": " + failure
                + " (check the worker JVM options: " + jvmOptions + "; a worker's error output goes to this JVM's"
                + " standard error)");
        stopNow(e);
        try {
            awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        throw e;
    }

    // ---------------------------------------------------------------- state

    /**
     * The number of worker JVMs the pool keeps running. Any thread may call this.
     *
     * @return the configured number of workers
     */
    public int workers() {
        return workerCount;
    }

    /**
     * The process ids of the worker JVMs now running (started and not yet seen to exit), in slot
     * order. Any thread may call this; it does not block on the workers. A snapshot: a worker may
     * exit or be replaced at any moment.
     *
     * @return the pids; empty once the pool has terminated
     */
    public List<Long> workerPids() {
        lock.lock();
        try {
            return workerPidsLocked();
        } finally {
            lock.unlock();
        }
    }

    private List<Long> workerPidsLocked() {
        List<Long> pids = new ArrayList<>();
        for (Slot s : slots) {
            if (s.process != null && s.process.isAlive()) {
                pids.add(s.process.pid());
            }
        }
        return pids;
    }

    /**
     * The name of the pool's private segment (also the prefix of its threads' names). Any thread
     * may call this.
     *
     * @return the segment name, {@code pool-<pid>-<n>-<random>}
     */
    public String name() {
        return name;
    }

    /** @return tasks and jobs not yet given to a worker (for tests) */
    int undispatched() {
        lock.lock();
        try {
            return pending.size() + ready.size();
        } finally {
            lock.unlock();
        }
    }

    long nextTaskId() {
        return taskIds.incrementAndGet();
    }

    // ---------------------------------------------------------------- submitting

    /**
     * Runs {@code task} in a worker JVM. Any thread may call this; it serializes the task in this
     * thread and returns without waiting for a worker.
     *
     * @param task the task; a lambda passed here is serializable
     * @param <T> the type of its result
     * @return the future of its result (see the class comment for failures and memory effects);
     *     {@link Future#cancel cancel(true)} on a running task kills its worker JVM, which is
     *     replaced
     * @throws CodecException if the task cannot be serialized
     * @throws RejectedExecutionException if the pool is shut down
     */
    public <T> Future<T> submit(SerializableCallable<T> task) {
        Objects.requireNonNull(task, "task");
        return submitCall(task, "submit", PoolFuture.localCall(task), false, null, false);
    }

    /**
     * Runs {@code task} in a worker JVM; the task must be {@link Serializable} (a
     * {@link SerializableCallable}, or a lambda cast to one). Any thread may call this; it
     * serializes the task in this thread and returns without waiting for a worker.
     *
     * @param task the task
     * @param <T> the type of its result
     * @return the future of its result, as {@link #submit(SerializableCallable)}
     * @throws IllegalArgumentException if the task is not {@link Serializable}
     * @throws CodecException if the task cannot be serialized
     * @throws RejectedExecutionException if the pool is shut down
     */
    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return submitCall(serializable(task), "submit", PoolFuture.localCall(task), false, null, false);
    }

    /**
     * Runs {@code task} in a worker JVM. Any thread may call this; it serializes the task in this
     * thread and returns without waiting for a worker.
     *
     * @param task the task; a lambda passed here is serializable
     * @return a future whose {@code get} returns {@code null} once the task has run
     * @throws CodecException if the task cannot be serialized
     * @throws RejectedExecutionException if the pool is shut down
     */
    public Future<?> submit(SerializableRunnable task) {
        return submit((Runnable) task, null);
    }

    /**
     * Runs {@code task} in a worker JVM; the task must be {@link Serializable} (a
     * {@link SerializableRunnable}, or a lambda cast to one). Any thread may call this.
     *
     * @param task the task
     * @return a future whose {@code get} returns {@code null} once the task has run
     * @throws IllegalArgumentException if the task is not {@link Serializable}
     * @throws CodecException if the task cannot be serialized
     * @throws RejectedExecutionException if the pool is shut down
     */
    @Override
    public Future<?> submit(Runnable task) {
        return submit(task, null);
    }

    /**
     * Runs {@code task} in a worker JVM; the task must be {@link Serializable}. Any thread may call
     * this. {@code result} stays in this JVM (it need not be serializable).
     *
     * @param task the task
     * @param result what the future returns once the task has run
     * @param <T> the type of the result
     * @return the future
     * @throws IllegalArgumentException if the task is not {@link Serializable}
     * @throws CodecException if the task cannot be serialized
     * @throws RejectedExecutionException if the pool is shut down
     */
    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        serializable(task);
        return submitCall(new RunnableCall(task), "submit", task, true, result, false);
    }

    /**
     * Runs {@code task} in a worker JVM and forgets it. Any thread may call this. A failure of the
     * task has nobody to go to and is logged ({@link System.Logger}, level WARNING).
     *
     * @param task the task; a lambda passed here is serializable
     * @throws CodecException if the task cannot be serialized
     * @throws RejectedExecutionException if the pool is shut down
     */
    public void execute(SerializableRunnable task) {
        execute((Runnable) task);
    }

    /**
     * Runs {@code task} in a worker JVM and forgets it; the task must be {@link Serializable}. Any
     * thread may call this. A failure of the task is logged ({@link System.Logger}, level WARNING).
     *
     * @param task the task
     * @throws IllegalArgumentException if the task is not {@link Serializable}
     * @throws CodecException if the task cannot be serialized
     * @throws RejectedExecutionException if the pool is shut down
     */
    @Override
    public void execute(Runnable task) {
        serializable(task);
        submitCall(new RunnableCall(task), "execute", task, true, null, true);
    }

    /**
     * Applies {@code function} to {@code argument} in a worker JVM (Python's {@code apply_async}).
     * Any thread may call this; it serializes both in this thread and returns without waiting.
     *
     * @param function the function; a lambda passed here is serializable
     * @param argument its argument, serializable
     * @param <T> the type of the argument
     * @param <R> the type of the result
     * @return the future of the result
     * @throws CodecException if the function or the argument cannot be serialized
     * @throws RejectedExecutionException if the pool is shut down
     */
    public <T, R> Future<R> applyAsync(SerializableFunction<? super T, ? extends R> function, T argument) {
        return applyAsync(function, argument, null, null);
    }

    /**
     * Applies {@code function} to {@code argument} in a worker JVM and calls back with the outcome
     * (Python's {@code apply_async} with {@code callback} and {@code error_callback}). Any thread may
     * call this; it serializes both in this thread and returns without waiting.
     *
     * <p>The callbacks run in this JVM, on the pool's one callback thread, one at a time, so they
     * should be quick; the future completes after its callback has returned (as in Python, a
     * {@code get} that returns has seen the callback's effects). A callback that throws is logged
     * and does not change the outcome. A cancelled task calls neither callback.
     *
     * @param function the function; a lambda passed here is serializable
     * @param argument its argument, serializable
     * @param callback called with the result on success, or {@code null}
     * @param errorCallback called with the failure (the cause the future's
     *     {@link ExecutionException} would carry) on failure, or {@code null}
     * @param <T> the type of the argument
     * @param <R> the type of the result
     * @return the future of the result
     * @throws CodecException if the function or the argument cannot be serialized
     * @throws RejectedExecutionException if the pool is shut down
     */
    public <T, R> Future<R> applyAsync(SerializableFunction<? super T, ? extends R> function, T argument,
            Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(function, "function");
        long id = nextTaskId();
        byte[] fn = codec.encodeTask(function);
        byte[] arg;
        try {
            arg = codec.encode(argument);
        } catch (CodecException e) {
            throw new CodecException("cannot send the argument of applyAsync: " + e.getMessage(), e);
        }
        byte[] message = PoolWire.apply(id, fn, new byte[][] {arg}, 1);
        @SuppressWarnings("unchecked")
        SerializableFunction<Object, Object> f = (SerializableFunction<Object, Object>) function;
        Runnable local = () -> {
            try {
                f.apply(argument);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        };
        PoolFuture<R> future = new PoolFuture<>(this, id, message, "task " + id + " (applyAsync)", local, false, null,
                callback, errorCallback, false);
        enqueue(future);
        return future;
    }

    private <T> Future<T> submitCall(Callable<?> task, String kind, Runnable local, boolean fixedResult, T result,
            boolean logFailure) {
        long id = nextTaskId();
        byte[] message = PoolWire.call(id, codec.encodeTask(task));
        PoolFuture<T> future = new PoolFuture<>(this, id, message, "task " + id + " (" + kind + ")", local,
                fixedResult, result, null, null, logFailure);
        enqueue(future);
        return future;
    }

    private static <T> T serializable(T task) {
        Objects.requireNonNull(task, "task");
        if (!(task instanceof Serializable)) {
            throw new IllegalArgumentException("task must be Serializable to run in a worker JVM: class="
                    + task.getClass().getName() + " (pass a lambda where a SerializableCallable, SerializableRunnable"
                    + " or SerializableFunction is expected, or cast it to one)");
        }
        return task;
    }

    /** A {@code Runnable} task as the callable a worker runs. */
    static final class RunnableCall implements SerializableCallable<Object> {
        private static final long serialVersionUID = 1L;
        private final Runnable task;

        RunnableCall(Runnable task) {
            this.task = task;
        }

        @Override
        public Object call() {
            task.run();
            return null;
        }
    }

    // package-private for tests that send hand-made messages
    void enqueue(PoolSink sink) {
        lock.lock();
        try {
            if (runState != RUNNING) {
                throw new RejectedExecutionException(rejection());
            }
            pending.add(sink);
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    private String rejection() {
        return brokenCause != null ? "process pool " + name + " has stopped: " + brokenCause.getMessage()
                : "process pool " + name + " is shut down";
    }

    // ---------------------------------------------------------------- map

    /**
     * Applies {@code function} to every item in worker JVMs and returns the results in the items'
     * order (Python's {@code map}), with the default chunk size: the items are cut into chunks of
     * {@code ceil(n / (4 * workers))}, and each chunk is one task. Any thread may call this; it
     * blocks until every result is in, or the first failure.
     *
     * @param function the function; a lambda passed here is serializable
     * @param items the arguments, each serializable; read at once into a list
     * @param <T> the type of the arguments
     * @param <R> the type of the results
     * @return the results, an unmodifiable list
     * @throws ExecutionException if an item failed: the cause is the first failure to arrive
     *     (chunks not yet sent are then dropped)
     * @throws InterruptedException if interrupted while waiting; the call is then cancelled (its
     *     running chunks' workers are killed and replaced)
     * @throws CodecException if the function cannot be serialized
     * @throws RejectedExecutionException if the pool is shut down
     */
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> function, Iterable<? extends T> items)
            throws InterruptedException, ExecutionException {
        return waitFor(mapAsync(function, items));
    }

    /**
     * As {@link #map(SerializableFunction, Iterable)} with {@code chunkSize} items per task.
     *
     * @param function the function
     * @param items the arguments
     * @param chunkSize items per task, at least 1
     * @param <T> the type of the arguments
     * @param <R> the type of the results
     * @return the results in order
     * @throws ExecutionException if an item failed
     * @throws InterruptedException if interrupted while waiting (the call is cancelled)
     * @throws IllegalArgumentException if {@code chunkSize < 1}
     */
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> function, Iterable<? extends T> items,
            int chunkSize) throws InterruptedException, ExecutionException {
        return waitFor(mapAsync(function, items, chunkSize));
    }

    private static <R> List<R> waitFor(Future<List<R>> run) throws InterruptedException, ExecutionException {
        try {
            return run.get();
        } catch (InterruptedException e) {
            run.cancel(true);
            throw e;
        }
    }

    /**
     * Starts {@link #map(SerializableFunction, Iterable)} without waiting (Python's
     * {@code map_async}); wait with a timeout through {@link Future#get(long, TimeUnit)}. Any thread
     * may call this.
     *
     * @param function the function; a lambda passed here is serializable
     * @param items the arguments, read at once into a list in this thread
     * @param <T> the type of the arguments
     * @param <R> the type of the results
     * @return the future of the results in order; it fails with the first failure to arrive, and
     *     {@code cancel(true)} kills the workers running its chunks
     * @throws CodecException if the function cannot be serialized
     * @throws RejectedExecutionException if the pool is shut down
     */
    public <T, R> Future<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items) {
        List<T> list = toList(items);
        return startMap(function, list.iterator(), defaultChunkSize(list.size()), true, false, "map");
    }

    /**
     * As {@link #mapAsync(SerializableFunction, Iterable)} with {@code chunkSize} items per task.
     *
     * @param function the function
     * @param items the arguments, read at once into a list in this thread
     * @param chunkSize items per task, at least 1
     * @param <T> the type of the arguments
     * @param <R> the type of the results
     * @return the future of the results in order
     * @throws IllegalArgumentException if {@code chunkSize < 1}
     */
    public <T, R> Future<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items, int chunkSize) {
        checkChunkSize(chunkSize);
        return startMap(function, toList(items).iterator(), chunkSize, true, false, "map");
    }

    /**
     * Applies {@code function} to every item in worker JVMs and hands out the results in the items'
     * order as they become ready (Python's {@code imap}), one item per task. Any thread may call
     * this; it returns at once. The items are read lazily by the pool's dispatcher thread as workers
     * become free, so an endless {@link Iterable} works; an iterator that blocks delays every task of
     * the pool meanwhile.
     *
     * @param function the function; a lambda passed here is serializable
     * @param items the arguments, each serializable
     * @param <T> the type of the arguments
     * @param <R> the type of the results
     * @return the results, in order; a failed item throws when its turn comes (see
     *     {@link ResultIterator})
     * @throws CodecException if the function cannot be serialized
     * @throws RejectedExecutionException if the pool is shut down
     */
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items) {
        return imap(function, items, 1);
    }

    /**
     * As {@link #imap(SerializableFunction, Iterable)} with {@code chunkSize} items per task (larger
     * chunks cost less per item, but each result waits for its whole chunk).
     *
     * @param function the function
     * @param items the arguments
     * @param chunkSize items per task, at least 1
     * @param <T> the type of the arguments
     * @param <R> the type of the results
     * @return the results, in order
     * @throws IllegalArgumentException if {@code chunkSize < 1}
     */
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items, int chunkSize) {
        checkChunkSize(chunkSize);
        Objects.requireNonNull(items, "items");
        PoolMapRun<T, R> run = startMap(function, items.iterator(), chunkSize, false, false, "imap");
        return run.ordered();
    }

    /**
     * As {@link #imap(SerializableFunction, Iterable)}, but hands out each result as soon as it is
     * ready, in no particular order (Python's {@code imap_unordered}); every item's outcome comes
     * exactly once.
     *
     * @param function the function; a lambda passed here is serializable
     * @param items the arguments, read lazily
     * @param <T> the type of the arguments
     * @param <R> the type of the results
     * @return the results in completion order
     * @throws CodecException if the function cannot be serialized
     * @throws RejectedExecutionException if the pool is shut down
     */
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items) {
        return imapUnordered(function, items, 1);
    }

    /**
     * As {@link #imapUnordered(SerializableFunction, Iterable)} with {@code chunkSize} items per task.
     *
     * @param function the function
     * @param items the arguments
     * @param chunkSize items per task, at least 1
     * @param <T> the type of the arguments
     * @param <R> the type of the results
     * @return the results in completion order
     * @throws IllegalArgumentException if {@code chunkSize < 1}
     */
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items, int chunkSize) {
        checkChunkSize(chunkSize);
        Objects.requireNonNull(items, "items");
        PoolMapRun<T, R> run = startMap(function, items.iterator(), chunkSize, false, true, "imapUnordered");
        return run.unordered();
    }

    /**
     * The chunk size {@code map} uses for {@code n} items: {@code ceil(n / (4 * workers))}, at
     * least 1, as Python's {@code Pool.map}. Any thread may call this.
     *
     * @param n the number of items
     * @return the chunk size
     */
    public int defaultChunkSize(int n) {
        long per = 4L * workerCount;
        return (int) Math.max(1, (n + per - 1) / per);
    }

    private <T, R> PoolMapRun<T, R> startMap(SerializableFunction<? super T, ? extends R> function,
            Iterator<? extends T> input, int chunkSize, boolean failFast, boolean unordered, String kind) {
        Objects.requireNonNull(function, "function");
        byte[] fn = codec.encodeTask(function);
        int window = failFast ? Integer.MAX_VALUE
                : (int) Math.min(Integer.MAX_VALUE, Math.max(64, 16L * workerCount * chunkSize));
        PoolMapRun<T, R> run = new PoolMapRun<>(this, function, fn, input, chunkSize, failFast, unordered, kind,
                window);
        enqueue(run);
        return run;
    }

    private static <T> List<T> toList(Iterable<? extends T> items) {
        Objects.requireNonNull(items, "items");
        List<T> list = items instanceof Collection ? new ArrayList<>(((Collection<? extends T>) items).size())
                : new ArrayList<>();
        for (T item : items) {
            list.add(item);
        }
        return list;
    }

    private static void checkChunkSize(int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be at least 1: chunkSize=" + chunkSize);
        }
    }

    // ---------------------------------------------------------------- invokeAll / invokeAny

    /**
     * Runs every task in worker JVMs and waits until all are done. Any thread may call this. Every
     * task must be {@link Serializable}.
     *
     * @param tasks the tasks
     * @param <T> the type of the results
     * @return their futures, in the tasks' order, all done
     * @throws InterruptedException if interrupted while waiting; the tasks not done are cancelled
     *     (running ones kill their workers, which are replaced)
     * @throws IllegalArgumentException if a task is not {@link Serializable} (none is submitted then)
     * @throws RejectedExecutionException if the pool is shut down
     */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<Future<T>> futures = submitAll(tasks);
        try {
            for (Future<T> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException | CancellationException e) {
                    // reported by the future
                }
            }
            return futures;
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
    }

    /**
     * Runs every task in worker JVMs and waits until all are done or the timeout elapses; tasks not
     * done by then are cancelled (running ones kill their workers, which are replaced). Any thread
     * may call this.
     *
     * @param tasks the tasks, each {@link Serializable}
     * @param timeout how long to wait
     * @param unit its unit
     * @param <T> the type of the results
     * @return their futures, in the tasks' order, all done or cancelled
     * @throws InterruptedException if interrupted while waiting (the tasks not done are cancelled)
     * @throws IllegalArgumentException if a task is not {@link Serializable}
     * @throws RejectedExecutionException if the pool is shut down
     */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Future<T>> futures = submitAll(tasks);
        try {
            for (Future<T> f : futures) {
                long left = deadline - System.nanoTime();
                try {
                    f.get(Math.max(0, left), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | CancellationException e) {
                    // reported by the future
                } catch (TimeoutException e) {
                    break;
                }
            }
            futures.forEach(f -> f.cancel(true));
            return futures;
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
    }

    /**
     * Runs the tasks in worker JVMs and returns the result of one that succeeds; the others are
     * then cancelled (running ones kill their workers, which are replaced). Any thread may call
     * this.
     *
     * @param tasks the tasks, at least one, each {@link Serializable}
     * @param <T> the type of the results
     * @return the result of a task that succeeded
     * @throws ExecutionException if every task failed; the cause is the last failure
     * @throws InterruptedException if interrupted while waiting (the tasks are cancelled)
     * @throws IllegalArgumentException if {@code tasks} is empty or a task is not {@link Serializable}
     * @throws RejectedExecutionException if the pool is shut down
     */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("untimed invokeAny timed out", e);
        }
    }

    /**
     * As {@link #invokeAny(Collection)}, giving up after the timeout.
     *
     * @param tasks the tasks, at least one, each {@link Serializable}
     * @param timeout how long to wait
     * @param unit its unit
     * @param <T> the type of the results
     * @return the result of a task that succeeded
     * @throws ExecutionException if every task failed; the cause is the last failure
     * @throws TimeoutException if none succeeded in time (all are cancelled)
     * @throws InterruptedException if interrupted while waiting (the tasks are cancelled)
     */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        long nanos = unit.toNanos(timeout);
        long deadline = System.nanoTime() + nanos;
        List<Future<T>> futures = submitAll(tasks);
        LinkedBlockingQueue<Future<T>> done = new LinkedBlockingQueue<>();
        for (Future<T> f : futures) {
            ((PoolFuture<T>) f).whenDone(() -> done.add(f));
        }
        try {
            ExecutionException last = null;
            for (int remaining = futures.size(); remaining > 0; remaining--) {
                Future<T> f = nanos == Long.MAX_VALUE ? done.take()
                        : done.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (f == null) {
                    throw new TimeoutException("no task of invokeAny succeeded within " + timeout + " " + unit);
                }
                try {
                    return f.get();
                } catch (ExecutionException e) {
                    last = e;
                } catch (CancellationException e) {
                    last = new ExecutionException(e);
                }
            }
            throw last;
        } finally {
            futures.forEach(f -> f.cancel(true));
        }
    }

    private <T> List<Future<T>> submitAll(Collection<? extends Callable<T>> tasks) {
        for (Callable<T> task : tasks) {
            serializable(task);
        }
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> task : tasks) {
                futures.add(submit(task));
            }
        } catch (RuntimeException e) {
            futures.forEach(f -> f.cancel(false));
            throw e;
        }
        return futures;
    }

    // ---------------------------------------------------------------- cancellation and callbacks

    /** Called by a future or map run that was cancelled. */
    void cancelled(PoolSink sink, boolean killRunning) {
        List<JvmProcess> kill = new ArrayList<>();
        lock.lock();
        try {
            pending.remove(sink);
            ready.removeIf(j -> j.sink == sink);
            for (Slot s : slots) {
                boolean first = true;
                for (PoolJob job : s.held) {
                    if (job.sink == sink) {
                        if (first && killRunning && s.process != null) {
                            kill.add(s.process); // running (or next to run): stop it the only way there is
                        } else if (!first) {
                            s.reclaim = true; // queued behind another task: take it back unrun
                        }
                    }
                    first = false;
                }
            }
            work.signal();
        } finally {
            lock.unlock();
        }
        kill.forEach(JvmProcess::kill);
    }

    void runCallback(Runnable callback) {
        try {
            callbacks.execute(callback);
        } catch (RejectedExecutionException e) {
            callback.run(); // the pool is terminating; run it here rather than lose the outcome
        }
    }

    void logCallbackFailure(String task, Throwable e) {
        LOG.log(System.Logger.Level.WARNING, "callback of " + task + " in process pool " + name + " threw", e);
    }

    void logUnobservedFailure(String task, Throwable e) {
        LOG.log(System.Logger.Level.WARNING, task + " in process pool " + name + " failed", e);
    }

    // ---------------------------------------------------------------- dispatcher thread

    /** What the dispatcher does next; chosen under the lock. */
    private static final class Step {
        Slot slot;
        PoolJob job;
        PoolSink source;
        Slot victim;
        boolean reclaimAll;
    }

    private void dispatch() {
        Step step = new Step();
        while (true) {
            if (!nextStep(step)) {
                return;
            }
            if (step.victim != null) {
                reclaim(step.victim, step.reclaimAll);
                continue;
            }
            PoolJob job = step.job;
            Slot slot = step.slot;
            if (job == null) {
                PoolSink source = step.source;
                try {
                    job = source.nextJob();
                } catch (RuntimeException | Error e) {
                    LOG.log(System.Logger.Level.ERROR, "process pool " + name + ": reading a task failed", e);
                    source.abort(e);
                }
                if (job == null || !source.hasMoreJobs()) {
                    lock.lock();
                    try {
                        pending.remove(source);
                    } finally {
                        lock.unlock();
                    }
                }
                if (job == null) {
                    continue;
                }
            }
            int generation;
            boolean blocking;
            lock.lock();
            try {
                if (runState >= STOPPING) {
                    Throwable reason = brokenCause;
                    lock.unlock();
                    try {
                        job.sink.abort(reason);
                    } finally {
                        lock.lock();
                    }
                    return;
                }
                if (job.sink.isFinished()) {
                    continue;
                }
                if (!canSend(slot, job)) {
                    ready.addFirst(job);
                    continue;
                }
                blocking = slot.held.isEmpty();
                slot.held.addLast(job);
                slot.sent++;
                slot.inboxBusy = true;
                generation = slot.generation;
            } finally {
                lock.unlock();
            }
            job.sink.started(job);
            boolean delivered = blocking ? send(slot, generation, job) : offerNow(slot, generation, job);
            String death;
            lock.lock();
            try {
                slot.inboxBusy = false;
                stateChanged.signalAll();
                if (!delivered) {
                    // not in the inbox: the worker cannot have it
                    if (slot.generation == generation && slot.held.remove(job)) {
                        slot.sent--;
                    }
                    if (!blocking) {
                        slot.inboxFull = true;
                    }
                    if (runState < STOPPING && !job.sink.isFinished()) {
                        ready.addFirst(job);
                    }
                }
                death = slot.settleDeath;
                slot.settleDeath = null;
            } finally {
                lock.unlock();
            }
            if (death != null) {
                settle(slot, death);
            }
        }
    }

    /**
     * Waits for something to do: a job for a worker that can take it, a source to read for a free
     * worker, or queued jobs to take back from an inbox (for an idle worker, or because they were
     * cancelled).
     *
     * @return false when the dispatcher must end
     */
    private boolean nextStep(Step step) {
        step.slot = null;
        step.job = null;
        step.source = null;
        step.victim = null;
        lock.lock();
        try {
            while (true) {
                if (runState >= STOPPING) {
                    return false;
                }
                PoolJob job = peekReady();
                if (job != null) {
                    Slot slot = slotFor(job);
                    if (slot != null) {
                        ready.pollFirst();
                        step.slot = slot;
                        step.job = job;
                        return true;
                    }
                } else {
                    PoolSink source = supplyingSource();
                    Slot slot = source == null ? null : slotFor(null);
                    if (slot != null) {
                        step.slot = slot;
                        step.source = source;
                        return true;
                    }
                }
                Slot victim = reclaimVictim(job == null);
                if (victim != null) {
                    victim.inboxBusy = true;
                    step.victim = victim;
                    step.reclaimAll = victim.reclaim;
                    victim.reclaim = false;
                    return true;
                }
                if (runState == SHUTDOWN && pending.isEmpty() && ready.isEmpty() && !anyHeld()) {
                    runState = STOPPING;
                    stateChanged.signalAll();
                    LockSupport.unpark(monitor);
                    return false;
                }
                work.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    private PoolSink supplyingSource() {
        for (PoolSink s : pending) {
            if (s.canSupplyNow()) {
                return s;
            }
        }
        return null;
    }

    /** Wakes the dispatcher: a source may supply jobs again. */
    void signalWork() {
        lock.lock();
        try {
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** @return the first ready job whose sink still wants it, or null */
    private PoolJob peekReady() {
        PoolJob job;
        while ((job = ready.peekFirst()) != null) {
            if (!job.sink.isFinished()) {
                return job;
            }
            ready.pollFirst();
        }
        return null;
    }

    /**
     * The worker to give a job to: an idle one, else the least loaded one that may have another
     * job queued in its inbox ({@code prefetch}).
     *
     * @param job the job, or null for one not built yet (assumed to fit an inbox whole)
     */
    private Slot slotFor(PoolJob job) {
        Slot best = null;
        for (Slot s : slots) {
            if (s.state != SlotState.ACTIVE || s.inboxBusy || (maxTasksPerWorker > 0 && s.sent >= maxTasksPerWorker)) {
                continue;
            }
            if (s.held.isEmpty()) {
                return s;
            }
            if (s.held.size() < prefetch && !s.inboxFull && (job == null || fitsWhole(s, job))
                    && (best == null || s.held.size() < best.held.size())) {
                best = s;
            }
        }
        return best;
    }

    private boolean canSend(Slot s, PoolJob job) {
        if (s.state != SlotState.ACTIVE || s.inboxBusy || (maxTasksPerWorker > 0 && s.sent >= maxTasksPerWorker)) {
            return false;
        }
        return s.held.isEmpty() || (s.held.size() < prefetch && !s.inboxFull && fitsWhole(s, job));
    }

    private static boolean fitsWhole(Slot s, PoolJob job) {
        return job.message.length <= s.inbox.maxWholeMessage();
    }

    /**
     * A worker whose inbox holds jobs to take back: cancelled ones, or (when {@code forIdle} and
     * some worker is idle with nothing else to do) queued ones another worker could start now.
     */
    private Slot reclaimVictim(boolean forIdle) {
        boolean someIdle = false;
        Slot victim = null;
        for (Slot s : slots) {
            if (s.state != SlotState.ACTIVE || s.inboxBusy) {
                continue;
            }
            if (s.reclaim && s.held.size() >= 2) {
                return s;
            }
            s.reclaim = false;
            if (s.held.isEmpty() && (maxTasksPerWorker == 0 || s.sent < maxTasksPerWorker)) {
                someIdle = true;
            } else if (s.held.size() >= 2 && !s.noSteal && (victim == null || s.held.size() > victim.held.size())) {
                victim = s;
            }
        }
        return forIdle && someIdle ? victim : null;
    }

    private boolean anyHeld() {
        for (Slot s : slots) {
            if (!s.held.isEmpty() || s.state == SlotState.EXITED || s.inboxBusy) {
                return true;
            }
        }
        return false;
    }

    /**
     * Puts a job in an idle worker's inbox, waiting for room if it is larger than the ring, and
     * giving up if the worker is gone.
     *
     * @return true if the message is in the inbox (the worker may take it), false if not
     */
    private boolean send(Slot slot, int generation, PoolJob job) {
        PoolWire.setGeneration(job.message, generation);
        while (true) {
            try {
                if (slot.inbox.offerBytes(ByteBuffer.wrap(job.message), 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            } catch (InterruptedException e) {
                // nobody interrupts the dispatcher; check below
            } catch (IllegalStateException e) {
                return false; // the segment is closed: the pool has terminated
            }
            lock.lock();
            try {
                if (slot.generation != generation || slot.settleDeath != null || runState >= STOPPING) {
                    return false;
                }
            } finally {
                lock.unlock();
            }
            if (!slot.process.isAlive()) {
                return false;
            }
        }
    }

    /** Queues a job behind the ones a busy worker holds, if it fits now. @return whether it did */
    private boolean offerNow(Slot slot, int generation, PoolJob job) {
        PoolWire.setGeneration(job.message, generation);
        try {
            return slot.inbox.offerBytes(ByteBuffer.wrap(job.message));
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /**
     * Takes queued jobs back out of a live worker's inbox: all of them (some were cancelled), or
     * one (for an idle worker). A message taken here is one the worker never gets; the worker takes
     * messages one at a time, so the race with it is decided by the inbox's consumer lock.
     */
    private void reclaim(Slot victim, boolean all) {
        List<long[]> taken = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        int attempts = 0;
        while (all || taken.isEmpty()) {
            int n;
            try {
                buf.clear();
                // A worker waiting in take() holds its inbox's consumer lock until it wakes for the
                // message that just arrived: give it a moment to take that one and let go.
                n = victim.inbox.pollBytes(buf, taken.isEmpty() ? RECLAIM_WAIT_MILLIS : 0, TimeUnit.MILLISECONDS);
            } catch (BufferTooSmallException e) {
                buf = ByteBuffer.allocate(e.needed());
                continue;
            } catch (InterruptedException | IllegalStateException e) {
                break;
            }
            if (n < 0) {
                if (all && taken.isEmpty() && ++attempts < 3) {
                    continue;
                }
                break;
            }
            PoolWire.Reader r = new PoolWire.Reader(buf.array(), 0, n);
            int type = r.getInt();
            int generation = r.getInt();
            long id = r.getLong();
            taken.add(new long[] {type, generation, id});
        }
        String death;
        lock.lock();
        try {
            victim.inboxBusy = false;
            stateChanged.signalAll();
            if (taken.isEmpty() && !all) {
                victim.noSteal = true;
            }
            List<PoolJob> back = new ArrayList<>();
            for (long[] t : taken) {
                PoolJob job = t[0] == PoolWire.TASK && t[1] == victim.generation ? removeHeld(victim, t[2]) : null;
                if (job == null) {
                    if (runState >= STOPPING) {
                        continue; // shutdownNow settled the worker's jobs meanwhile
                    }
                    LOG.log(System.Logger.Level.ERROR, "process pool " + name + ": took back an unknown message from "
                            + "worker slot " + victim.index + ": type=" + t[0] + ", generation=" + t[1] + ", task=" + t[2]);
                    continue;
                }
                victim.sent--;
                job.sink.unsent(job);
                if (!job.sink.isFinished()) {
                    back.add(job);
                }
            }
            for (int i = back.size() - 1; i >= 0; i--) {
                ready.addFirst(back.get(i));
            }
            death = victim.settleDeath;
            victim.settleDeath = null;
        } finally {
            lock.unlock();
        }
        if (death != null) {
            settle(victim, death);
        }
    }

    private static PoolJob removeHeld(Slot s, long id) {
        for (Iterator<PoolJob> it = s.held.iterator(); it.hasNext();) {
            PoolJob job = it.next();
            if (job.id == id) {
                it.remove();
                return job;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- collector thread

    private void collect() {
        ByteBuffer buf = ByteBuffer.allocate(64 << 10);
        while (!collectorStop) {
            int n;
            try {
                buf.clear();
                n = results.pollWholeBytes(buf, 100, TimeUnit.MILLISECONDS); // a result is never given up half-read
            } catch (BufferTooSmallException e) {
                try {
                    buf = resultBuffers.apply(e.needed());
                } catch (OutOfMemoryError oom) {
                    receiveUnallocatable(e.needed(), oom);
                }
                continue;
            } catch (InterruptedException e) {
                continue;
            } catch (IllegalStateException e) {
                if (segment.isClosed()) {
                    return;
                }
                LOG.log(System.Logger.Level.ERROR, "process pool " + name + ": reading results failed", e);
                continue;
            } catch (RuntimeException | Error e) {
                // the collector must outlive anything one message does to it, or every future hangs
                LOG.log(System.Logger.Level.ERROR, "process pool " + name + ": reading results failed", e);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                continue;
            }
            if (n < 0) {
                continue;
            }
            try {
                handle(buf.array(), n);
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "process pool " + name + ": handling a result failed", e);
            }
            if (buf.capacity() > (4 << 20)) {
                buf = ByteBuffer.allocate(64 << 10);
            }
        }
    }

    private void handle(byte[] array, int length) {
        PoolWire.Reader r = new PoolWire.Reader(array, 0, length);
        int type = r.getInt();
        int index = r.getInt();
        int generation = r.getInt();
        long id = r.getLong();
        if (index < 0 || index >= slots.length) {
            throw new CodecException("result for an unknown worker slot: slot=" + index + ", type=" + type);
        }
        Slot s = slots[index];
        switch (type) {
            case PoolWire.READY:
                lock.lock();
                try {
                    if (s.generation == generation && s.state == SlotState.STARTING) {
                        s.state = SlotState.ACTIVE;
                        startFailures = 0;
                        work.signal();
                        stateChanged.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
                break;
            case PoolWire.RESULT:
                handleResult(s, generation, id, r);
                break;
            case PoolWire.EXITED:
                handleExit(s, generation);
                break;
            default:
                throw new CodecException("unknown result message: type=" + type);
        }
    }

    /**
     * Takes a result message this JVM has no heap for off the queue into a mapped file, and fails
     * the one task it answers. If even that fails the message stays queued and the collector tries
     * again after a pause.
     */
    private void receiveUnallocatable(int needed, OutOfMemoryError oom) {
        ByteBuffer spill;
        int n;
        try {
            spill = ResultSpill.map(segmentOptions.directory(), name, needed);
            n = results.pollWholeBytes(spill, 100, TimeUnit.MILLISECONDS);
        } catch (Exception | Error e) {
            e.addSuppressed(oom);
            LOG.log(System.Logger.Level.ERROR, "process pool " + name + ": cannot receive a result message of "
                    + needed + " bytes, neither on the heap nor in a mapped file; retrying", e);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            return;
        }
        if (n < 0) {
            return; // not there after all: the next poll tells
        }
        spill.flip();
        int type = spill.remaining() >= 20 ? spill.getInt(0) : -1;
        int index = type == PoolWire.RESULT ? spill.getInt(4) : -1;
        if (index < 0 || index >= slots.length) {
            LOG.log(System.Logger.Level.ERROR, "process pool " + name + ": discarded a result message of " + n
                    + " bytes this JVM has no heap for, not a task's result: type=" + type + ", slot=" + index, oom);
            return;
        }
        PoolJob job = takeJob(slots[index], spill.getInt(8), spill.getLong(12));
        if (job != null) {
            job.sink.failAll(job, new CodecException("cannot receive the result of " + job.description + ": "
                    + n + " bytes do not fit in this JVM's heap (" + oom + "); the result was discarded"
                    + " (maxResultBytes=" + maxResultBytes + ")", oom));
        }
    }

    private void handleResult(Slot s, int generation, long id, PoolWire.Reader r) {
        PoolJob job = takeJob(s, generation, id);
        if (job == null) {
            return; // settled meanwhile (shutdownNow)
        }
        try {
            deliverResult(job, r);
        } catch (RuntimeException | Error e) {
            // outcomes already delivered stay; the rest fail with the cause
            job.sink.failAll(job, new CodecException("cannot receive the result of " + job.description + ": " + e, e));
        }
    }

    /** Removes the job a result answers from its worker's held jobs. @return it, or null if settled meanwhile */
    private PoolJob takeJob(Slot s, int generation, long id) {
        PoolJob job = null;
        lock.lock();
        try {
            if (s.generation == generation) {
                PoolJob head = s.held.peekFirst();
                // the worker answers in the order it was sent jobs; anything else is a bug, tolerated
                job = head != null && head.id == id ? s.held.pollFirst() : removeHeld(s, id);
            }
            if (job != null) {
                s.jobsDone++;
                s.inboxFull = false;
                s.noSteal = false;
                if (maxTasksPerWorker > 0 && s.jobsDone >= maxTasksPerWorker) {
                    s.state = SlotState.RETIRING;
                }
                work.signal();
            }
        } finally {
            lock.unlock();
        }
        return job;
    }

    private void deliverResult(PoolJob job, PoolWire.Reader r) {
        int count = r.getInt();
        if (count != job.count()) {
            job.sink.failAll(job, new CodecException("worker answered " + job.description + " with " + count
                    + " outcomes, expected " + job.count()));
            return;
        }
        boolean[] ok = new boolean[count];
        Object[] values = new Object[count];
        for (int i = 0; i < count; i++) {
            byte status = r.get();
            if (status == PoolWire.OK) {
                int length = r.getInt();
                int at = r.skip(length);
                try {
                    values[i] = codec.decode(r.array(), at, length);
                    ok[i] = true;
                } catch (CodecException e) {
                    values[i] = new CodecException("cannot receive the result of " + job.description + ": "
                            + e.getMessage(), e);
                }
            } else {
                values[i] = PoolWire.readError(r, codec);
            }
        }
        job.sink.deliverAll(job, ok, values);
    }

    private void handleExit(Slot s, int generation) {
        String what;
        boolean settleNow = false;
        boolean giveUp = false;
        lock.lock();
        try {
            if (s.generation != generation) {
                return;
            }
            SlotState was = s.state;
            what = "worker pid=" + s.process.pid() + " exited with code " + describeExit(s.process.exitCode());
            if (s.held.isEmpty() && !s.inboxBusy) {
                s.state = SlotState.DEAD;
            } else {
                s.state = SlotState.EXITED;
                if (s.inboxBusy) {
                    s.settleDeath = what; // the dispatcher settles once it is done with the inbox
                } else {
                    settleNow = true;
                }
            }
            if (was == SlotState.STARTING) {
                startFailures++;
                lastStartFailure = what + " before it was ready";
                giveUp = startFailures >= MAX_START_FAILURES && runState < STOPPING;
            }
            stateChanged.signalAll();
            work.signal();
        } finally {
            lock.unlock();
        }
        if (settleNow) {
            settle(s, what);
        }
        LockSupport.unpark(monitor);
        if (giveUp) {
            stopNow(new InterprocException("process pool " + name + " stopped: " + MAX_START_FAILURES
                    + " worker JVMs in a row exited before they were ready; the last: " + lastStartFailure));
        }
    }

    /**
     * Settles the jobs a dead worker held. Every result it published has been handled (the exit
     * marker came after them), so each job left is either still in its inbox — never taken: it goes
     * back to the front of the queue for another worker — or was taken and not answered: the task
     * the worker was running (the worker takes one message at a time), which fails with a
     * {@link PeerDiedException}. Called with the slot EXITED, nobody else using its inbox and no
     * replacement started; the slot is DEAD (to be replaced) afterwards.
     */
    private void settle(Slot s, String death) {
        int generation;
        lock.lock();
        try {
            generation = s.generation;
        } finally {
            lock.unlock();
        }
        Set<Long> untaken = untakenInInbox(s, generation);
        List<PoolJob> requeue = new ArrayList<>();
        List<PoolJob> failed = new ArrayList<>();
        boolean stopping;
        Throwable reason;
        lock.lock();
        try {
            for (PoolJob job : s.held) {
                if (job.sink.isFinished()) {
                    continue;
                }
                (untaken.contains(job.id) ? requeue : failed).add(job);
            }
            s.held.clear();
            s.state = SlotState.DEAD;
            stopping = runState >= STOPPING;
            reason = brokenCause;
            if (!stopping) {
                for (int i = requeue.size() - 1; i >= 0; i--) {
                    ready.addFirst(requeue.get(i));
                }
            }
            work.signal();
            stateChanged.signalAll();
        } finally {
            lock.unlock();
        }
        LockSupport.unpark(monitor);
        if (stopping) {
            requeue.forEach(job -> job.sink.abort(reason));
        }
        for (PoolJob job : failed) {
            job.sink.failAll(job, new PeerDiedException(death + " while running " + job.description
                    + "; the pool replaced it"));
        }
    }

    /** Empties an inbox. @return those of {@code held} whose messages were there, never taken */
    private List<PoolJob> drainInbox(Slot s, int generation, List<PoolJob> held) {
        if (held.isEmpty()) {
            return List.of();
        }
        Set<Long> ids = untakenInInbox(s, generation);
        List<PoolJob> found = new ArrayList<>();
        for (PoolJob job : held) {
            if (ids.contains(job.id)) {
                found.add(job);
            }
        }
        return found;
    }

    /** Empties a worker's inbox. @return the ids of this generation's tasks found there, never taken */
    private Set<Long> untakenInInbox(Slot s, int generation) {
        Set<Long> ids = new java.util.HashSet<>();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (true) {
            int n;
            try {
                buf.clear();
                n = s.inbox.pollBytes(buf, 0, TimeUnit.MILLISECONDS);
            } catch (BufferTooSmallException e) {
                buf = ByteBuffer.allocate(e.needed());
                continue;
            } catch (InterruptedException | IllegalStateException e) {
                break;
            }
            if (n < 0) {
                break;
            }
            if (n >= 16) {
                PoolWire.Reader r = new PoolWire.Reader(buf.array(), 0, n);
                int type = r.getInt();
                int forGeneration = r.getInt();
                long id = r.getLong();
                if (type == PoolWire.TASK && forGeneration == generation) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    private static String describeExit(int code) {
        switch (code) {
            case 3:
                return "3 (OutOfMemoryError: workers run with -XX:+ExitOnOutOfMemoryError)";
            case 134:
                return "134 (SIGABRT: the JVM aborted)";
            case 137:
                return "137 (SIGKILL)";
            case 143:
                return "143 (SIGTERM)";
            case JvmProcess.PARENT_DIED_EXIT_CODE:
                return code + " (its parent JVM was gone)";
            default:
                return Integer.toString(code);
        }
    }

    // ---------------------------------------------------------------- monitor thread

    private void watch() {
        List<int[]> exits = new ArrayList<>();
        List<Slot> replace = new ArrayList<>();
        while (true) {
            boolean stopping;
            exits.clear();
            replace.clear();
            lock.lock();
            try {
                if (runState == TERMINATED) {
                    return;
                }
                stopping = runState >= STOPPING;
                for (Slot s : slots) {
                    if (s.process != null && !s.exitNoticed && !s.process.isAlive()) {
                        s.exitNoticed = true;
                        if (stopping) {
                            if (!s.inboxBusy) {
                                s.state = SlotState.DEAD;
                            }
                            s.held.clear();
                        } else {
                            exits.add(new int[] {s.index, s.generation});
                        }
                    }
                    if (s.state == SlotState.DEAD && s.exitNoticed && shouldReplace()) {
                        replace.add(s);
                    }
                }
            } finally {
                lock.unlock();
            }
            for (int[] exit : exits) {
                putExitMarker(exit[0], exit[1]);
            }
            for (Slot s : replace) {
                startWorker(s);
            }
            if (stopping) {
                if (stopWorkers()) {
                    finishTermination();
                    return;
                }
            }
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(MONITOR_INTERVAL_MILLIS));
        }
    }

    private boolean shouldReplace() {
        if (brokenCause != null) {
            return false;
        }
        return runState == RUNNING || (runState == SHUTDOWN && (!pending.isEmpty() || !ready.isEmpty()));
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
            lock.lock();
            try {
                if (runState >= STOPPING) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            marker.rewind();
        }
    }

    private void startWorker(Slot s) {
        int generation;
        lock.lock();
        try {
            generation = ++s.generation;
            s.state = SlotState.STARTING;
            s.process = null;
            s.exitNoticed = false;
            s.held.clear();
            s.sent = 0;
            s.jobsDone = 0;
            s.inboxFull = false;
            s.reclaim = false;
            s.noSteal = false;
        } finally {
            lock.unlock();
        }
        JvmProcess process;
        try {
            process = JvmProcess.builder(PoolWorker.class)
                    .args(name, segmentOptions.directory().toString(), Integer.toString(s.index),
                            Integer.toString(generation), Integer.toString(maxTasksPerWorker),
                            codec.filterSpec() == null ? "-" : codec.filterSpec(), Long.toString(maxResultBytes),
                            codec.limits().toString())
                    .inheritJvmOptions(inheritJvmOptions)
                    .jvmOptions("-XX:+ExitOnOutOfMemoryError")
                    .jvmOptions(jvmOptions.toArray(new String[0]))
                    .start();
        } catch (RuntimeException e) {
            boolean giveUp;
            lock.lock();
            try {
                s.state = SlotState.DEAD;
                s.exitNoticed = true;
                startFailures++;
                lastStartFailure = "cannot start a worker JVM: " + e.getMessage();
                giveUp = startFailures >= MAX_START_FAILURES && runState < STOPPING;
                stateChanged.signalAll();
            } finally {
                lock.unlock();
            }
            if (giveUp) {
                stopNow(new InterprocException("process pool " + name + " stopped: " + lastStartFailure, e));
            }
            return;
        }
        lock.lock();
        try {
            s.process = process;
        } finally {
            lock.unlock();
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
        lock.lock();
        try {
            for (Slot s : slots) {
                JvmProcess p = s.process;
                if (p == null || !p.isAlive()) {
                    continue;
                }
                allGone = false;
                if (s.stopSentGeneration != s.generation) {
                    if (s.inbox.offerBytes(ByteBuffer.wrap(PoolWire.stop(s.generation)))) {
                        s.stopSentGeneration = s.generation;
                        s.stopSentAt = now;
                    }
                } else if (now - s.stopSentAt > STOP_GRACE_NANOS) {
                    p.kill();
                }
            }
        } catch (IllegalStateException e) {
            // segment closed: cannot happen before termination
        } finally {
            lock.unlock();
        }
        return allGone;
    }

    private void finishTermination() {
        collectorStop = true;
        lock.lock();
        try {
            work.signalAll();
        } finally {
            lock.unlock();
        }
        joinQuietly(collector);
        joinQuietly(dispatcher);
        List<PoolSink> leftovers = new ArrayList<>();
        lock.lock();
        try {
            leftovers.addAll(pending);
            pending.clear();
            ready.forEach(j -> leftovers.add(j.sink));
            ready.clear();
            for (Slot s : slots) {
                s.held.forEach(j -> leftovers.add(j.sink));
                s.held.clear();
                s.state = SlotState.DEAD;
            }
        } finally {
            lock.unlock();
        }
        leftovers.forEach(sink -> sink.abort(brokenCause));
        segment.close();
        try {
            segment.unlink();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "process pool " + name + ": cannot remove its segment", e);
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
        lock.lock();
        try {
            runState = TERMINATED;
            stateChanged.signalAll();
        } finally {
            lock.unlock();
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

    private void onJvmExit() {
        for (Slot s : slots) {
            JvmProcess p = s.process;
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

    // ---------------------------------------------------------------- lifecycle

    /**
     * Starts an orderly shutdown (Python's {@code close}): tasks already submitted still run, new
     * ones are rejected; once all are done the workers are asked to exit, then the segment is
     * removed and the pool terminates. Any thread may call this, any number of times; it does not
     * wait (see {@link #awaitTermination}).
     */
    @Override
    public void shutdown() {
        lock.lock();
        try {
            if (runState == RUNNING) {
                runState = SHUTDOWN;
                work.signal();
                stateChanged.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops now (Python's {@code terminate}): kills every worker JVM, cancels every task not done —
     * running or not — so that their futures throw {@link CancellationException}, rejects new ones,
     * and terminates once the workers are gone. Any thread may call this; it does not wait for the
     * workers to exit (see {@link #awaitTermination}).
     *
     * @return the tasks that never started, as runnables that run them in this JVM if called: one
     *     per task or {@code map} chunk not sent to a worker or taken back out of a worker's inbox
     *     (a worker that takes a queued task at that very moment runs it until it is killed), and
     *     one per {@code map}/{@code imap} call whose arguments were not all read, which applies the
     *     function to the rest; their futures are cancelled all the same
     */
    @Override
    public List<Runnable> shutdownNow() {
        return stopNow(null);
    }

    /**
     * Waits (briefly: the dispatcher gives up a send within about 100 ms once the pool stops) until
     * the dispatcher uses no inbox, so that what is in the inboxes is what will stay there. Called
     * with the lock held.
     */
    private void awaitInboxesQuiet() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        boolean interrupted = false;
        while (true) {
            boolean busy = false;
            for (Slot s : slots) {
                busy |= s.inboxBusy;
            }
            long left = deadline - System.nanoTime();
            if (!busy || left <= 0 || Thread.currentThread() == dispatcher) {
                break;
            }
            try {
                stateChanged.awaitNanos(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private List<Runnable> stopNow(Throwable reason) {
        Set<PoolSink> sinks = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<PoolSink> ordered = new ArrayList<>();
        List<JvmProcess> kill = new ArrayList<>();
        List<List<PoolJob>> heldBySlot = new ArrayList<>();
        int[] generations = new int[slots.length];
        lock.lock();
        try {
            if (runState == TERMINATED) {
                return List.of();
            }
            if (runState < STOPPING) {
                runState = STOPPING;
            }
            if (reason != null && brokenCause == null) {
                brokenCause = reason;
            }
            work.signalAll();
            awaitInboxesQuiet();
            for (PoolSink sink : pending) {
                if (sinks.add(sink)) {
                    ordered.add(sink);
                }
            }
            pending.clear();
            for (PoolJob job : ready) {
                if (sinks.add(job.sink)) {
                    ordered.add(job.sink);
                }
            }
            ready.clear();
            for (Slot s : slots) {
                heldBySlot.add(new ArrayList<>(s.held));
                generations[s.index] = s.generation;
                for (PoolJob job : s.held) {
                    if (sinks.add(job.sink)) {
                        ordered.add(job.sink);
                    }
                }
                s.held.clear();
                if (s.process != null) {
                    kill.add(s.process);
                }
                if (s.state != SlotState.STARTING || s.process != null) {
                    s.state = SlotState.DEAD;
                }
            }
            work.signalAll();
            stateChanged.signalAll();
        } finally {
            lock.unlock();
        }
        // Jobs still queued in an inbox never started: take them out before the kill, so that the
        // list below holds them (a worker that takes one first simply runs until it is killed).
        for (Slot s : slots) {
            for (PoolJob job : drainInbox(s, generations[s.index], heldBySlot.get(s.index))) {
                job.sink.unsent(job);
            }
        }
        kill.forEach(JvmProcess::kill);
        List<Runnable> unstarted = new ArrayList<>();
        for (PoolSink sink : ordered) {
            unstarted.addAll(sink.abort(reason));
        }
        LockSupport.unpark(monitor);
        return unstarted;
    }

    /**
     * Any thread may call this.
     *
     * @return true once {@link #shutdown()} or {@link #shutdownNow()} has been called (or the pool
     *     has given up on failing workers)
     */
    @Override
    public boolean isShutdown() {
        lock.lock();
        try {
            return runState >= SHUTDOWN;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Any thread may call this.
     *
     * @return true once the pool has terminated: every task done or cancelled, every worker JVM
     *     exited, the segment removed, every callback run
     */
    @Override
    public boolean isTerminated() {
        lock.lock();
        try {
            return runState == TERMINATED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the pool has terminated after a shutdown, or the timeout elapses. Any thread may
     * call this (not a callback of this pool, which would wait for itself).
     *
     * @param timeout how long to wait; {@code <= 0} checks once
     * @param unit its unit
     * @return true if the pool has terminated, false if the timeout elapsed first
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (runState != TERMINATED) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = stateChanged.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Shuts down and waits until the pool has terminated, as {@code ExecutorService.close()} does
     * from JDK 19 on: tasks already submitted run to completion. If the thread is interrupted
     * while waiting, it calls {@link #shutdownNow()} and goes on waiting (for the workers to be
     * killed), then returns with the interrupt status set. Any thread may call this, any number of
     * times (not a callback of this pool). It blocks as long as the submitted tasks take; to bound
     * that, call {@link #shutdown()}, {@link #awaitTermination} with a timeout, then
     * {@link #shutdownNow()}.
     */
    @Override
    public void close() {
        boolean terminated = isTerminated();
        if (!terminated) {
            shutdown();
            boolean interrupted = false;
            while (!terminated) {
                try {
                    terminated = awaitTermination(1L, TimeUnit.DAYS);
                } catch (InterruptedException e) {
                    if (!interrupted) {
                        shutdownNow();
                        interrupted = true;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Any thread may call this.
     *
     * @return {@code ProcessPool[name=…, workers=…, state=…, pending=…]}
     */
    @Override
    public String toString() {
        lock.lock();
        try {
            String state = runState == RUNNING ? "running" : runState == SHUTDOWN ? "shutting down"
                    : runState == STOPPING ? "stopping" : "terminated";
            return "ProcessPool[name=" + name + ", workers=" + workerCount + ", state=" + state + ", pending="
                    + (pending.size() + ready.size()) + ", pids=" + workerPidsLocked() + "]";
        } finally {
            lock.unlock();
        }
    }
}
