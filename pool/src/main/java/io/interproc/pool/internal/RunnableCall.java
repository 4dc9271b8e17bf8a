package io.interproc.pool.internal;

import io.interproc.pool.SerializableCallable;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/**
 * A {@code Runnable} task as the callable a worker runs (serialized with the task, so it must stay
 * allowed by the pool's built-in class patterns). Immutable; runs in the worker's main thread.
 */
public final class RunnableCall implements SerializableCallable<Object> {
    private static final long serialVersionUID = 1L;
    private final Runnable task;

    /** @param task the task, {@link java.io.Serializable} */
    public RunnableCall(Runnable task) {
        this.task = task;
    }

    @Override
    public Object call() {
        task.run();
        return null;
    }

    /**
     * @param task a callable
     * @return a runnable that calls it in this JVM, result dropped (for {@code shutdownNow}'s list)
     */
    public static Runnable locally(Callable<?> task) {
        return () -> {
            try {
                task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        };
    }
}
