package io.interproc.ipc;

/**
 * One inbox message's worth of work for a {@link ProcessPool} worker: a submitted task, or a chunk
 * of a map call. The pool records which worker holds which job, so a job is answered exactly once:
 * by the worker's result, or by a failure when the worker dies with it.
 */
final class PoolJob {
    final long id;
    final PoolSink sink;
    /** The sink's indices of the job's items, in the order the worker answers them. */
    final int[] indices;
    /** The inbox message; its generation field is set when the job is sent. */
    final byte[] message;
    /** "task 7 (submit)", "task 9 (map items 8-11)": for messages. */
    final String description;
    /** Runs the job in this JVM (for the list {@code shutdownNow} returns). */
    final Runnable local;

    PoolJob(long id, PoolSink sink, int[] indices, byte[] message, String description, Runnable local) {
        this.id = id;
        this.sink = sink;
        this.indices = indices;
        this.message = message;
        this.description = description;
        this.local = local;
    }

    int count() {
        return indices.length;
    }

    @Override
    public String toString() {
        return description;
    }
}
