package io.interproc.pool;

import io.interproc.core.wait.Deadline;

import io.interproc.core.CodecException;
import io.interproc.core.InterprocException;
import io.interproc.core.PeerDiedException;
import io.interproc.pool.internal.MapMode;
import io.interproc.pool.internal.MapRun;
import io.interproc.pool.internal.PoolCodec;
import io.interproc.pool.internal.PoolEngine;
import io.interproc.pool.internal.RunnableCall;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A pool of worker JVMs that run tasks sent from this JVM (Python's {@code multiprocessing.Pool}
 * and {@code concurrent.futures.ProcessPoolExecutor}), as an {@link java.util.concurrent.ExecutorService}. A worker that
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
 * {@link SerializableFunction}s (a lambda passed to these methods is serializable as it is). A
 * task is serialized in the calling thread (so {@code submit} throws a {@link CodecException} at
 * once if it cannot be), run in a worker, and its result or exception comes back; arguments and
 * results must be serializable. A worker may keep a deserialized function for later tasks that
 * carry the same bytes, so functions should not count on fresh state per call.
 *
 * <p><b>Failures.</b> A task's exception is the cause of its future's {@link ExecutionException},
 * with the worker's stack trace, or a {@link RemoteTaskException} if it cannot be sent back. A
 * worker that dies fails the task it was running (all items of a {@code map} chunk) with a
 * {@link PeerDiedException} within about a tenth of a second, and is replaced. If 3 replacements in
 * a row exit before they are ready, the pool gives up: it stops, fails every outstanding task with
 * an {@link InterprocException} saying why, and rejects new ones. A result beyond
 * {@link ProcessPoolBuilder#maxResultBytes(long)}, or one this JVM cannot allocate or decode, fails
 * only its task with a {@link CodecException}.
 *
 * <p><b>Trust model.</b> Tasks are code, so by default any class is deserialized, in the workers
 * and here; only processes of this user can write the pool's segment (0600). To restrict it anyway,
 * give {@link ProcessPoolBuilder#allowClasses(String...)}.
 *
 * <p><b>Ordering.</b> Submissions are dispatched first come, first served; a {@code map} call's
 * chunks in order before later submissions. A task queued behind a slow one is taken over by an
 * idle worker. Results come back as they complete.
 *
 * <p><b>Memory effects.</b> Actions in the submitting thread before the submit call happen-before
 * the task runs (it is serialized in that thread; later changes are not seen). The task's actions
 * in the worker happen-before {@code Future.get} (or the iterator's {@code next}, or the callback)
 * returns its outcome here; only what the result carries, or what the task wrote to shared
 * objects, is visible.
 *
 * <p><b>Futures.</b> The single-task forms ({@code submit}, {@code applyAsync},
 * {@link #supplyAsync}, {@link #runAsync}) return {@link CompletableFuture}s: chain on them,
 * {@code whenComplete} for callbacks, {@code CompletableFuture.allOf} to gather. Cancelling one
 * cancels its task in the pool ({@code cancel(true)} kills the worker running it); completing one
 * by hand drops its task as {@code cancel(false)} does. Actions chained before the outcome came run
 * on the pool's one callback thread, never on the thread that collects results: keep them short,
 * never block there on another task of this pool, and use the {@code *Async} forms for slow work.
 * {@code CompletableFuture.supplyAsync(…, pool)} cannot run its JDK-made task in a worker and is
 * refused by {@link #execute(Runnable)} with a message naming {@link #supplyAsync}; an
 * {@link java.util.concurrent.ExecutorCompletionService} over the pool works. See also
 * {@link #starmap}, {@link #asCompleted}.
 *
 * <p><b>Submitting</b> ({@code submit}, {@code execute}, {@code applyAsync}, the {@code map}
 * family, {@code invoke*}) serializes in the calling thread and throws a {@link CodecException} if
 * a task, function or argument cannot be serialized, a {@link RejectedExecutionException} once the
 * pool is shut down, and (for a plain {@code Callable} or {@code Runnable}) an
 * {@link IllegalArgumentException} if the task is not {@link Serializable}.
 *
 * <p><b>Threads.</b> Every method may be called by any thread of the pool's JVM, concurrently.
 * Blocking methods honour interrupts ({@link InterruptedException} clears the interrupt status) and
 * have a timed form; a timeout {@code <= 0} checks once. The pool's own threads are daemons: a
 * pool never closed does not keep this JVM alive; its workers die with this JVM.
 */
public final class ProcessPool extends AbstractExecutorService implements AutoCloseable {
    /*
     * Mechanism (io.interproc.pool.internal; pool/README.md, "Design"). PoolEngine makes the pool's
     * private segment — one SharedQueue inbox per worker slot and one result queue — and three
     * daemon threads sharing one lock (PoolState): the Dispatcher sends each job to a specific
     * worker's inbox (idle, or up to prefetch deep) and takes queued jobs back; the Collector reads
     * the result queue; the WorkerMonitor starts workers, and puts an EXITED marker behind
     * everything a dead worker published, so that the Collector's Settler knows exactly which
     * held job died with it (failed) and which were never taken (resent). WorkerSlot is each
     * worker's state machine; PoolWire the message format; PoolCodec the value encoding; PoolWorker
     * the workers' main. This class only checks arguments, serializes and hands over.
     */
    final PoolEngine engine;
    /** The future {@link #newTaskFor} made in this thread, for the {@link #execute} that follows it. */
    private final ThreadLocal<PoolFuture<?>> handOff = new ThreadLocal<>();

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
        this.engine = new PoolEngine(b.settings(), b.queueCapacity, b.startTimeout);
    }

    /**
     * The number of worker JVMs the pool keeps running. Any thread may call this.
     *
     * @return the configured number of workers
     */
    public int workers() {
        return engine.settings().workers();
    }

    /**
     * The process ids of the worker JVMs now running (started and not yet seen to exit), in slot
     * order. Any thread may call this; it does not block on the workers. A snapshot: a worker may
     * exit or be replaced at any moment.
     *
     * @return the pids; empty once the pool has terminated
     */
    public List<Long> workerPids() {
        return engine.workerPids();
    }

    /**
     * The name of the pool's private segment (also the prefix of its threads' names). Any thread
     * may call this.
     *
     * @return the segment name, {@code pool-<pid>-<n>-<random>}
     */
    public String name() {
        return engine.settings().name();
    }

    /** @return the mechanism behind this facade: for {@code PoolFuture}, map runs and tests */
    PoolEngine engine() {
        return engine;
    }

    // ---------------------------------------------------------------- submitting

    /**
     * Runs {@code task} in a worker JVM.
     *
     * @param task the task; a lambda passed here is serializable
     * @param <T> the type of its result
     * @return the future of its result (see the class comment for failures and memory effects);
     *     {@link Future#cancel cancel(true)} on a running task kills its worker JVM, which is
     *     replaced
     */
    public <T> CompletableFuture<T> submit(SerializableCallable<T> task) {
        Objects.requireNonNull(task, "task");
        return submitCall(task, CallForm.CALLABLE, RunnableCall.locally(task), null);
    }

    /**
     * Runs {@code task} in a worker JVM; the task must be {@link Serializable} (a
     * {@link SerializableCallable}, or a lambda cast to one). Any thread may call this; it
     * serializes the task in this thread and returns without waiting for a worker.
     *
     * @param task the task
     * @param <T> the type of its result
     * @return the future of its result, as {@link #submit(SerializableCallable)}
     */
    @Override
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        return submitCall(Invocations.serializable(task), CallForm.CALLABLE, RunnableCall.locally(task), null);
    }

    /**
     * Runs {@code task} in a worker JVM.
     *
     * @param task the task; a lambda passed here is serializable
     * @return a future whose {@code get} returns {@code null} once the task has run
     */
    public CompletableFuture<?> submit(SerializableRunnable task) {
        return submit((Runnable) task, null);
    }

    /**
     * Runs {@code task} in a worker JVM; the task must be {@link Serializable} (a
     * {@link SerializableRunnable}, or a lambda cast to one). Any thread may call this.
     *
     * @param task the task
     * @return a future whose {@code get} returns {@code null} once the task has run
     */
    @Override
    public CompletableFuture<?> submit(Runnable task) {
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
     */
    @Override
    public <T> CompletableFuture<T> submit(Runnable task, T result) {
        Invocations.serializable(task);
        return submitCall(new RunnableCall(task), CallForm.RUNNABLE, task, result);
    }

    /**
     * Runs {@code task} in a worker JVM and forgets it. Any thread may call this. A failure of the
     * task has nobody to go to and is logged ({@link System.Logger}, level WARNING).
     *
     * @param task the task; a lambda passed here is serializable
     */
    public void execute(SerializableRunnable task) {
        execute((Runnable) task);
    }

    /**
     * Runs {@code task} in a worker JVM and forgets it; the task must be {@link Serializable}. Any
     * thread may call this. A failure of the task is logged ({@link System.Logger}, level WARNING).
     *
     * <p>Tasks the JDK makes for other executors cannot run here: {@code CompletableFuture}'s
     * {@code supplyAsync(…, pool)}, {@code runAsync(…, pool)} and {@code then…Async(…, pool)} hand
     * this method a task that completes a future of this JVM, so it throws an
     * {@link IllegalArgumentException} naming {@link #supplyAsync(SerializableSupplier)} and
     * {@link #runAsync(SerializableRunnable)}, which do that job. An
     * {@link java.util.concurrent.ExecutorCompletionService} over this pool works: its
     * {@code submit} goes through {@link #newTaskFor(Callable)}, and its tasks run in workers.
     *
     * @param task the task
     * @throws IllegalArgumentException if {@code task} is not serializable, or is one of
     *     {@code CompletableFuture}'s asynchronous tasks
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        PoolFuture<?> handed = handOff.get();
        if (handed != null) {
            handOff.remove();
            if (task instanceof FutureTask) {
                // ExecutorCompletionService.submit: newTaskFor made `handed`, and `task` wraps it. Send
                // `handed`; once it is done, run the wrapper here, which queues `handed` for take().
                engine.enqueue(handed);
                handed.whenComplete((value, failure) -> task.run());
                return;
            }
        }
        Invocations.serializable(task);
        submitCall(new RunnableCall(task), CallForm.EXECUTE, task, null);
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
     */
    public <T, R> CompletableFuture<R> applyAsync(SerializableFunction<? super T, ? extends R> function, T argument) {
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
     */
    public <T, R> CompletableFuture<R> applyAsync(SerializableFunction<? super T, ? extends R> function, T argument,
            Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(function, "function");
        PoolFuture<R> future = PoolFuture.apply(this, function, argument, callback, errorCallback);
        engine.enqueue(future);
        return future;
    }

    private <T> CompletableFuture<T> submitCall(Callable<?> task, CallForm form, Runnable local, T result) {
        PoolFuture<T> future = PoolFuture.call(this, task, form, local, result);
        engine.enqueue(future);
        return future;
    }

    /**
     * Runs {@code supplier} in a worker JVM: {@code CompletableFuture.supplyAsync(supplier, pool)}
     * for a process pool (which cannot work through {@link #execute(Runnable)}, see there), and
     * the analogue of Python's {@code loop.run_in_executor(pool, f)}. Any thread may call this; it
     * serializes the supplier in this thread and returns without waiting.
     *
     * @param supplier the supplier; a lambda passed here is serializable
     * @param <T> the type of its result
     * @return the future of its result, as {@link #submit(SerializableCallable)}
     */
    public <T> CompletableFuture<T> supplyAsync(SerializableSupplier<T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return submitCall(new SupplierCall<>(supplier), CallForm.CALLABLE, RunnableCall.locally(supplier::get), null);
    }

    /**
     * Runs {@code task} in a worker JVM: {@code CompletableFuture.runAsync(task, pool)} for a
     * process pool. Any thread may call this; it serializes the task in this thread.
     *
     * @param task the task; a lambda passed here is serializable
     * @return a future completed with {@code null} once the task has run
     */
    public CompletableFuture<Void> runAsync(SerializableRunnable task) {
        Invocations.serializable(task);
        return submitCall(new RunnableCall(task), CallForm.RUNNABLE, task, null);
    }

    /**
     * For {@link java.util.concurrent.ExecutorCompletionService}, which calls it and then
     * {@link #execute(Runnable)} in the same thread: serializes {@code callable} at once (so a task
     * that cannot be serialized fails the completion service's {@code submit}) and returns the
     * pool future that {@code execute} then sends. Called only by {@code java.util.concurrent}.
     */
    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        PoolFuture<T> future = PoolFuture.call(this, Invocations.serializable(callable), CallForm.CALLABLE,
                RunnableCall.locally(callable), null);
        handOff.set(future);
        return future;
    }

    /** As {@link #newTaskFor(Callable)} for a serializable runnable and a fixed result. */
    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        Invocations.serializable(runnable);
        PoolFuture<T> future = PoolFuture.call(this, new RunnableCall(runnable), CallForm.RUNNABLE, runnable, value);
        handOff.set(future);
        return future;
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
     */
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> function, Iterable<? extends T> items)
            throws InterruptedException, ExecutionException {
        List<T> list = MapRun.readAll(items);
        return waitFor(MapRun.start(engine, function, list.iterator(), defaultChunkSize(list.size()), MapMode.MAP));
    }

    /**
     * As {@link #map(SerializableFunction, Iterable)} with {@code chunkSize} items per task.
     *
     * @throws IllegalArgumentException if {@code chunkSize < 1}
     */
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> function, Iterable<? extends T> items,
            int chunkSize) throws InterruptedException, ExecutionException {
        MapRun.checkChunkSize(chunkSize);
        return waitFor(MapRun.start(engine, function, MapRun.readAll(items).iterator(), chunkSize, MapMode.MAP));
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
     * {@code map_async}); wait with a timeout through {@link Future#get(long, TimeUnit)}, or compose
     * (the future is a {@link CompletableFuture}, completed on the pool's callback thread, where
     * dependents then run; {@code complete}, {@code completeExceptionally} and so {@code orTimeout}
     * cancel the run as {@code cancel(false)} does). Any thread may call this.
     *
     * @param function the function; a lambda passed here is serializable
     * @param items the arguments, read at once into a list in this thread
     * @param <T> the type of the arguments
     * @param <R> the type of the results
     * @return the future of the results in order; it fails with the first failure to arrive, and
     *     {@code cancel(true)} kills the workers running its chunks
     */
    public <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items) {
        List<T> list = MapRun.readAll(items);
        return MapFuture.of(MapRun.start(engine, function, list.iterator(), defaultChunkSize(list.size()), MapMode.MAP));
    }

    /**
     * As {@link #mapAsync(SerializableFunction, Iterable)} with {@code chunkSize} items per task.
     *
     * @throws IllegalArgumentException if {@code chunkSize < 1}
     */
    public <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items, int chunkSize) {
        MapRun.checkChunkSize(chunkSize);
        return MapFuture.of(MapRun.start(engine, function, MapRun.readAll(items).iterator(), chunkSize, MapMode.MAP));
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
     */
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items) {
        return imap(function, items, 1);
    }

    /**
     * As {@link #imap(SerializableFunction, Iterable)} with {@code chunkSize} items per task (larger
     * chunks cost less per item, but each result waits for its whole chunk).
     *
     * @throws IllegalArgumentException if {@code chunkSize < 1}
     */
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items, int chunkSize) {
        return MapRun.iterate(engine, function, items, chunkSize, MapMode.IMAP);
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
     */
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items) {
        return imapUnordered(function, items, 1);
    }

    /**
     * As {@link #imapUnordered(SerializableFunction, Iterable)} with {@code chunkSize} items per task.
     *
     * @throws IllegalArgumentException if {@code chunkSize < 1}
     */
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items, int chunkSize) {
        return MapRun.iterate(engine, function, items, chunkSize, MapMode.IMAP_UNORDERED);
    }

    /**
     * Applies {@code function} to every pair of arguments in worker JVMs and returns the results in
     * the pairs' order (Python's {@code starmap}, for functions of two arguments), with
     * {@code map}'s default chunk size. Any thread may call this; it blocks until every result is
     * in, or the first failure (as {@link #map(SerializableFunction, Iterable)}). Each pair is taken
     * apart in this JVM, so the entries themselves need not be serializable ({@code Map.entry(a, b)}
     * is fine); their keys and values must be. For three or more arguments, {@code map} over a
     * record.
     *
     * <pre>{@code
     * List<Integer> sums = pool.starmap(Integer::sum, List.of(Map.entry(1, 2), Map.entry(3, 4)));  // [3, 7]
     * List<Integer> same = pool.starmap(Integer::sum, Map.of(1, 2, 3, 4).entrySet());                // in the set's order
     * }</pre>
     *
     * @param function the function; a lambda or method reference passed here is serializable
     * @param pairs the pairs of arguments, each a {@link Map.Entry} (key first); read at once
     * @param <A> the type of the first arguments
     * @param <B> the type of the second arguments
     * @param <R> the type of the results
     * @return the results, an unmodifiable list
     * @throws ExecutionException if a pair failed: the cause is the first failure to arrive
     * @throws InterruptedException if interrupted while waiting; the call is then cancelled
     * @throws NullPointerException if {@code pairs} or one of its entries is null
     */
    public <A, B, R> List<R> starmap(SerializableBiFunction<? super A, ? super B, ? extends R> function,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs)
            throws InterruptedException, ExecutionException {
        List<Object[]> list = spread(pairs);
        return waitFor(MapRun.start(engine, new StarCall<A, B, R>(function), list.iterator(),
                defaultChunkSize(list.size()), MapMode.MAP));
    }

    /**
     * As {@link #starmap(SerializableBiFunction, Iterable)} with {@code chunkSize} pairs per task.
     *
     * @throws IllegalArgumentException if {@code chunkSize < 1}
     */
    public <A, B, R> List<R> starmap(SerializableBiFunction<? super A, ? super B, ? extends R> function,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunkSize)
            throws InterruptedException, ExecutionException {
        MapRun.checkChunkSize(chunkSize);
        return waitFor(MapRun.start(engine, new StarCall<A, B, R>(function), spread(pairs).iterator(), chunkSize,
                MapMode.MAP));
    }

    /**
     * Starts {@link #starmap(SerializableBiFunction, Iterable)} without waiting (Python's
     * {@code starmap_async}). Any thread may call this; it reads the pairs in this thread.
     *
     * @return the future of the results in order, as {@link #mapAsync(SerializableFunction, Iterable)}'s
     */
    public <A, B, R> CompletableFuture<List<R>> starmapAsync(
            SerializableBiFunction<? super A, ? super B, ? extends R> function,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) {
        List<Object[]> list = spread(pairs);
        return MapFuture.of(MapRun.start(engine, new StarCall<A, B, R>(function), list.iterator(),
                defaultChunkSize(list.size()), MapMode.MAP));
    }

    /**
     * As {@link #starmapAsync(SerializableBiFunction, Iterable)} with {@code chunkSize} pairs per task.
     *
     * @throws IllegalArgumentException if {@code chunkSize < 1}
     */
    public <A, B, R> CompletableFuture<List<R>> starmapAsync(
            SerializableBiFunction<? super A, ? super B, ? extends R> function,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunkSize) {
        MapRun.checkChunkSize(chunkSize);
        return MapFuture.of(MapRun.start(engine, new StarCall<A, B, R>(function), spread(pairs).iterator(), chunkSize,
                MapMode.MAP));
    }

    private static List<Object[]> spread(Iterable<? extends Map.Entry<?, ?>> pairs) {
        Objects.requireNonNull(pairs, "pairs");
        List<Object[]> list = new ArrayList<>();
        for (Map.Entry<?, ?> pair : pairs) {
            Objects.requireNonNull(pair, () -> "pair " + list.size() + " of starmap is null");
            list.add(new Object[] {pair.getKey(), pair.getValue()});
        }
        return list;
    }

    /**
     * The given futures in the order they complete (Python's {@code concurrent.futures.as_completed}):
     * each {@code next()} waits for the next one to be done and returns it, and throws once
     * {@code timeout} (counted from this call) has passed with futures still not done. Any thread
     * may call this; it returns at once. Works for any {@link CompletionStage} future (those of
     * {@code submit}, {@code applyAsync}, {@code supplyAsync}, any {@link CompletableFuture}) and
     * any future already done; the futures are not cancelled by the iterator.
     *
     * <pre>{@code
     * List<CompletableFuture<Integer>> futures = ...;              // pool.submit(...) each
     * for (CompletableFuture<Integer> f : ProcessPool.asCompleted(futures, Duration.ofMinutes(1))) {
     *     System.out.println(f.join());                            // the quickest first
     * }
     * }</pre>
     *
     * @param futures the futures; a future given twice comes out twice
     * @param timeout how long all of them may take; {@code null} for no limit
     * @param <F> the type of the futures
     * @return an iterator over them in completion order (see {@link AsCompleted} for its blocking
     *     and timeout behaviour); it is its own {@link Iterable}
     * @throws IllegalArgumentException if a future is neither a {@link CompletionStage} nor done
     *     (nothing could tell when it completes without a thread per future)
     */
    public static <F extends Future<?>> AsCompleted<F> asCompleted(Collection<? extends F> futures, Duration timeout) {
        return AsCompleted.of(futures, timeout);
    }

    /**
     * The chunk size {@code map} uses for {@code n} items: {@code ceil(n / (4 * workers))}, at
     * least 1, as Python's {@code Pool.map}. Any thread may call this.
     *
     * @param n the number of items
     * @return the chunk size
     */
    public int defaultChunkSize(int n) {
        long per = 4L * workers();
        return (int) Math.max(1, (n + per - 1) / per);
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
     */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return Invocations.invokeAll(submitAll(tasks), Long.MAX_VALUE);
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
     */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        return Invocations.invokeAll(submitAll(tasks), Deadline.deadline(timeout, unit));
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
     * @throws IllegalArgumentException if {@code tasks} is empty
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
        return Invocations.invokeAny(submitAll(tasks), Deadline.deadline(timeout, unit), timeout, unit);
    }

    /**
     * As {@link #invokeAll(Collection, long, TimeUnit)}, with a {@link Duration}. Any thread may
     * call this.
     *
     * @param tasks the tasks, each {@link Serializable}
     * @param timeout how long to wait; zero or negative cancels those not done at once
     * @param <T> the type of the results
     * @return their futures, in the tasks' order, all done or cancelled
     * @throws InterruptedException if interrupted while waiting (the tasks not done are cancelled)
     */
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, Duration timeout)
            throws InterruptedException {
        return invokeAll(tasks, Deadline.toNanos(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * As {@link #invokeAny(Collection, long, TimeUnit)}, with a {@link Duration}. Any thread may
     * call this.
     *
     * @param tasks the tasks, at least one, each {@link Serializable}
     * @param timeout how long to wait
     * @param <T> the type of the results
     * @return the result of a task that succeeded
     * @throws ExecutionException if every task failed; the cause is the last failure
     * @throws TimeoutException if none succeeded in time (all are cancelled)
     * @throws InterruptedException if interrupted while waiting (the tasks are cancelled)
     */
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        return invokeAny(tasks, Deadline.toNanos(timeout), TimeUnit.NANOSECONDS);
    }

    private <T> List<Future<T>> submitAll(Collection<? extends Callable<T>> tasks) {
        tasks.forEach(Invocations::serializable);
        return Invocations.submitAll(tasks, this::submit);
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
        engine.shutdown();
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
        return engine.shutdownNow();
    }

    /**
     * Any thread may call this.
     *
     * @return true once {@link #shutdown()} or {@link #shutdownNow()} has been called (or the pool
     *     has given up on failing workers)
     */
    @Override
    public boolean isShutdown() {
        return engine.isShutdown();
    }

    /**
     * Any thread may call this.
     *
     * @return true once the pool has terminated: every task done or cancelled, every worker JVM
     *     exited, the segment removed, every callback run
     */
    @Override
    public boolean isTerminated() {
        return engine.isTerminated();
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
        return engine.awaitTermination(timeout, unit);
    }

    /**
     * As {@link #awaitTermination(long, TimeUnit)}, with a {@link Duration}. Any thread may call
     * this (not a callback of this pool).
     *
     * @param timeout how long to wait; zero or negative checks once
     * @return true if the pool has terminated, false if the timeout elapsed first
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return engine.awaitTermination(Deadline.toNanos(timeout), TimeUnit.NANOSECONDS);
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
        Invocations.closeAndAwait(this);
    }

    /**
     * Any thread may call this.
     *
     * @return {@code ProcessPool[name=…, workers=…, state=…, pending=…]}
     */
    @Override
    public String toString() {
        return "ProcessPool[name=" + name() + ", workers=" + workers() + ", " + engine.describe() + "]";
    }
}
