package io.interproc.context.contract;

import io.interproc.context.Context;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;

/**
 * Base of the contract suites: one abstract suite per shape of object, run against every
 * {@link Context} (a subclass says which, JCTools-style). Threads started through {@link #async}
 * are stopped after each test.
 */
public abstract class ContextContract {
    /** Deadline of every wait of a test, in seconds: generous, for a busy machine. */
    protected static final long DEADLINE_SECONDS = 30;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "contract-" + COUNTER.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /** @return the context under test (the subclass owns and closes it) */
    protected abstract Context context();

    /**
     * @param base what the object is for
     * @return a name no other test uses
     */
    protected static String unique(String base) {
        return base + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    /**
     * Runs a factory of the context, skipping the test if the context does not provide that shape
     * in this build.
     */
    protected static <T> T provided(Supplier<T> factory) {
        try {
            return factory.get();
        } catch (UnsupportedOperationException notProvided) {
            Assumptions.abort("not provided by this context in this build: " + notProvided.getMessage());
            throw notProvided; // not reached
        }
    }

    /** @return the task's future, running on a thread of this test */
    protected <T> Future<T> async(Callable<T> task) {
        return threads.submit(task);
    }

    /** @return the result of a future, failing the test if it does not complete within the deadline */
    protected static <T> T result(Future<T> f) throws Exception {
        return f.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    /** Polls a condition (a snapshot the test cannot wait on otherwise) until it holds, or fails. */
    protected static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + DEADLINE_SECONDS + " s waiting for: " + what);
            }
            Thread.sleep(2);
        }
    }

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }
}
