package io.interproc.pool.internal;

import java.util.List;

/**
 * Something submitted to a pool, from the pool's side: it supplies the jobs to send to workers
 * and receives their outcomes. A task's future (one job, one outcome) or a {@link MapRun} (chunks
 * of a map call). Thread-safe; {@link #nextJob()} is called by the pool's dispatcher thread only.
 */
public interface Submission {
    /**
     * @return the next job to send to a worker, or {@code null} if there is none (now or ever:
     *     see {@link #hasMoreJobs()})
     */
    PoolJob nextJob();

    /** @return whether {@link #nextJob()} may return another job */
    boolean hasMoreJobs();

    /**
     * @return false while the submission does not want more jobs sent for now (an {@code imap}
     *     whose reader lags behind); it then wakes the dispatcher when it does
     */
    boolean canSupplyNow();

    /** Called when a job of this submission has been given to a worker (before it is sent). */
    void started(PoolJob job);

    /** Called when a job given to a worker was taken back out of its inbox, never run. */
    void unsent(PoolJob job);

    /**
     * Delivers the outcome of one item; outcomes for items already settled are ignored.
     *
     * @param index the item's index
     * @param ok whether it succeeded
     * @param valueOrError the result, or the {@link Throwable} it failed with
     */
    void deliver(int index, boolean ok, Object valueOrError);

    /**
     * Delivers the outcomes of a job's items at once (one wake-up of waiting readers).
     *
     * @param job the job, whose {@link PoolJob#indices} say which items
     * @param ok per item, whether it succeeded
     * @param values per item, the result or the {@link Throwable}
     */
    default void deliverAll(PoolJob job, boolean[] ok, Object[] values) {
        for (int i = 0; i < job.indices().length; i++) {
            deliver(job.indices()[i], ok[i], values[i]);
        }
    }

    /**
     * Fails every item of a job with one exception.
     *
     * @param job the job
     * @param error the failure
     */
    default void failAll(PoolJob job, Throwable error) {
        boolean[] ok = new boolean[job.count()];
        Object[] values = new Object[job.count()];
        java.util.Arrays.fill(values, error);
        deliverAll(job, ok, values);
    }

    /** @return true once no outcome is wanted any more (done, failed fast or cancelled) */
    boolean isFinished();

    /**
     * Settles everything outstanding because the pool stops now.
     *
     * @param reason {@code null} to cancel, else the failure to report
     * @return tasks that were never sent to a worker, as runnables that run them in this JVM
     */
    List<Runnable> abort(Throwable reason);
}
