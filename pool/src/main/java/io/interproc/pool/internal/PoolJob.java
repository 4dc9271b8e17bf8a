package io.interproc.pool.internal;

/**
 * One inbox message's worth of work for a worker: a submitted task, or a chunk of a map call. The
 * pool records which worker holds which job ({@link WorkerSlot}), so a job is answered exactly
 * once: by the worker's result, or by a failure when the worker dies with it. Immutable but for
 * the generation field of {@code message}, which the dispatcher thread sets when it sends the job.
 *
 * @param id the task id, unique in the pool
 * @param submission what the job came from and where its outcomes go
 * @param indices the submission's indices of the job's items, in the order the worker answers them
 * @param message the inbox message ({@link PoolWire})
 * @param description "task 7 (submit)", "task 9 (map items 8-11)": for messages
 * @param local runs the job in this JVM (for the list {@code shutdownNow} returns)
 */
public record PoolJob(long id, Submission submission, int[] indices, byte[] message, String description,
        Runnable local) {
    /** @return how many items the job carries */
    public int count() {
        return indices.length;
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return description;
    }
}
