package io.interproc.ipc;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A test body run on its own daemon thread, so that the test can interrupt it, wait for it with a
 * deadline, and look at what it threw. A thread left blocked by a failed test ends once the test's
 * segments are closed (every blocking call throws within one wait slice then).
 *
 * @param <T> what the body returns
 */
public final class Background<T> {
    private final Thread thread;
    private final CompletableFuture<T> future = new CompletableFuture<>();

    private Background(String name, Callable<T> body) {
        this.thread = new Thread(() -> {
            try {
                future.complete(body.call());
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        }, name);
        thread.setDaemon(true);
    }

    public static <T> Background<T> start(String name, Callable<T> body) {
        Background<T> b = new Background<>(name, body);
        b.thread.start();
        return b;
    }

    public Thread thread() {
        return thread;
    }

    public boolean isDone() {
        return future.isDone();
    }

    /** @return the body's result; fails the test if it threw or did not end within the deadline */
    public T get(long seconds) throws InterruptedException {
        try {
            return future.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(thread.getName() + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(thread.getName() + " did not end within " + seconds + " s");
        }
    }

    /** @return what the body threw; fails the test if it returned or did not end within the deadline */
    public Throwable failure(long seconds) throws InterruptedException {
        try {
            T value = future.get(seconds, TimeUnit.SECONDS);
            throw new AssertionError(thread.getName() + " returned " + value + " instead of throwing");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError(thread.getName() + " did not end within " + seconds + " s");
        }
    }
}
