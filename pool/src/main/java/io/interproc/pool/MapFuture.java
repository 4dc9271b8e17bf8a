package io.interproc.pool;

import io.interproc.pool.internal.MapRun;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The future {@code mapAsync} and {@code starmapAsync} return: a {@link CompletableFuture} of a
 * {@link MapRun}'s results, completed on the pool's callback thread when the run is done (its
 * dependents run there), so that a map composes like every other pool future.
 *
 * <p>Cancelling it cancels the run ({@code cancel(true)} kills the workers running its chunks);
 * {@code complete} and {@code completeExceptionally} (so {@code orTimeout}) cancel the run as
 * {@code cancel(false)} does; the obtrude methods are refused. Thread-safe.
 *
 * @param <R> the type of the results
 */
final class MapFuture<R> extends CompletableFuture<List<R>> {
    private final MapRun<?, R> run;

    private MapFuture(MapRun<?, R> run) {
        this.run = run;
    }

    /**
     * @param run a started run
     * @param <R> the type of its results
     * @return the future of its results
     */
    static <R> MapFuture<R> of(MapRun<?, R> run) {
        MapFuture<R> future = new MapFuture<>(run);
        run.whenDone(future::settle);
        return future;
    }

    /** On the callback thread, once the run is done: its outcome becomes this future's. */
    private void settle() {
        try {
            super.complete(run.get());
        } catch (ExecutionException e) {
            super.completeExceptionally(e.getCause());
        } catch (CancellationException e) {
            super.cancel(false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // not expected: the run is done, get() does not wait
            super.completeExceptionally(e);
        }
    }

    /**
     * Cancels the run: chunks not yet started never run; running ones are left to finish with
     * their results ignored, or, if {@code mayInterruptIfRunning}, their workers are killed and
     * replaced. Any thread may call this.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning); // first: the run's own end must not win
        return run.cancel(mayInterruptIfRunning) || cancelled;
    }

    /** Completes the future with {@code value} unless it is done, and cancels the run as {@code cancel(false)}. */
    @Override
    public boolean complete(List<R> value) {
        boolean completed = super.complete(value); // first: the run's own end must not win
        if (completed) {
            run.cancel(false);
        }
        return completed;
    }

    /** Completes the future with {@code failure} unless it is done, and cancels the run as {@code cancel(false)}. */
    @Override
    public boolean completeExceptionally(Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        boolean completed = super.completeExceptionally(failure); // first: the run's own end must not win
        if (completed) {
            run.cancel(false);
        }
        return completed;
    }

    /** Not supported: a map's outcome is decided once. @throws UnsupportedOperationException always */
    @Override
    public void obtrudeValue(List<R> value) {
        throw new UnsupportedOperationException("obtrudeValue on the future of a process pool map: " + run);
    }

    /** Not supported: a map's outcome is decided once. @throws UnsupportedOperationException always */
    @Override
    public void obtrudeException(Throwable failure) {
        throw new UnsupportedOperationException("obtrudeException on the future of a process pool map: " + run);
    }

    @Override
    public String toString() {
        return "MapFuture[" + run + "]";
    }
}
