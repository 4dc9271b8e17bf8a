package io.interproc.pool;

import io.interproc.core.wait.Deadline;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * {@code invokeAll} and {@code invokeAny} of {@link ProcessPool} over the futures of tasks already
 * submitted. Stateless; runs in the calling thread.
 */
final class Invocations {
    private Invocations() {
    }

    /** Submits every task; if one is refused, cancels those already submitted and rethrows. */
    static <T> List<Future<T>> submitAll(Collection<? extends Callable<T>> tasks,
            Function<Callable<T>, Future<T>> submit) {
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> task : tasks) {
                futures.add(submit.apply(task));
            }
        } catch (RuntimeException e) {
            futures.forEach(f -> f.cancel(false));
            throw e;
        }
        return futures;
    }

    /**
     * Waits until every future is done or the deadline passes ({@link Deadline#NONE}: no deadline);
     * then (after a deadline) cancels those not done. On an interrupt cancels them all and rethrows.
     */
    static <T> List<Future<T>> invokeAll(List<Future<T>> futures, long deadline) throws InterruptedException {
        boolean timed = deadline != Deadline.NONE;
        try {
            for (Future<T> f : futures) {
                try {
                    if (timed) {
                        f.get(Deadline.remainingOrZero(deadline), TimeUnit.NANOSECONDS);
                    } else {
                        f.get();
                    }
                } catch (ExecutionException | CancellationException e) {
                    // reported by the future
                } catch (TimeoutException e) {
                    break;
                }
            }
            if (timed) {
                futures.forEach(f -> f.cancel(true));
            }
            return futures;
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
    }

    /**
     * Returns the result of the first future to succeed; cancels them all on the way out.
     *
     * @param deadline {@code System.nanoTime()} deadline, or {@link Deadline#NONE} for none
     */
    static <T> T invokeAny(List<Future<T>> futures, long deadline, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        LinkedBlockingQueue<Future<T>> done = new LinkedBlockingQueue<>();
        for (Future<T> f : futures) {
            ((CompletableFuture<T>) f).whenComplete((value, failure) -> done.add(f));
        }
        try {
            ExecutionException last = null;
            for (int remaining = futures.size(); remaining > 0; remaining--) {
                Future<T> f = deadline == Deadline.NONE ? done.take()
                        : done.poll(Deadline.remaining(deadline), TimeUnit.NANOSECONDS);
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

    /**
     * {@code ExecutorService.close()} as JDK 19 defines it: shuts down and waits for termination;
     * an interrupt while waiting calls {@code shutdownNow()} once, waits on, and is restored.
     */
    static void closeAndAwait(ExecutorService pool) {
        boolean terminated = pool.isTerminated();
        if (terminated) {
            return;
        }
        pool.shutdown();
        boolean interrupted = false;
        while (!terminated) {
            try {
                terminated = pool.awaitTermination(1L, TimeUnit.DAYS);
            } catch (InterruptedException e) {
                if (!interrupted) {
                    pool.shutdownNow();
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return {@code task}, checked to be serializable (it runs in a worker JVM) */
    static <T> T serializable(T task) {
        Objects.requireNonNull(task, "task");
        if (task instanceof CompletableFuture.AsynchronousCompletionTask) {
            throw new IllegalArgumentException("a process pool cannot run CompletableFuture's own tasks (class="
                    + task.getClass().getName() + "): CompletableFuture.supplyAsync/runAsync/then…Async(…, pool) "
                    + "hand over a task that completes a future of this JVM; use pool.supplyAsync(SerializableSupplier) "
                    + "or pool.runAsync(SerializableRunnable), which return a CompletableFuture, and chain on that");
        }
        if (!(task instanceof Serializable)) {
            throw new IllegalArgumentException("task must be Serializable to run in a worker JVM: class="
                    + task.getClass().getName() + " (pass a lambda where a SerializableCallable, SerializableRunnable"
                    + " or SerializableFunction is expected, or cast it to one)");
        }
        return task;
    }
}
