package io.interproc.pool;

import io.interproc.core.DeserializationLimits;
import io.interproc.core.SegmentOptions;
import io.interproc.ipc.ring.RingDescriptor;
import io.interproc.pool.internal.PoolCodec;
import io.interproc.pool.internal.PoolSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Configures and starts a {@link ProcessPool}; from {@link ProcessPool#builder()}. Not thread-safe:
 * one thread configures it, then calls {@link #start()} (which may be called again for another
 * pool with the same configuration).
 *
 * <pre>{@code
 * try (ProcessPool pool = ProcessPool.builder()
 *         .workers(4)
 *         .maxTasksPerWorker(1000)
 *         .jvmOptions("-Xmx512m")
 *         .start()) {
 *     ...
 * }
 * }</pre>
 */
public final class ProcessPoolBuilder {
    private static final AtomicInteger POOLS = new AtomicInteger();
    /** Default ring size of each worker's inbox and of the result queue: 1 MiB. */
    public static final long DEFAULT_QUEUE_CAPACITY = 1 << 20;
    /** Default number of tasks queued in a busy worker's inbox behind the one it runs: {@value}. */
    public static final int DEFAULT_PREFETCH = 16;
    /** Default bound on the encoded results of one task (or {@code map} chunk): {@value} (64 MiB). */
    public static final long DEFAULT_MAX_RESULT_BYTES = 64L << 20;
    /** Default time {@link #start()} waits for the workers to be ready: 60 seconds. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    int workers = Runtime.getRuntime().availableProcessors();
    int maxTasksPerWorker;
    int prefetch = DEFAULT_PREFETCH;
    long queueCapacity = DEFAULT_QUEUE_CAPACITY;
    final List<String> jvmOptions = new ArrayList<>();
    boolean inheritJvmOptions = true;
    boolean classDataSharing = true;
    Path segmentDirectory;
    final List<String> allowedClasses = new ArrayList<>();
    Duration startTimeout = DEFAULT_START_TIMEOUT;
    long maxResultBytes = DEFAULT_MAX_RESULT_BYTES;
    DeserializationLimits deserializationLimits = DeserializationLimits.defaults();

    ProcessPoolBuilder() {
    }

    /**
     * The number of worker JVMs; by default {@link Runtime#availableProcessors()}.
     *
     * @param workers at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public ProcessPoolBuilder workers(int workers) {
        this.workers = require(workers >= 1, "workers", "at least 1", workers);
        return this;
    }

    /**
     * Replaces each worker JVM by a fresh one after it has completed this many tasks (Python's
     * {@code maxtasksperchild}); 0, the default, keeps workers for the pool's life. A task is one
     * {@code submit}/{@code execute}/{@code applyAsync}, or one chunk of a {@code map} call. The
     * worker exits by itself after the last of its tasks; its replacement starts at once.
     *
     * @param maxTasks 0 for unlimited, else at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code maxTasks < 0}
     */
    public ProcessPoolBuilder maxTasksPerWorker(int maxTasks) {
        this.maxTasksPerWorker = require(maxTasks >= 0, "maxTasksPerWorker", "0 (unlimited) or more", maxTasks);
        return this;
    }

    /**
     * How many tasks the pool may queue in a busy worker's inbox behind the one it runs;
     * {@value #DEFAULT_PREFETCH} by default. Queued tasks let a worker go from one task to the next
     * without waiting for this JVM, which is what makes many small tasks fast. They do not make a
     * task wait behind a slow one while another worker is free: a worker that becomes idle with
     * nothing else to do takes a queued task over (the pool takes it back out of the busy worker's
     * inbox, which that worker then never sees), and a cancelled queued task is taken back unrun.
     * 0 sends a worker one task at a time. Tasks whose message is larger than the inbox ring are
     * only ever sent to an idle worker.
     *
     * @param tasks 0 or more
     * @return this builder
     * @throws IllegalArgumentException if {@code tasks < 0}
     */
    public ProcessPoolBuilder prefetch(int tasks) {
        this.prefetch = require(tasks >= 0, "prefetch", "0 or more", tasks);
        return this;
    }

    /**
     * The ring size in bytes of each worker's inbox and of the shared result queue, rounded up to
     * a power of two; {@value #DEFAULT_QUEUE_CAPACITY} by default. Tasks and results larger than the
     * ring still pass (streamed in fragments), only more slowly.
     *
     * @param bytes 256 to 1 GiB
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public ProcessPoolBuilder queueCapacity(long bytes) {
        RingDescriptor.capacityFor(bytes); // validates
        this.queueCapacity = bytes;
        return this;
    }

    /**
     * Appends JVM options for the workers, such as {@code -Xmx256m}; they come after this JVM's
     * inherited options (see {@link #inheritJvmOptions(boolean)}) and after the pool's own
     * {@code -XX:+ExitOnOutOfMemoryError}, so they win where they disagree.
     *
     * @param options options, none {@code null}
     * @return this builder
     */
    public ProcessPoolBuilder jvmOptions(String... options) {
        for (String option : options) {
            jvmOptions.add(Objects.requireNonNull(option, "jvm option"));
        }
        return this;
    }

    /**
     * Whether workers get this JVM's options (as {@link io.interproc.process.JvmProcessBuilder#inheritJvmOptions}
     * describes); true by default.
     *
     * @param inherit false to start workers with only the pool's and {@link #jvmOptions}'s options
     * @return this builder
     */
    public ProcessPoolBuilder inheritJvmOptions(boolean inherit) {
        this.inheritJvmOptions = inherit;
        return this;
    }

    /**
     * Whether worker JVMs start from a shared class-data archive of their class path (see
     * {@link io.interproc.process.JvmProcessBuilder#classDataSharing(boolean)}): true by default. The
     * first worker of a class path writes the archive when it exits at the pool's shutdown; every
     * later worker, in this pool or the next, loads its start-up classes from it. Nothing is done for
     * a class path with a directory. The configuring thread may call this.
     *
     * @param share false to start workers without an archive
     * @return this builder
     */
    public ProcessPoolBuilder classDataSharing(boolean share) {
        this.classDataSharing = share;
        return this;
    }

    /**
     * Where the pool's private segment file is made; by default
     * {@link io.interproc.core.SegmentOptions#defaultDirectory()}.
     *
     * @param directory a directory, or {@code null} for the default
     * @return this builder
     */
    public ProcessPoolBuilder segmentDirectory(Path directory) {
        this.segmentDirectory = directory;
        return this;
    }

    /**
     * Restricts deserialization, in the workers (tasks and arguments) and in this JVM (results
     * and exceptions), to classes matching these {@link java.io.ObjectInputFilter.Config#createFilter}
     * patterns, e.g. {@code "com.example.tasks.*"}. By default every class is allowed, because a
     * task is code by nature and only its owner can write the pool's segment (mode 0600); see
     * {@link ProcessPool} on the trust model. With an allow-list the pool adds what it needs itself:
     * {@code java.lang.*}, {@code java.lang.invoke.SerializedLambda}, {@code io.interproc.pool.**}, {@code io.interproc.ipc.**},
     * {@code io.interproc.core.*}, {@code java.util.Collections$*} and
     * {@code java.util.ArrayList}. A lambda's capturing class must be allowed, as must the classes
     * of arguments, results and exceptions; a result that is rejected fails its task with a
     * {@link io.interproc.core.CodecException}, an exception that is rejected arrives as a
     * {@link RemoteTaskException}. {@code Integer}, {@code Long}, {@code Double}, {@code Boolean},
     * {@code String} and {@code byte[]} values are not serialized at all.
     *
     * @param patterns class name patterns, none blank or holding {@code ;}
     * @return this builder
     * @throws IllegalArgumentException if a pattern is malformed
     */
    public ProcessPoolBuilder allowClasses(String... patterns) {
        List<String> all = new ArrayList<>(allowedClasses);
        all.addAll(Arrays.asList(patterns));
        PoolCodec.filterSpec(all); // validates
        allowedClasses.clear();
        allowedClasses.addAll(all);
        return this;
    }

    /**
     * The largest result a worker sends back: the encoding of one task's result, or of all the
     * results of one {@code map} chunk together (an {@code Integer} takes 5 bytes, a
     * {@code byte[]} or {@code String} one more than its length or UTF-8 length, anything else its
     * Java serialization); {@value #DEFAULT_MAX_RESULT_BYTES} (64 MiB) by default. A larger result
     * is refused in the worker: its task (each such item of a chunk) fails with a
     * {@link io.interproc.core.CodecException} {@code result too large to send back: bytes=…,
     * maxResultBytes=…}, and the pool goes on. This JVM must be able to hold a result of this size
     * (a few times over while it decodes it); one it cannot allocate fails its task only.
     *
     * @param bytes 1 to {@code Integer.MAX_VALUE - 64}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public ProcessPoolBuilder maxResultBytes(long bytes) {
        if (bytes < 1 || bytes > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("maxResultBytes must be 1 to " + (Integer.MAX_VALUE - 64)
                    + ": maxResultBytes=" + bytes);
        }
        this.maxResultBytes = bytes;
        return this;
    }

    /**
     * Bounds on what one serialized task, argument, result or exception may declare when it is
     * deserialized, in the workers and in this JVM; {@link DeserializationLimits#defaults()} by
     * default. A value beyond them fails its task with a {@link io.interproc.core.CodecException}
     * naming the limit (in a worker: before anything is allocated, so a hostile message cannot kill
     * the worker JVM with an {@link OutOfMemoryError}).
     *
     * @param limits the limits
     * @return this builder
     * @throws NullPointerException if {@code limits} is null
     */
    public ProcessPoolBuilder deserializationLimits(DeserializationLimits limits) {
        this.deserializationLimits = Objects.requireNonNull(limits, "limits");
        return this;
    }

    /**
     * How long {@link #start()} waits for every worker JVM to be ready; 60 seconds by default.
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public ProcessPoolBuilder startTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive: startTimeout=" + timeout);
        }
        this.startTimeout = timeout;
        return this;
    }

    /**
     * Creates the pool's segment, starts the worker JVMs and waits until each is ready (typically
     * 0.2 to 1 s). The configuring thread may call this; it blocks for that time.
     *
     * @return the running pool
     * @throws io.interproc.core.InterprocException if a worker JVM exits before it is ready (for
     *     example because of a bad JVM option; the message holds its exit code, and its error output
     *     went to this JVM's standard error), or the workers are not ready within the start timeout;
     *     the pool is then shut down and its segment removed; also if the thread is interrupted
     *     while it waits, in which case the interrupt status is set again
     */
    public ProcessPool start() {
        return new ProcessPool(this);
    }

    /** @return the settings a pool started now gets: a fresh segment name, the codec, the segment options */
    PoolSettings settings() {
        SegmentOptions options = SegmentOptions.defaults()
                .withProcessTableSize(Math.max(SegmentOptions.defaults().processTableSize(), 2 * workers + 16))
                .withDirectorySize(Math.max(SegmentOptions.defaults().directorySize(), workers + 16));
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        PoolCodec codec = new PoolCodec(PoolCodec.filterSpec(allowedClasses),
                loader != null ? loader : ProcessPool.class.getClassLoader(), deserializationLimits);
        String name = "pool-" + ProcessHandle.current().pid() + "-" + POOLS.incrementAndGet() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt() & 0xfffffff);
        return new PoolSettings(name, workers, maxTasksPerWorker, 1 + prefetch, jvmOptions, inheritJvmOptions,
                segmentDirectory == null ? options : options.withDirectory(segmentDirectory), codec, maxResultBytes,
                classDataSharing);
    }

    @Override
    public String toString() {
        return "ProcessPoolBuilder[workers=" + workers + ", maxTasksPerWorker=" + maxTasksPerWorker
                + ", prefetch=" + prefetch + ", queueCapacity=" + queueCapacity + ", jvmOptions=" + jvmOptions + ", inheritJvmOptions="
                + inheritJvmOptions + ", segmentDirectory=" + segmentDirectory + ", allowClasses=" + allowedClasses
                + ", classDataSharing=" + classDataSharing + ", startTimeout=" + startTimeout + ", maxResultBytes=" + maxResultBytes + ", deserializationLimits="
                + deserializationLimits + "]";
    }

    /** @return {@code value} if {@code ok}; else throws naming the setting, its rule and the value */
    private static int require(boolean ok, String setting, String rule, int value) {
        if (!ok) {
            throw new IllegalArgumentException(setting + " must be " + rule + ": " + setting + "=" + value);
        }
        return value;
    }
}
