package io.interproc.bench;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
 * {@link SharedLong} against {@link AtomicLong}, single thread, in one JVM: the cost of going
 * through a mapped file and the closed-segment check. Run:
 * {@code java -jar benchmarks/target/benchmarks.jar SharedLongBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SharedLongBenchmark {
    private Segment segment;
    private SharedLong shared;
    private final AtomicLong atomic = new AtomicLong();
    private long expected;

    /** Creates a private segment for the run. */
    @Setup(Level.Trial)
    public void setUp() {
        segment = Segment.create("bench-sharedlong-" + ProcessHandle.current().pid(), 1 << 20);
        shared = SharedLong.create(segment, "v");
    }

    /** Removes the segment. */
    @TearDown(Level.Trial)
    public void tearDown() {
        segment.close();
        segment.unlink();
    }

    /** @return the new value */
    @Benchmark
    public long sharedIncrementAndGet() {
        return shared.incrementAndGet();
    }

    /** @return the new value */
    @Benchmark
    public long atomicIncrementAndGet() {
        return atomic.incrementAndGet();
    }

    /** @return whether the CAS succeeded (always, single-threaded) */
    @Benchmark
    public boolean sharedCompareAndSet() {
        long e = expected;
        expected = e + 1;
        return shared.compareAndSet(e, e + 1);
    }

    /** @return whether the CAS succeeded (always, single-threaded) */
    @Benchmark
    public boolean atomicCompareAndSet() {
        long e = expected;
        expected = e + 1;
        return atomic.compareAndSet(e, e + 1);
    }

    /** Resets the expected values so every CAS succeeds. */
    @Setup(Level.Iteration)
    public void resetExpected() {
        expected = 0;
        shared.set(0);
        atomic.set(0);
    }
}
