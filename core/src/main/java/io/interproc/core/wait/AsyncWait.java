package io.interproc.core.wait;

import io.interproc.core.Segment;
import io.interproc.core.memory.SharedBuffer;

import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One asynchronous wait and its future (protocol: {@link AsyncWaits}). Its steps run on the
 * {@link AsyncWaits#EXECUTOR} thread, one at a time, under the claim ({@link #RUNNING}); the fields
 * without {@code volatile} are written only under the claim, or by the one thread that ends an
 * {@link #ACTIVE} wait, and are published by the state's atomic updates.
 *
 * @param <T> the result type
 */
final class AsyncWait<T> extends CompletableFuture<T> {
    private static final int ACTIVE = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;

    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Starts claimed: the starter holds the claim until the wait is registered. */
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final Segment segment;
    final SharedBuffer buffer;
    private final int word;
    private final int waiters;
    private final AsyncWaits.Attempt<T> attempt;
    private final WaitLoop.SliceCheck check;
    private final long timeoutNanos;
    private final long deadline;
    private final T onTimeout;
    private final Runnable onAbandon;
    private final Runnable step = this::step;
    private final Runnable wake = () -> AsyncWaits.EXECUTOR.execute(step);

    private volatile boolean notice;
    private ParkedRecord record;
    private ScheduledFuture<?> retry;
    private ScheduledFuture<?> timer;
    private boolean registered;
    private boolean checkedOnce;
    private long backoffNanos;
    private T result;

    AsyncWait(Segment segment, int word, int waiters, AsyncWaits.Attempt<T> attempt, WaitLoop.SliceCheck check,
            long timeoutNanos, T onTimeout, Runnable onAbandon) {
        this.segment = segment;
        this.buffer = segment.buffer();
        this.word = word;
        this.waiters = waiters;
        this.attempt = attempt;
        this.check = check;
        this.timeoutNanos = timeoutNanos;
        this.deadline = Deadline.after(timeoutNanos);
        this.onTimeout = onTimeout;
        this.onAbandon = onAbandon;
    }

    // ---------------------------------------------------------------- the wait's own side

    /** Caller's thread: the first try, then registration. */
    void start() {
        try {
            segment.ensureOpen();
            if (attempt.attempt(this::accept) == WaitLoop.DONE) {
                finish(result, null, false);
                return;
            }
            if (timeoutNanos <= 0) {
                finish(onTimeout, null, true);
                return;
            }
            buffer.getAndAddInt(waiters, 1);
            try {
                segment.noteWaiting(waiters, 1);
            } catch (RuntimeException | Error e) {
                buffer.getAndAddInt(waiters, -1);
                throw e;
            }
            registered = true;
            AsyncWaits.PENDING.add(this);
            VarHandle.fullFence(); // a notice sent after this finds the wait (as Sleeper.enter)
            if (timeoutNanos != WaitLoop.FOREVER) {
                timer = AsyncWaits.EXECUTOR.schedule(step, timeoutNanos, TimeUnit.NANOSECONDS);
            }
        } catch (RuntimeException | Error e) {
            finish(null, e, true);
            return;
        }
        state.set(ACTIVE);
        AsyncWaits.EXECUTOR.execute(step);
    }

    private void accept(T value) {
        result = value;
    }

    /** A liveness notice: the next step runs the check. */
    void notice() {
        notice = true;
        AsyncWaits.EXECUTOR.execute(step);
    }

    /** Executor thread: one step, if the wait is still active. */
    private void step() {
        if (!state.compareAndSet(ACTIVE, RUNNING)) {
            return;
        }
        boolean finished;
        try {
            finished = stepClaimed();
        } catch (RuntimeException | Error e) {
            finish(null, e, true);
            finished = true;
        }
        if (!finished) {
            state.set(ACTIVE);
        }
    }

    /** @return true if the wait finished (state DONE) */
    private boolean stepClaimed() {
        leaveRecord();
        cancelRetry();
        segment.prepareToSleep(); // closed: IllegalStateException, the future fails with it
        boolean noticed = notice;
        notice = false;
        if (noticed || !checkedOnce) {
            checkedOnce = true;
            check.afterSlice();
        }
        long seen = attempt.attempt(this::accept);
        if (seen == WaitLoop.DONE) {
            finish(result, null, false);
            return true;
        }
        long left = Deadline.remaining(deadline);
        if (left <= 0) {
            finish(onTimeout, null, true);
            return true;
        }
        if (seen == AsyncWaits.RETRY_SOON || !AsyncWaits.HELPERS) {
            backoffNanos = backoffNanos == 0 ? FIRST_BACKOFF_NANOS : Math.min(MAX_BACKOFF_NANOS, 2 * backoffNanos);
            retry = AsyncWaits.EXECUTOR.schedule(step, Math.min(backoffNanos, left), TimeUnit.NANOSECONDS);
        } else {
            backoffNanos = 0;
            record = WaitvHelper.register(buffer, word, (int) seen, wake);
        }
        return false;
    }

    /**
     * Claim held: deregisters, passes on a wake-up if the wait gave up, and completes; only then
     * can an external completion return. The wake-up goes out before the future completes, so
     * whoever sees the completion also sees it passed on.
     */
    private void finish(T value, Throwable failure, boolean gaveUp) {
        boolean wasRegistered = registered;
        try {
            deregister();
            if (wasRegistered && gaveUp) {
                abandon();
            }
        } finally {
            if (failure == null) {
                super.complete(value);
            } else {
                super.completeExceptionally(failure);
            }
            state.set(DONE);
        }
    }

    private void deregister() {
        leaveRecord();
        cancelRetry();
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (registered) {
            registered = false;
            AsyncWaits.PENDING.remove(this);
            try {
                segment.noteWaiting(waiters, -1);
            } finally {
                buffer.getAndAddInt(waiters, -1);
            }
        }
    }

    private void leaveRecord() {
        if (record != null) {
            WaitvHelper.leave(record);
            record = null;
        }
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    private void abandon() {
        try {
            onAbandon.run();
        } catch (RuntimeException e) {
            // best effort: the wake-up it passes on is an optimisation for other waiters
        }
    }

    // ---------------------------------------------------------------- completions from outside

    /**
     * Ends the wait from outside (cancel, complete, completeExceptionally): an active wait is
     * deregistered first; a step in progress is waited for (it attempts once and never blocks
     * long); then {@code how} completes the future, or finds it completed by the step.
     */
    private boolean fromOutside(BooleanSupplier how) {
        int spins = 0;
        while (true) {
            int s = state.get();
            if (s == DONE) {
                return how.getAsBoolean();
            }
            if (s == ACTIVE) {
                if (state.compareAndSet(ACTIVE, DONE)) {
                    boolean wasRegistered = registered;
                    try {
                        deregister();
                    } finally {
                        if (wasRegistered) {
                            abandon();
                        }
                    }
                    return how.getAsBoolean();
                }
                continue;
            }
            if (isDone()) {
                // Completed by the step that holds the claim (this may be one of its dependent
                // stages, running inside the completion): nothing is left to end.
                return how.getAsBoolean();
            }
            if (++spins < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, 10_000);
            }
        }
    }

    /**
     * Cancels the wait unless an attempt already succeeded (then returns {@code false} and the
     * future holds the result). Any thread may call it.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return fromOutside(() -> super.cancel(mayInterruptIfRunning));
    }

    /** Completes with {@code value} and ends the wait, unless an attempt already succeeded. */
    @Override
    public boolean complete(T value) {
        return fromOutside(() -> super.complete(value));
    }

    /** Completes with {@code ex} and ends the wait, unless an attempt already succeeded. */
    @Override
    public boolean completeExceptionally(Throwable ex) {
        Objects.requireNonNull(ex, "ex");
        return fromOutside(() -> super.completeExceptionally(ex));
    }

    /** Routed through {@link #complete} so that the wait ends cleanly. */
    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
        Objects.requireNonNull(supplier, "supplier");
        Objects.requireNonNull(executor, "executor");
        executor.execute(() -> {
            T v;
            try {
                v = supplier.get();
            } catch (Throwable x) {
                completeExceptionally(x);
                return;
            }
            complete(v);
        });
        return this;
    }

    /** Routed through {@link #complete} so that the wait ends cleanly. */
    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier) {
        return completeAsync(supplier, defaultExecutor());
    }

    /** Not offered: it could overwrite a result an attempt took. */
    @Override
    public void obtrudeValue(T value) {
        throw new UnsupportedOperationException("obtrudeValue on an interproc asynchronous wait");
    }

    /** Not offered: it could overwrite a result an attempt took. */
    @Override
    public void obtrudeException(Throwable ex) {
        throw new UnsupportedOperationException("obtrudeException on an interproc asynchronous wait");
    }

    /** Dependent stages are plain futures. */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    @Override
    public String toString() {
        return "AsyncWait[" + segment.name() + ", word=" + word + ", " + super.toString() + "]";
    }
}
