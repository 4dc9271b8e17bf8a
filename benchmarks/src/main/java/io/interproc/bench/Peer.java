package io.interproc.bench;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.ipc.pipe.Connection;
import io.interproc.ipc.pipe.Pipe;
import io.interproc.ipc.queue.MessageHandler;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.sync.SharedEvent;
import io.interproc.sync.SharedLock;
import io.interproc.sync.SharedReentrantLock;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import org.HdrHistogram.Histogram;

/**
 * One Java peer process of the cross-JVM {@link Harness} (everything but Agrona, which is
 * {@link AgronaPeer}, so that this class never loads it). Started by the harness with
 * {@link io.interproc.process.JvmProcess}; args: {@code kind segment index [params...]}.
 *
 * <p>Throughput peers open the run's {@link Control} block, say ready, wait for go, then loop,
 * publishing their op count every {@link Control#PUBLISH_EVERY} ops, until the harness stops or
 * kills them. Latency peers ping-pong a fixed number of rounds and the pinger prints
 * {@code RESULT p50 p90 p99 p999 max count} in nanoseconds per round trip.
 */
public final class Peer {
    private Peer() {
    }

    /**
     * @param args kind, segment name, peer index, then the kind's parameters
     * @throws Exception on failure (the harness reports the peer as failed, with this)
     */
    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int index = Integer.parseInt(args[2]);
        String[] params = Arrays.copyOfRange(args, 3, args.length);
        try (Segment segment = Segment.open(args[1])) {
            Control control = Control.open(segment);
            switch (kind) {
                case "uncontended":
                    uncontended(segment, Integer.parseInt(params[0]), Integer.parseInt(params[1]));
                    break;
                case "lock-shared":
                    lockShared(segment, control, index);
                    break;
                case "lock-file":
                    lockFile(segment, control, index, Path.of(params[0]));
                    break;
                case "value-shared":
                    valueShared(segment, control, index);
                    break;
                case "queue-producer":
                    queueProducer(segment, control, index, Integer.parseInt(params[0]));
                    break;
                case "queue-consumer":
                    queueConsumer(segment, control, index, Integer.parseInt(params[0]));
                    break;
                case "uds-producer":
                    udsProducer(control, index, Path.of(params[0]), Integer.parseInt(params[1]));
                    break;
                case "uds-consumer":
                    udsConsumer(control, index, Path.of(params[0]), Integer.parseInt(params[1]));
                    break;
                case "pipe-ping":
                    pipePing(segment, Integer.parseInt(params[0]), Integer.parseInt(params[1]), Integer.parseInt(params[2]),
                            Long.parseLong(params[3]));
                    break;
                case "pipe-pong":
                    pipePong(segment, Integer.parseInt(params[0]), Integer.parseInt(params[1]), Integer.parseInt(params[2]));
                    break;
                case "uds-ping":
                    udsPing(Path.of(params[0]), Integer.parseInt(params[1]), Integer.parseInt(params[2]),
                            Integer.parseInt(params[3]), Long.parseLong(params[4]));
                    break;
                case "uds-pong":
                    udsPong(Path.of(params[0]), Integer.parseInt(params[1]), Integer.parseInt(params[2]),
                            Integer.parseInt(params[3]));
                    break;
                case "queue-producer-batch":
                    queueProducerBatch(segment, control, index, Integer.parseInt(params[0]));
                    break;
                case "queue-consumer-batch":
                    queueConsumerBatch(segment, control, index, Integer.parseInt(params[0]));
                    break;
                case "queue-producer-spin":
                    queueProducerSpin(segment, control, index, Integer.parseInt(params[0]));
                    break;
                case "queue-consumer-spin":
                    queueConsumerSpin(segment, control, index, Integer.parseInt(params[0]));
                    break;
                case "event-waiter":
                    eventWaiter(segment, Integer.parseInt(params[0]), Integer.parseInt(params[1]),
                            Long.parseLong(params[2]));
                    break;
                case "event-setter":
                    eventSetter(segment, Integer.parseInt(params[0]), Integer.parseInt(params[1]),
                            Long.parseLong(params[2]), Long.parseLong(params[3]));
                    break;
                case "blocked-take":
                    blockedTake(segment, control);
                    break;
                case "blocked-threads":
                    blockedThreads(segment, control, Integer.parseInt(params[0]));
                    break;
                default:
                    throw new IllegalArgumentException("unknown peer kind: kind=" + kind);
            }
        }
    }

    // ---------------------------------------------------------------- in one JVM

    /**
     * Uncontended lock + unlock in one thread, for the harness's summary (JMH's LockBenchmark is
     * the careful measurement): prints {@code RESULT <name> <median ns/op> <min> <max>} per lock.
     */
    private static void uncontended(Segment segment, int iterations, int opsPerIteration) {
        Lock[] locks = {SharedLock.open(segment, "lock"), SharedReentrantLock.open(segment, "rlock"),
            new ReentrantLock()};
        String[] names = {"SharedLock", "SharedReentrantLock", "ReentrantLock"};
        for (int l = 0; l < locks.length; l++) {
            Lock lock = locks[l];
            for (int w = 0; w < 3; w++) {
                lockLoop(lock, opsPerIteration); // warm-up: let C2 compile the loop
            }
            double[] nsPerOp = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                long t0 = System.nanoTime();
                lockLoop(lock, opsPerIteration);
                nsPerOp[i] = (System.nanoTime() - t0) / (double) opsPerIteration;
            }
            Arrays.sort(nsPerOp);
            System.out.printf("RESULT %s %.3f %.3f %.3f%n", names[l], nsPerOp[iterations / 2], nsPerOp[0],
                    nsPerOp[iterations - 1]);
        }
    }

    private static void lockLoop(Lock lock, int ops) {
        for (int i = 0; i < ops; i++) {
            lock.lock();
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- throughput loops

    private static void lockShared(Segment segment, Control control, int index) throws InterruptedException {
        SharedLock lock = SharedLock.open(segment, "lock");
        SharedLong counter = SharedLong.open(segment, "counter");
        SharedLong last = SharedLong.open(segment, "last");
        SharedLong handoffs = SharedLong.open(segment, "handoffs");
        control.ready();
        control.awaitGo();
        for (long n = 1; ; n++) {
            lock.lock();
            counter.lazySet(counter.get() + 1);
            countHandoff(last, handoffs, index);
            lock.unlock();
            if ((n & (Control.PUBLISH_EVERY - 1)) == 0) {
                control.publish(index, n);
                if (control.stopRequested()) {
                    return;
                }
            }
        }
    }

    private static void lockFile(Segment segment, Control control, int index, Path file)
            throws IOException, InterruptedException {
        SharedLong counter = SharedLong.open(segment, "counter");
        SharedLong last = SharedLong.open(segment, "last");
        SharedLong handoffs = SharedLong.open(segment, "handoffs");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"); FileChannel channel = raf.getChannel()) {
            control.ready();
            control.awaitGo();
            for (long n = 1; ; n++) {
                FileLock lock = channel.lock();
                counter.lazySet(counter.get() + 1);
                countHandoff(last, handoffs, index);
                lock.release();
                if ((n & (Control.PUBLISH_EVERY - 1)) == 0) {
                    control.publish(index, n);
                    if (control.stopRequested()) {
                        return;
                    }
                }
            }
        }
    }

    /** Under the lock: counts an acquisition that took the lock from the other process. */
    private static void countHandoff(SharedLong last, SharedLong handoffs, int index) {
        if (last.get() != index + 1) {
            last.lazySet(index + 1);
            handoffs.lazySet(handoffs.get() + 1);
        }
    }

    private static void valueShared(Segment segment, Control control, int index) throws InterruptedException {
        SharedLong value = SharedLong.open(segment, "value");
        control.ready();
        control.awaitGo();
        for (long n = 1; ; n++) {
            value.incrementAndGet();
            if ((n & (Control.PUBLISH_EVERY - 1)) == 0) {
                control.publish(index, n);
                if (control.stopRequested()) {
                    return;
                }
            }
        }
    }

    private static void queueProducer(Segment segment, Control control, int index, int size)
            throws InterruptedException {
        SharedQueue<byte[]> queue = SharedQueue.open(segment, "q", Codec.bytes());
        ByteBuffer src = ByteBuffer.wrap(new byte[size]);
        control.ready();
        control.awaitGo();
        for (long n = 1; ; n++) {
            src.clear();
            queue.putBytes(src);
            if ((n & (Control.PUBLISH_EVERY - 1)) == 0) {
                control.publish(index, n);
                if (control.stopRequested()) {
                    return;
                }
            }
        }
    }

    private static void queueConsumer(Segment segment, Control control, int index, int size)
            throws InterruptedException {
        SharedQueue<byte[]> queue = SharedQueue.open(segment, "q", Codec.bytes());
        ByteBuffer dst = ByteBuffer.wrap(new byte[size]);
        control.ready();
        control.awaitGo();
        for (long n = 1; ; n++) {
            dst.clear();
            queue.takeBytes(dst);
            if ((n & (Control.PUBLISH_EVERY - 1)) == 0) {
                control.publish(index, n); // never stops by itself: the harness kills it
            }
        }
    }

    /** Batch take: drainBytes (head published once per batch), as Agrona's consumers read. */
    private static void queueConsumerBatch(Segment segment, Control control, int index, int size)
            throws InterruptedException {
        SharedQueue<byte[]> queue = SharedQueue.open(segment, "q", Codec.bytes());
        long[] bytes = {0};
        MessageHandler handler = m -> bytes[0] += m.remaining();
        control.ready();
        control.awaitGo();
        long n = 0;
        long published = 0;
        while (true) {
            n += queue.drainBytes(handler, BATCH, 1, TimeUnit.SECONDS);
            if (n - published >= Control.PUBLISH_EVERY) {
                published = n;
                control.publish(index, n); // never stops by itself: the harness kills it
            }
        }
    }

    /** Batch put: putAllBytes of {@link Control#PUBLISH_EVERY} messages, one producer-lock hold each. */
    private static void queueProducerBatch(Segment segment, Control control, int index, int size)
            throws InterruptedException {
        SharedQueue<byte[]> queue = SharedQueue.open(segment, "q", Codec.bytes());
        ByteBuffer[] batch = new ByteBuffer[Control.PUBLISH_EVERY];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = ByteBuffer.wrap(new byte[size]);
        }
        control.ready();
        control.awaitGo();
        for (long n = batch.length; ; n += batch.length) {
            for (ByteBuffer b : batch) {
                b.clear();
            }
            queue.putAllBytes(batch, 0, batch.length);
            control.publish(index, n);
            if (control.stopRequested()) {
                return;
            }
        }
    }

    /** Most messages per {@code drainBytes} call of the batch consumer (Agrona's examples read up to 4096 too). */
    private static final int BATCH = 4096;

    /** Non-blocking: offerBytes in a busy-spin loop, as Agrona's producers do. */
    private static void queueProducerSpin(Segment segment, Control control, int index, int size)
            throws InterruptedException {
        SharedQueue<byte[]> queue = SharedQueue.open(segment, "q", Codec.bytes());
        ByteBuffer src = ByteBuffer.wrap(new byte[size]);
        control.ready();
        control.awaitGo();
        for (long n = 1; ; n++) {
            src.clear();
            while (!queue.offerBytes(src)) {
                Thread.onSpinWait();
            }
            if ((n & (Control.PUBLISH_EVERY - 1)) == 0) {
                control.publish(index, n);
                if (control.stopRequested()) {
                    return;
                }
            }
        }
    }

    /** Non-blocking: pollBytes in a busy-spin loop, as Agrona's consumers do. */
    private static void queueConsumerSpin(Segment segment, Control control, int index, int size)
            throws InterruptedException {
        SharedQueue<byte[]> queue = SharedQueue.open(segment, "q", Codec.bytes());
        ByteBuffer dst = ByteBuffer.wrap(new byte[size]);
        control.ready();
        control.awaitGo();
        for (long n = 1; ; n++) {
            dst.clear();
            while (queue.pollBytes(dst) < 0) {
                Thread.onSpinWait();
            }
            if ((n & (Control.PUBLISH_EVERY - 1)) == 0) {
                control.publish(index, n);
                if (control.stopRequested()) {
                    return;
                }
            }
        }
    }

    private static void udsProducer(Control control, int index, Path path, int size)
            throws IOException, InterruptedException {
        try (SocketChannel channel = connect(path)) {
            ByteBuffer src = ByteBuffer.allocateDirect(size);
            control.ready();
            control.awaitGo();
            for (long n = 1; ; n++) {
                src.clear();
                while (src.hasRemaining()) {
                    channel.write(src); // one message, one write(2)
                }
                if ((n & (Control.PUBLISH_EVERY - 1)) == 0) {
                    control.publish(index, n);
                    if (control.stopRequested()) {
                        return;
                    }
                }
            }
        }
    }

    private static void udsConsumer(Control control, int index, Path path, int size)
            throws IOException, InterruptedException {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            try (SocketChannel channel = server.accept()) {
                ByteBuffer dst = ByteBuffer.allocateDirect(64 << 10);
                control.ready();
                control.awaitGo();
                long bytes = 0;
                long published = 0;
                while (true) {
                    dst.clear();
                    int n = channel.read(dst); // drains what is there: many messages per read(2)
                    if (n < 0) {
                        return;
                    }
                    bytes += n;
                    long messages = bytes / size;
                    if (messages - published >= Control.PUBLISH_EVERY) {
                        control.publish(index, messages);
                        published = messages;
                    }
                }
            }
        }
    }

    static SocketChannel connect(Path path) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return SocketChannel.open(UnixDomainSocketAddress.of(path));
            } catch (IOException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(5);
            }
        }
    }

    // ---------------------------------------------------------------- latency

    private static void pipePing(Segment segment, int size, int warmup, int rounds, long maxMillis) throws Exception {
        Pipe pipe = Pipe.open(segment, "pp");
        try (Connection<byte[]> a = pipe.connect(Pipe.End.A, Codec.bytes())) {
            ByteBuffer src = ByteBuffer.wrap(new byte[size]);
            ByteBuffer dst = ByteBuffer.wrap(new byte[size]);
            Histogram h = newHistogram();
            long end = Long.MAX_VALUE;
            for (int i = 0; i < warmup + rounds; i++) {
                long t0 = System.nanoTime();
                src.clear();
                a.sendBytes(src);
                dst.clear();
                a.recvBytesInto(dst);
                if (i >= warmup) {
                    long t1 = System.nanoTime();
                    h.recordValue(t1 - t0);
                    if (i == warmup) {
                        end = t1 + TimeUnit.MILLISECONDS.toNanos(maxMillis);
                    } else if (t1 - end > 0) {
                        break; // the time cap: fewer rounds on a slow machine
                    }
                }
            }
            printLatency(h);
        }
    }

    private static void pipePong(Segment segment, int size, int warmup, int rounds) throws Exception {
        Pipe pipe = Pipe.open(segment, "pp");
        try (Connection<byte[]> b = pipe.connect(Pipe.End.B, Codec.bytes())) {
            ByteBuffer buf = ByteBuffer.wrap(new byte[size]);
            for (int i = 0; i < warmup + rounds; i++) {
                buf.clear();
                b.recvBytesInto(buf);
                buf.flip();
                b.sendBytes(buf);
            }
        }
    }

    private static void udsPing(Path path, int size, int warmup, int rounds, long maxMillis) throws Exception {
        try (SocketChannel channel = connect(path)) {
            ByteBuffer src = ByteBuffer.allocateDirect(size);
            ByteBuffer dst = ByteBuffer.allocateDirect(size);
            Histogram h = newHistogram();
            long end = Long.MAX_VALUE;
            for (int i = 0; i < warmup + rounds; i++) {
                long t0 = System.nanoTime();
                src.clear();
                while (src.hasRemaining()) {
                    channel.write(src);
                }
                dst.clear();
                while (dst.hasRemaining()) {
                    if (channel.read(dst) < 0) {
                        throw new IOException("peer closed the socket");
                    }
                }
                if (i >= warmup) {
                    long t1 = System.nanoTime();
                    h.recordValue(t1 - t0);
                    if (i == warmup) {
                        end = t1 + TimeUnit.MILLISECONDS.toNanos(maxMillis);
                    } else if (t1 - end > 0) {
                        break; // the time cap: fewer rounds on a slow machine
                    }
                }
            }
            printLatency(h);
        }
    }

    private static void udsPong(Path path, int size, int warmup, int rounds) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            try (SocketChannel channel = server.accept()) {
                ByteBuffer buf = ByteBuffer.allocateDirect(size);
                for (int i = 0; i < warmup + rounds; i++) {
                    buf.clear();
                    while (buf.hasRemaining()) {
                        if (channel.read(buf) < 0) {
                            return;
                        }
                    }
                    buf.flip();
                    while (buf.hasRemaining()) {
                        channel.write(buf);
                    }
                }
            }
        }
    }

    static Histogram newHistogram() {
        return new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    }

    static void printLatency(Histogram h) {
        System.out.printf("RESULT %d %d %d %d %d %d%n", h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(), h.getTotalCount());
    }

    // ---------------------------------------------------------------- event wake-up

    /**
     * Waits for "ev" {@code warmup + rounds} times; each time records now minus the stamp the
     * setter wrote just before {@code set()}, clears "ev" and sets "ack". Stops early (and says how
     * many) when {@code maxMillis} of measuring have passed.
     */
    private static void eventWaiter(Segment segment, int warmup, int rounds, long maxMillis) throws Exception {
        SharedEvent ev = SharedEvent.open(segment, "ev");
        SharedEvent ack = SharedEvent.open(segment, "ack");
        SharedLong stamp = SharedLong.open(segment, "stamp");
        SharedLong done = SharedLong.open(segment, "done");
        Histogram h = newHistogram();
        long end = Long.MAX_VALUE;
        for (int i = 0; i < warmup + rounds; i++) {
            ev.await();
            long latency = System.nanoTime() - stamp.get();
            ev.clear();
            if (i == warmup) {
                end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
            }
            if (i >= warmup) {
                h.recordValue(Math.max(0, latency));
                if (System.nanoTime() - end > 0) {
                    done.set(1);
                }
            }
            ack.set();
            if (done.get() != 0) {
                break;
            }
        }
        printLatency(h);
    }

    /**
     * Sleeps {@code gapMicros} (so that the waiter has passed its spin and sleeps in the kernel),
     * stamps {@link System#nanoTime()} (CLOCK_MONOTONIC, comparable across processes on Linux),
     * sets "ev", and waits for "ack".
     */
    private static void eventSetter(Segment segment, int warmup, int rounds, long maxMillis, long gapMicros)
            throws Exception {
        SharedEvent ev = SharedEvent.open(segment, "ev");
        SharedEvent ack = SharedEvent.open(segment, "ack");
        SharedLong stamp = SharedLong.open(segment, "stamp");
        SharedLong done = SharedLong.open(segment, "done");
        for (int i = 0; i < warmup + rounds; i++) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(gapMicros));
            stamp.set(System.nanoTime());
            ev.set();
            ack.await();
            ack.clear();
            if (done.get() != 0) {
                return;
            }
        }
    }

    // ---------------------------------------------------------------- blocked waiter

    private static void blockedTake(Segment segment, Control control) throws InterruptedException {
        SharedQueue<byte[]> queue = SharedQueue.open(segment, "q", Codec.bytes());
        ByteBuffer dst = ByteBuffer.wrap(new byte[64]);
        control.ready();
        queue.takeBytes(dst); // the harness reads this process's CPU time meanwhile, then kills it
    }

    /** Name prefix of the threads of {@link #blockedThreads}, as the harness finds them in /proc. */
    static final String BLOCKED_THREAD_PREFIX = "ipw-";

    /**
     * {@code n} platform threads, named {@code ipw-<i>}, each blocked in {@code takeBytes()} on one
     * empty queue (one waits for a message, the others for the consumer lock: all in WaitLoop).
     */
    private static void blockedThreads(Segment segment, Control control, int n) throws InterruptedException {
        SharedQueue<byte[]> queue = SharedQueue.open(segment, "q", Codec.bytes());
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(null, () -> {
                started.countDown();
                try {
                    queue.takeBytes(ByteBuffer.wrap(new byte[64]));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, BLOCKED_THREAD_PREFIX + i, 256 << 10);
            t.setDaemon(true);
            t.start();
        }
        started.await();
        Thread.sleep(500); // let the last ones get past their spin into the kernel
        control.ready();
        Thread.sleep(Long.MAX_VALUE); // the harness reads this process's CPU time meanwhile, then kills it
    }
}
