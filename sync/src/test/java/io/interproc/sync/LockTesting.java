package io.interproc.sync;

import static org.junit.jupiter.api.Assertions.fail;

import io.interproc.core.ObjectInfo;
import io.interproc.core.Segment;
import io.interproc.sync.internal.LockDescriptor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Helpers for the lock and condition tests: deadlines, helper threads, raw shared state. */
final class LockTesting {
    /** Generous deadline for anything that should happen "soon" on a loaded 2-core machine. */
    static final long DEADLINE_MILLIS = 10_000;

    private LockTesting() {
    }

    /** Waits until {@code condition} holds, failing after {@link #DEADLINE_MILLIS}. */
    static void eventually(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("timed out after " + DEADLINE_MILLIS + " ms waiting for: " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for: " + what);
            }
        }
    }

    /** A helper thread running {@code body}; its result or exception comes back through the task. */
    static final class Worker<T> {
        final Thread thread;
        final FutureTask<T> task;

        Worker(String name, Callable<T> body) {
            this.task = new FutureTask<>(body);
            this.thread = new Thread(task, name);
            this.thread.setDaemon(true);
            this.thread.start();
        }

        T result() throws Exception {
            try {
                return task.get(DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof Exception) {
                    throw (Exception) e.getCause();
                }
                throw e;
            }
        }

        /** @return the exception the body threw, failing if it returned normally */
        Throwable failure() throws Exception {
            try {
                task.get(DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                return e.getCause();
            }
            return fail("expected " + thread.getName() + " to throw");
        }

        long cpuNanos() {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            return mx.getThreadCpuTime(thread.getId());
        }
    }

    static <T> Worker<T> start(String name, Callable<T> body) {
        return new Worker<>(name, body);
    }

    /** @return the offset of a named object in the segment */
    static int offsetOf(Segment segment, String name) {
        for (ObjectInfo info : segment.objects()) {
            if (info.name().equals(name)) {
                return info.offset();
            }
        }
        return fail("no object " + name);
    }

    /** @return the waiter count of a SharedLock or SharedReentrantLock, read raw */
    static int lockWaiters(Segment segment, String name) {
        return segment.buffer().getIntVolatile(offsetOf(segment, name) + LockDescriptor.WAITERS_OFFSET);
    }

    /** @return the expected description of the calling thread in messages */
    static String me() {
        Thread t = Thread.currentThread();
        return "thread '" + t.getName() + "' (threadId=" + t.getId() + ")";
    }
}
