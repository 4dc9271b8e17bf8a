package io.interproc.pool;

import io.interproc.core.CodecException;
import io.interproc.pool.internal.PoolEngine;
import io.interproc.pool.internal.PoolJob;
import io.interproc.pool.internal.PoolWire;
import io.interproc.pool.internal.RunnableCall;
import io.interproc.pool.internal.Submission;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The {@link Future} of one task submitted to a {@link ProcessPool} ({@code submit},
 * {@code execute}, {@code applyAsync}); also the pool's {@link Submission} of that task's single
 * job. Not public: callers see a {@link Future}. Thread-safe: the dispatcher thread takes the job,
 * the collector thread (or the callback thread) completes it, callers wait and cancel.
 *
 * @param <V> the type of the result
 */
final class PoolFuture<V> implements Future<V>, Submission {
    private static final int PENDING = 0;
    private static final int RUNNING = 1;
    private static final int SUCCESS = 2;
    private static final int FAILED = 3;
    private static final int CANCELLED = 4;

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
    private int state = PENDING;
    /** Counted down once, when the state reaches SUCCESS, FAILED or CANCELLED: what {@code get} waits for. */
    private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    private Object outcome;
    private List<Runnable> listeners;

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
        if (jobTaken || state >= SUCCESS) {
            return null;
        }
        jobTaken = true;
        return job;
    }

    @Override
    public synchronized boolean hasMoreJobs() {
        return !jobTaken && state < SUCCESS;
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
        if (isFinished()) {
            return;
        }
        @SuppressWarnings("unchecked")
        V value = ok ? (fixedResult ? result : (V) valueOrError) : null;
        Throwable error = ok ? null : (Throwable) valueOrError;
        if (onSuccess == null && onError == null) {
            complete(ok, ok ? value : error);
            if (!ok && logFailure) {
                pool.logUnobservedFailure(job.description(), error);
            }
            return;
        }
        // As Python's apply_async: the callback has run before get() returns.
        pool.runCallback(() -> {
            if (isFinished()) {
                return;
            }
            try {
                if (ok && onSuccess != null) {
                    onSuccess.accept(value);
                } else if (!ok && onError != null) {
                    onError.accept(error);
                }
            } catch (RuntimeException | Error e) {
                pool.logCallbackFailure(job.description(), e);
            } finally {
                complete(ok, ok ? value : error);
            }
        });
    }

    @Override
    public synchronized boolean isFinished() {
        return state >= SUCCESS;
    }

    @Override
    public List<Runnable> abort(Throwable reason) {
        Runnable unstarted;
        synchronized (this) {
            if (state >= SUCCESS) {
                return List.of();
            }
            unstarted = state == PENDING ? localRun : null;
            localRun = null;
        }
        if (reason == null) {
            cancel(false);
        } else {
            complete(false, reason);
        }
        return unstarted == null ? List.of() : List.of(unstarted);
    }

    private void complete(boolean ok, Object value) {
        List<Runnable> toRun;
        synchronized (this) {
            if (state >= SUCCESS) {
                return;
            }
            toRun = finishLocked(ok ? SUCCESS : FAILED, value);
        }
        runListeners(toRun);
    }

    /** Sets the final state and outcome, releases the waiters. @return the listeners to run, outside the lock */
    private List<Runnable> finishLocked(int finalState, Object value) {
        state = finalState;
        outcome = value;
        localRun = null;
        done.countDown();
        List<Runnable> toRun = listeners;
        listeners = null;
        return toRun;
    }

    /** Runs {@code listener} once this future is done (at once if it is); for the pool's own use. */
    void whenDone(Runnable listener) {
        synchronized (this) {
            if (state < SUCCESS) {
                if (listeners == null) {
                    listeners = new ArrayList<>(2);
                }
                listeners.add(listener);
                return;
            }
        }
        listener.run();
    }

    private static void runListeners(List<Runnable> listeners) {
        if (listeners != null) {
            listeners.forEach(Runnable::run);
        }
    }

    long id() {
        return job.id();
    }

    // ---------------------------------------------------------------- Future

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        List<Runnable> toRun;
        boolean wasRunning;
        synchronized (this) {
            if (state >= SUCCESS) {
                return false;
            }
            wasRunning = state == RUNNING;
            toRun = finishLocked(CANCELLED, null);
        }
        pool.cancelled(this, mayInterruptIfRunning && wasRunning);
        runListeners(toRun);
        return true;
    }

    @Override
    public synchronized boolean isCancelled() {
        return state == CANCELLED;
    }

    @Override
    public synchronized boolean isDone() {
        return state >= SUCCESS;
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
        done.await(); // parks: a virtual thread unmounts (a monitor wait would pin it before JDK 24)
        synchronized (this) {
            return report();
        }
    }

    @Override
    public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (!done.await(unit.toNanos(timeout), TimeUnit.NANOSECONDS)) {
            throw new TimeoutException("task not done within " + timeout + " " + unit + ": " + job.description());
        }
        synchronized (this) {
            return report();
        }
    }

    @SuppressWarnings("unchecked")
    private V report() throws ExecutionException {
        switch (state) {
            case SUCCESS:
                return (V) outcome;
            case FAILED:
                throw new ExecutionException((Throwable) outcome);
            default:
                throw new CancellationException("task was cancelled: " + job.description());
        }
    }

    @Override
    public synchronized String toString() {
        String s = state == PENDING ? "pending" : state == RUNNING ? "running" : state == SUCCESS ? "completed normally"
                : state == FAILED ? "completed exceptionally: " + outcome : "cancelled";
        return "PoolFuture[" + job.description() + ", " + s + "]";
    }
}
