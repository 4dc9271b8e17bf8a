package io.interproc.pool;

import io.interproc.core.CodecException;
import io.interproc.pool.internal.PoolEngine;
import io.interproc.pool.internal.PoolJob;
import io.interproc.pool.internal.PoolWire;
import io.interproc.pool.internal.RunnableCall;
import io.interproc.pool.internal.Submission;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The future of one task submitted to a {@link ProcessPool} ({@code submit}, {@code execute},
 * {@code applyAsync}, {@code supplyAsync}, an {@code ExecutorCompletionService}'s submit): a
 * {@link CompletableFuture} whose {@link #cancel cancel} cancels the task in the pool; also the
 * pool's {@link Submission} of that task's single job. Not public: callers see a
 * {@link CompletableFuture}.
 *
 * <p><b>Where dependents run.</b> The collector thread never runs caller code: it hands each
 * outcome to the pool's callback thread, which runs {@code applyAsync}'s callback (if any), then
 * completes this future there — so actions chained with the non-async methods ({@code thenApply},
 * {@code whenComplete}, …) before the outcome arrived run on that one thread, one at a time, and
 * must not block on another task of the same pool; chain with the {@code *Async} forms for slow
 * work. Actions chained after completion run in the chaining thread, as always.
 *
 * <p><b>Completing by hand.</b> {@link #complete}, {@link #completeExceptionally} (and so
 * {@code orTimeout}, {@code completeOnTimeout}) settle the future and drop the task as
 * {@code cancel(false)} does: a task not yet started never runs; a running one finishes in its
 * worker with its outcome ignored. {@code obtrudeValue}/{@code obtrudeException} are not supported.
 *
 * <p>Thread-safe: the dispatcher thread takes the job, the callback thread completes it, callers
 * wait, chain and cancel.
 *
 * @param <V> the type of the result
 */
final class PoolFuture<V> extends CompletableFuture<V> implements RunnableFuture<V>, Submission {
    private static final int PENDING = 0;
    private static final int RUNNING = 1;
    private static final int SETTLED = 2;

    private final PoolEngine pool;
    private final PoolJob job;
    private final boolean fixedResult;
    private final V result;
    private final Consumer<? super V> onSuccess;
    private final Consumer<? super Throwable> onError;
    private final boolean logFailure;

    // guarded by this
    private Runnable localRun;
    private boolean jobTaken;
    /** PENDING, RUNNING, or SETTLED once the outcome is decided (it may reach the CompletableFuture a moment later). */
    private int state = PENDING;

    /**
     * @param pool the pool
     * @param id the task id
     * @param message the inbox message
     * @param description for messages
     * @param localRun runs the task in this JVM (for {@code shutdownNow}'s list)
     * @param fixedResult whether to report {@code result} instead of the worker's value
     * @param result the value for a submitted {@code Runnable}
     * @param onSuccess callback, or {@code null}
     * @param onError error callback, or {@code null}
     * @param logFailure whether nobody can see a failure ({@code execute}) and it is logged
     */
    PoolFuture(ProcessPool pool, long id, byte[] message, String description, Runnable localRun, boolean fixedResult,
            V result, Consumer<? super V> onSuccess, Consumer<? super Throwable> onError, boolean logFailure) {
        this.pool = pool.engine;
        this.job = new PoolJob(id, this, new int[] {0}, message, description, localRun);
        this.localRun = localRun;
        this.fixedResult = fixedResult;
        this.result = result;
        this.onSuccess = onSuccess;
        this.onError = onError;
        this.logFailure = logFailure;
    }

    /**
     * The future of a callable task ({@code submit}, {@code execute}), its message built here.
     *
     * @param kind "submit" or "execute", for messages
     */
    static <T> PoolFuture<T> call(ProcessPool pool, Callable<?> task, CallForm form, Runnable local, T result) {
        long id = pool.engine().nextTaskId();
        byte[] message = PoolWire.call(id, pool.engine().codec().encodeTask(task));
        return new PoolFuture<>(pool, id, message, "task " + id + " (" + form.method() + ")", local,
                form.fixedResult(), result, null, null, form.logsFailure());
    }

    /** The future of {@code applyAsync}, its message built here. */
    static <R> PoolFuture<R> apply(ProcessPool pool, SerializableFunction<?, ?> function, Object argument,
            Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        long id = pool.engine().nextTaskId();
        byte[] fn = pool.engine().codec().encodeTask(function);
        byte[] arg;
        try {
            arg = pool.engine().codec().encode(argument);
        } catch (CodecException e) {
            throw new CodecException("cannot send the argument of applyAsync: " + e.getMessage(), e);
        }
        byte[] message = PoolWire.apply(id, fn, new byte[][] {arg}, 1);
        @SuppressWarnings("unchecked")
        SerializableFunction<Object, Object> f = (SerializableFunction<Object, Object>) function;
        Runnable local = RunnableCall.locally(() -> f.apply(argument));
        return new PoolFuture<>(pool, id, message, "task " + id + " (applyAsync)", local, false, null, callback,
                errorCallback, false);
    }

    // ---------------------------------------------------------------- as a source

    @Override
    public synchronized PoolJob nextJob() {
        if (jobTaken || state == SETTLED) {
            return null;
        }
        jobTaken = true;
        return job;
    }

    @Override
    public synchronized boolean hasMoreJobs() {
        return !jobTaken && state != SETTLED;
    }

    @Override
    public boolean canSupplyNow() {
        return true;
    }

    @Override
    public synchronized void started(PoolJob started) {
        if (state == PENDING) {
            state = RUNNING;
        }
    }

    @Override
    public synchronized void unsent(PoolJob job) {
        if (state == RUNNING) {
            state = PENDING;
        }
    }

    @Override
    public void deliver(int index, boolean ok, Object valueOrError) {
        if (settle() < 0) {
            return;
        }
        @SuppressWarnings("unchecked")
        V value = ok ? (fixedResult ? result : (V) valueOrError) : null;
        Throwable error = ok ? null : (Throwable) valueOrError;
        // On the callback thread, never the collector's: the callback, then dependents, run there.
        // As Python's apply_async: the callback has run before get() returns.
        pool.runCallback(() -> {
            try {
                if (ok && onSuccess != null) {
                    onSuccess.accept(value);
                } else if (!ok && onError != null) {
                    onError.accept(error);
                }
            } catch (RuntimeException | Error e) {
                pool.logCallbackFailure(job.description(), e);
            } finally {
                publish(ok, ok ? value : error);
            }
            if (!ok && logFailure) {
                pool.logUnobservedFailure(job.description(), error);
            }
        });
    }

    @Override
    public synchronized boolean isFinished() {
        return state == SETTLED;
    }

    @Override
    public List<Runnable> abort(Throwable reason) {
        Runnable unstarted;
        synchronized (this) {
            if (state == SETTLED) {
                return List.of();
            }
            unstarted = state == PENDING ? localRun : null;
        }
        if (reason == null) {
            cancel(false);
        } else if (settle() >= 0) {
            pool.runCallback(() -> publish(false, reason));
        }
        return unstarted == null ? List.of() : List.of(unstarted);
    }

    /**
     * Decides the outcome, once.
     *
     * @return the state before ({@code PENDING} or {@code RUNNING}), or -1 if already settled
     */
    private synchronized int settle() {
        int before = state;
        if (before == SETTLED) {
            return -1;
        }
        state = SETTLED;
        localRun = null;
        return before;
    }

    /** Hands the settled outcome to the {@link CompletableFuture}, which runs the dependents here. */
    private void publish(boolean ok, Object value) {
        if (ok) {
            @SuppressWarnings("unchecked")
            V v = (V) value;
            super.complete(v);
        } else {
            super.completeExceptionally((Throwable) value);
        }
    }

    long id() {
        return job.id();
    }

    // ---------------------------------------------------------------- Future, CompletableFuture

    /**
     * Cancels the task: one not yet started never runs (also one queued in a worker's inbox, which
     * the pool takes back); a running one is left to finish with its result ignored, or, if
     * {@code mayInterruptIfRunning}, its worker JVM is killed and replaced. Any thread may call
     * this; the future is done when it returns true, and its dependents have run in this thread.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        int before = settle();
        if (before < 0) {
            return false;
        }
        pool.cancelled(this, mayInterruptIfRunning && before == RUNNING);
        super.completeExceptionally(new CancellationException("task was cancelled: " + job.description()));
        return true;
    }

    /**
     * Completes the future with {@code value} unless its outcome is already decided, and drops the
     * task as {@code cancel(false)} does. Any thread may call this.
     */
    @Override
    public boolean complete(V value) {
        if (settle() < 0) {
            return false;
        }
        pool.cancelled(this, false);
        super.complete(value);
        return true;
    }

    /**
     * Completes the future with {@code failure} unless its outcome is already decided, and drops
     * the task as {@code cancel(false)} does. Any thread may call this.
     */
    @Override
    public boolean completeExceptionally(Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        if (settle() < 0) {
            return false;
        }
        pool.cancelled(this, false);
        super.completeExceptionally(failure);
        return true;
    }

    /** Not supported: the outcome of a pool task is decided once. @throws UnsupportedOperationException always */
    @Override
    public void obtrudeValue(V value) {
        throw new UnsupportedOperationException("obtrudeValue on the future of a process pool task: " + job.description());
    }

    /** Not supported: the outcome of a pool task is decided once. @throws UnsupportedOperationException always */
    @Override
    public void obtrudeException(Throwable failure) {
        throw new UnsupportedOperationException("obtrudeException on the future of a process pool task: "
                + job.description());
    }

    /**
     * Does nothing: the task runs in a worker JVM. (A {@link RunnableFuture} only for
     * {@link ProcessPool}'s {@code newTaskFor}, which {@code ExecutorCompletionService} calls.)
     */
    @Override
    public void run() {
        // the task runs in a worker
    }

    @Override
    public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return super.get(timeout, unit);
        } catch (TimeoutException e) {
            throw new TimeoutException("task not done within " + timeout + " " + unit + ": " + job.description());
        }
    }

    @Override
    public String toString() {
        String s;
        synchronized (this) {
            s = state == PENDING ? "pending" : state == RUNNING ? "running" : "settled";
        }
        if (isDone()) {
            s = isCancelled() ? "cancelled" : isCompletedExceptionally() ? "completed exceptionally" : "completed normally";
        }
        return "PoolFuture[" + job.description() + ", " + s + "]";
    }
}
