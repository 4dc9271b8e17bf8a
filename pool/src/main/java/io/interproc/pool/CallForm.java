package io.interproc.pool;

/**
 * Which submit form a single task came from, which decides its future's result and what happens
 * to a failure nobody will read: {@code submit(Callable)} completes with the task's value,
 * {@code submit(Runnable[, result])} with the given result, and {@code execute(Runnable)} has no
 * future to read, so its failure is logged.
 */
enum CallForm {
    /** {@code submit(Callable)}: the future holds what the task returned. */
    CALLABLE,
    /** {@code submit(Runnable)} and {@code submit(Runnable, result)}: the future holds the given result. */
    RUNNABLE,
    /** {@code execute(Runnable)}: nobody reads the future; a failure is logged. */
    EXECUTE;

    /** @return the method name, for descriptions and messages */
    String method() {
        return this == EXECUTE ? "execute" : "submit";
    }

    /** @return whether the future's value is fixed at submission rather than returned by the task */
    boolean fixedResult() {
        return this != CALLABLE;
    }

    /** @return whether a failure is logged because no caller will see it */
    boolean logsFailure() {
        return this == EXECUTE;
    }
}
