package io.interproc.bench;

import io.interproc.core.Segment;
import io.interproc.sync.SharedSemaphore;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Uncontended acquire + release of one permit in one thread of one JVM: {@link SharedSemaphore}
 * (plain and bounded) against {@link Semaphore}. Run:
 * {@code java -jar benchmarks/target/benchmarks.jar SemaphoreBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SemaphoreBenchmark {
    private Segment segment;
    private SharedSemaphore shared;
    private SharedSemaphore bounded;
    private final Semaphore semaphore = new Semaphore(4);

    /** Creates a private segment with a semaphore of 4 permits and a bounded one. */
    @Setup(Level.Trial)
    public void setUp() {
        segment = Segment.create("bench-semaphore-" + ProcessHandle.current().pid(), 1 << 20);
        shared = SharedSemaphore.create(segment, "s", 4);
        bounded = SharedSemaphore.createBounded(segment, "b", 4);
    }

    /** Removes the segment. */
    @TearDown(Level.Trial)
    public void tearDown() {
        segment.close();
        segment.unlink();
    }

    /** @throws InterruptedException never (a permit is always free) */
    @Benchmark
    public void sharedAcquireRelease() throws InterruptedException {
        shared.acquire();
        shared.release();
    }

    /** @throws InterruptedException never */
    @Benchmark
    public void sharedBoundedAcquireRelease() throws InterruptedException {
        bounded.acquire();
        bounded.release();
    }

    /** @return true (a permit is always free) */
    @Benchmark
    public boolean sharedTryAcquireRelease() {
        boolean ok = shared.tryAcquire();
        shared.release();
        return ok;
    }

    /** @throws InterruptedException never */
    @Benchmark
    public void semaphoreAcquireRelease() throws InterruptedException {
        semaphore.acquire();
        semaphore.release();
    }
}
