package io.interproc.pool.internal;

import io.interproc.core.SegmentOptions;

import java.util.List;

/**
 * A pool's configuration as its threads use it, fixed at construction. Immutable.
 *
 * @param name the pool's segment name, also the prefix of its threads' names
 * @param workers how many worker JVMs the pool keeps running
 * @param maxTasksPerWorker tasks after which a worker is replaced, 0 for never
 * @param prefetch how many jobs a worker may hold: the one it runs and the ones queued in its inbox
 * @param jvmOptions extra options of the worker JVMs
 * @param inheritJvmOptions whether workers get this JVM's options too
 * @param segmentOptions the options of the pool's segment
 * @param codec encodes tasks, arguments, results and exceptions
 * @param maxResultBytes bound on the encoded results of one result message, enforced by the workers
 * @param classDataSharing whether worker JVMs start from a shared class-data archive
 */
public record PoolSettings(String name, int workers, int maxTasksPerWorker, int prefetch, List<String> jvmOptions,
        boolean inheritJvmOptions, SegmentOptions segmentOptions, PoolCodec codec, long maxResultBytes,
        boolean classDataSharing) {
    /** Canonical constructor; copies {@code jvmOptions}. */
    public PoolSettings {
        jvmOptions = List.copyOf(jvmOptions);
    }
}
