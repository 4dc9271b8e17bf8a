package io.interproc.bench;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.ipc.queue.MessageHandler;
import io.interproc.ipc.queue.SharedQueue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One offer and one poll of an 8-byte message in one thread of one JVM (the queue never holds more
 * than one message): {@link SharedQueue}'s bytes path ({@code offerBytes}/{@code pollBytes}, which
 * take the producer and the consumer lock and copy through the mapped ring) against
 * {@link ArrayBlockingQueue} of a preallocated {@code byte[8]}. Run:
 * {@code java -jar benchmarks/target/benchmarks.jar QueueBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class QueueBenchmark {
    private Segment segment;
    private SharedQueue<byte[]> queue;
    private final ArrayBlockingQueue<byte[]> arrayQueue = new ArrayBlockingQueue<>(1024);
    private final byte[] message = new byte[8];
    private final ByteBuffer src = ByteBuffer.allocateDirect(8);
    private final ByteBuffer dst = ByteBuffer.allocateDirect(8);

    /** Creates a private segment and a 64 KiB queue. */
    @Setup(Level.Trial)
    public void setUp() {
        segment = Segment.create("bench-queue-" + ProcessHandle.current().pid(), 1 << 20);
        queue = SharedQueue.create(segment, "q", 64 << 10, Codec.bytes());
    }

    /** Removes the segment. */
    @TearDown(Level.Trial)
    public void tearDown() {
        segment.close();
        segment.unlink();
    }

    /** @return the size polled (8) */
    @Benchmark
    public int sharedQueueOfferPollBytes() {
        src.clear();
        queue.offerBytes(src);
        dst.clear();
        return queue.pollBytes(dst);
    }

    /** Messages per invocation of the batch benchmarks. */
    private static final int BATCH = 16;
    private final MessageHandler handler = m -> this.drained += m.remaining();
    private long drained;
    private final List<byte[]> sink = new ArrayList<>(BATCH);

    /**
     * Sixteen {@code offerBytes} then one {@code drainBytes} of them: the batch take, per message.
     *
     * @return the messages drained (16)
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int sharedQueueOfferDrainBytes() {
        for (int i = 0; i < BATCH; i++) {
            src.clear();
            queue.offerBytes(src);
        }
        return queue.drainBytes(handler, BATCH);
    }

    private final ByteBuffer[] batch = newBatch();

    private static ByteBuffer[] newBatch() {
        ByteBuffer[] b = new ByteBuffer[BATCH];
        for (int i = 0; i < BATCH; i++) {
            b[i] = ByteBuffer.allocateDirect(8);
        }
        return b;
    }

    /**
     * One {@code offerAllBytes} of sixteen then one {@code drainBytes} of them: batch put and batch
     * take, per message.
     *
     * @return the messages drained (16)
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int sharedQueueOfferAllDrainBytes() {
        for (ByteBuffer b : batch) {
            b.clear();
        }
        queue.offerAllBytes(batch, 0, BATCH);
        return queue.drainBytes(handler, BATCH);
    }

    /**
     * Sixteen {@code offer} then one {@code drainTo} of {@link ArrayBlockingQueue}, per message.
     *
     * @return the messages drained (16)
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int arrayBlockingQueueOfferDrainTo() {
        for (int i = 0; i < BATCH; i++) {
            arrayQueue.offer(message);
        }
        sink.clear();
        return arrayQueue.drainTo(sink, BATCH);
    }

    /** @return the message polled */
    @Benchmark
    public byte[] arrayBlockingQueueOfferPoll() {
        arrayQueue.offer(message);
        return arrayQueue.poll();
    }
}
