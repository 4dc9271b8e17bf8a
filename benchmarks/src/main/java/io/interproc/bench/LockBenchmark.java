package io.interproc.bench;

import io.interproc.core.Segment;
import io.interproc.sync.SharedLock;
import io.interproc.sync.SharedReentrantLock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

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
 * Uncontended lock + unlock in one thread of one JVM: {@link SharedLock} and
 * {@link SharedReentrantLock} (one CAS on a mapped word each way, no system call) against
 * {@link ReentrantLock}. The target for {@code sharedLock} is 30 ns or less. Run:
 * {@code java -jar benchmarks/target/benchmarks.jar LockBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class LockBenchmark {
    private Segment segment;
    private SharedLock sharedLock;
    private SharedReentrantLock sharedReentrantLock;
    private final ReentrantLock reentrantLock = new ReentrantLock();

    /** Creates a private segment for the run. */
    @Setup(Level.Trial)
    public void setUp() {
        segment = Segment.create("bench-lock-" + ProcessHandle.current().pid(), 1 << 20);
        sharedLock = SharedLock.create(segment, "lock");
        sharedReentrantLock = SharedReentrantLock.create(segment, "rlock");
    }

    /** Removes the segment. */
    @TearDown(Level.Trial)
    public void tearDown() {
        segment.close();
        segment.unlink();
    }

    /** SharedLock lock() then unlock(). */
    @Benchmark
    public void sharedLock() {
        sharedLock.lock();
        sharedLock.unlock();
    }

    /** SharedReentrantLock lock() then unlock() (first hold, so the owner word is CASed). */
    @Benchmark
    public void sharedReentrantLock() {
        sharedReentrantLock.lock();
        sharedReentrantLock.unlock();
    }

    /** SharedLock tryLock() then unlock(). */
    @Benchmark
    public boolean sharedTryLock() {
        boolean locked = sharedLock.tryLock();
        sharedLock.unlock();
        return locked;
    }

    /** java.util.concurrent.locks.ReentrantLock lock() then unlock(), the in-JVM reference. */
    @Benchmark
    public void reentrantLock() {
        reentrantLock.lock();
        reentrantLock.unlock();
    }
}
