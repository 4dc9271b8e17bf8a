package io.interproc.stress.torture;

import static io.interproc.stress.torture.TortureLayout.C_BARRIER_BROKEN;
import static io.interproc.stress.torture.TortureLayout.C_BARRIER_PASSES;
import static io.interproc.stress.torture.TortureLayout.C_BARRIER_VIOLATIONS;
import static io.interproc.stress.torture.TortureLayout.C_CORRUPT;
import static io.interproc.stress.torture.TortureLayout.C_DUPLICATE;
import static io.interproc.stress.torture.TortureLayout.C_MAX_OP_NANOS;
import static io.interproc.stress.torture.TortureLayout.C_ORDER;
import static io.interproc.stress.torture.TortureLayout.C_PIPE_CORRUPT;
import static io.interproc.stress.torture.TortureLayout.C_PIPE_EPOCH;
import static io.interproc.stress.torture.TortureLayout.C_PIPE_ROUNDS;
import static io.interproc.stress.torture.TortureLayout.C_TAKEN;

import io.interproc.core.Codec;
import io.interproc.core.PeerDiedException;
import io.interproc.core.Segment;
import io.interproc.ipc.pipe.BrokenPipeException;
import io.interproc.ipc.pipe.Connection;
import io.interproc.ipc.pipe.Pipe;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A worker JVM of the torture run: one role, looping until the stop event is set or it is killed.
 * Args: segment, role (lock | producer | consumer | ping | pong | barrier | map | list), index.
 */
public final class TortureWorker {
    private final TortureLayout t;
    private final int index;

    private TortureWorker(TortureLayout layout, int index) {
        this.t = layout;
        this.index = index;
    }

    /**
     * @param args segment, role, index
     * @throws Exception on failure (the runner reports the exit code)
     */
    public static void main(String[] args) throws Exception {
        try (Segment segment = Segment.open(args[0])) {
            TortureWorker w = new TortureWorker(TortureLayout.open(segment), Integer.parseInt(args[2]));
            switch (args[1]) {
                case "lock" -> w.lock();
                case "producer" -> w.produce();
                case "consumer" -> w.consume();
                case "ping" -> w.ping();
                case "pong" -> w.pong();
                case "barrier" -> w.barrier();
                case "map" -> w.t.collections.mapWorker(w.index, w.t.stop);
                case "list" -> w.t.collections.listWorker(w.index, w.t.stop);
                default -> throw new IllegalArgumentException("role=" + args[1]);
            }
        }
    }

    private boolean running() {
        return !t.stop.isSet();
    }

    private void op(long startNanos) {
        TortureLayout.max(t.counters, C_MAX_OP_NANOS, System.nanoTime() - startNanos);
    }

    /** Mutual exclusion under kills: "inside" must be 0 on entry unless the lock was recovered. */
    private void lock() throws InterruptedException {
        while (running()) {
            long start = System.nanoTime();
            if (!t.lock.tryLock(1, TimeUnit.SECONDS)) {
                continue;
            }
            try {
                long waited = System.nanoTime() - start;
                if (t.lock.lockRecovered()) {
                    t.lockState.incrementAndGet(TortureLayout.L_RECOVERED);
                    TortureLayout.max(t.lockState, TortureLayout.L_MAX_RECOVERY_NANOS, waited);
                    t.lockState.set(TortureLayout.L_INSIDE, 0); // repair what the dead holder left
                } else {
                    op(start);
                }
                if (t.lockState.get(TortureLayout.L_INSIDE) != 0) {
                    t.lockState.incrementAndGet(TortureLayout.L_VIOLATIONS);
                }
                t.lockState.set(TortureLayout.L_INSIDE, 1);
                long c = t.lockState.get(TortureLayout.L_COUNTER);
                Thread.onSpinWait();
                t.lockState.set(TortureLayout.L_COUNTER, c + 1);
                t.lockState.set(TortureLayout.L_INSIDE, 0);
            } finally {
                t.lock.unlock();
            }
        }
    }

    /**
     * Sequenced, checksummed messages; "attempted" before each put, "confirmed" after. Producer 0
     * puts one message per call ({@code offer}); producer 1 puts batches of 1 to 16 with
     * {@code offerAllBytes}, marking the whole batch attempted first and confirming the prefix put.
     */
    private void produce() throws InterruptedException {
        int slot = index * 2;
        long seq = Math.max(t.producers.get(slot + TortureLayout.P_ATTEMPTED),
                t.producers.get(slot + TortureLayout.P_CONFIRMED)) + 1;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (index % 2 == 1) {
            produceBatches(slot, seq, random);
            return;
        }
        while (running() && seq < TortureLayout.MAX_SEQ) {
            int length = seq % TortureLayout.STREAM_EVERY == 0 ? TortureLayout.STREAM_SIZE : 24 + random.nextInt(200);
            byte[] m = TortureLayout.message(index, seq, length);
            t.producers.set(slot + TortureLayout.P_ATTEMPTED, seq);
            long start = System.nanoTime();
            if (t.queue.offer(m, 1, TimeUnit.SECONDS)) {
                op(start);
                t.producers.set(slot + TortureLayout.P_CONFIRMED, seq);
                seq++;
            } else {
                t.producers.set(slot + TortureLayout.P_ATTEMPTED, seq - 1); // nothing of it was published
            }
        }
    }

    private void produceBatches(int slot, long seq, ThreadLocalRandom random) throws InterruptedException {
        ByteBuffer[] batch = new ByteBuffer[16];
        while (running() && seq < TortureLayout.MAX_SEQ) {
            int n = (int) Math.min(1 + random.nextInt(batch.length), TortureLayout.MAX_SEQ - seq);
            for (int k = 0; k < n; k++) {
                long s = seq + k;
                int length = s % TortureLayout.STREAM_EVERY == 0 ? TortureLayout.STREAM_SIZE : 24 + random.nextInt(200);
                batch[k] = ByteBuffer.wrap(TortureLayout.message(index, s, length));
            }
            t.producers.set(slot + TortureLayout.P_ATTEMPTED, seq + n - 1);
            long start = System.nanoTime();
            int put = t.queue.offerAllBytes(batch, 0, n, 1, TimeUnit.SECONDS);
            if (put > 0) {
                op(start);
            }
            t.producers.set(slot + TortureLayout.P_CONFIRMED, seq + put - 1);
            t.producers.set(slot + TortureLayout.P_ATTEMPTED, seq + put - 1); // the rest was not published
            seq += put;
        }
    }

    /** Checks every message: checksum, never seen before, in order per producer within this consumer. */
    private void consume() throws InterruptedException {
        long[] last = new long[TortureLayout.PRODUCERS];
        java.util.Arrays.fill(last, -1);
        ByteBuffer buf = ByteBuffer.allocate(TortureLayout.STREAM_SIZE);
        while (running()) {
            buf.clear();
            t.consumerHolding.set(index, 1);
            long start = System.nanoTime();
            int len = t.queue.pollBytes(buf, 200, TimeUnit.MILLISECONDS);
            if (len < 0) {
                t.consumerHolding.set(index, 0);
                continue;
            }
            op(start);
            record(buf.array(), len, last);
            t.consumerHolding.set(index, 0);
        }
    }

    private void record(byte[] m, int len, long[] last) {
        ByteBuffer b = ByteBuffer.wrap(m, 0, len);
        int producer = len >= 24 ? b.getInt(0) : -1;
        long seq = len >= 24 ? b.getLong(8) : -1;
        if (producer < 0 || producer >= TortureLayout.PRODUCERS || b.getInt(4) != len || seq < 0
                || seq >= TortureLayout.MAX_SEQ || b.getLong(len - 8) != TortureLayout.checksum(m, len)) {
            t.counters.incrementAndGet(C_CORRUPT);
            return;
        }
        if (!t.markSeen(producer, seq)) {
            t.counters.incrementAndGet(C_DUPLICATE);
        }
        if (seq <= last[producer]) {
            t.counters.incrementAndGet(C_ORDER);
        }
        last[producer] = seq;
        t.counters.incrementAndGet(C_TAKEN);
    }

    /** End A: sends (epoch, seq), waits for the echo; survives the ponger's deaths and its own. */
    private void ping() throws InterruptedException {
        long epoch = t.counters.incrementAndGet(C_PIPE_EPOCH);
        Connection<byte[]> a = connect(Pipe.End.A);
        ByteBuffer out = ByteBuffer.allocate(16);
        ByteBuffer in = ByteBuffer.allocate(64);
        long seq = 0;
        boolean resend = true;
        while (running()) {
            try {
                if (resend) {
                    out.clear();
                    out.putLong(0, epoch).putLong(8, seq);
                    long start = System.nanoTime();
                    if (!a.sendBytes(out, 200, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    op(start);
                    resend = false;
                }
                in.clear();
                int len = a.recvBytesInto(in, 200, TimeUnit.MILLISECONDS);
                if (len < 0) {
                    continue;
                }
                long e = len == 16 ? in.getLong(0) : -1;
                long s = len == 16 ? in.getLong(8) : -1;
                if (len != 16 || e > epoch || e == epoch && s > seq) {
                    t.counters.incrementAndGet(C_PIPE_CORRUPT);
                } else if (e == epoch && s == seq) {
                    t.counters.incrementAndGet(C_PIPE_ROUNDS);
                    seq++;
                    resend = true;
                } // else: a stale echo of an older ping or epoch
            } catch (EOFException | PeerDiedException | BrokenPipeException peerGone) {
                resend = true; // the ponger died: wait for its successor, then send the ping again
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
    }

    /** End B: echoes everything; a successor re-claims the end of a killed predecessor. */
    private void pong() throws InterruptedException {
        Connection<byte[]> b = connect(Pipe.End.B);
        ByteBuffer buf = ByteBuffer.allocate(64);
        while (running()) {
            try {
                buf.clear();
                int len = b.recvBytesInto(buf, 200, TimeUnit.MILLISECONDS);
                if (len >= 0) {
                    buf.flip();
                    b.sendBytes(buf, 200, TimeUnit.MILLISECONDS);
                }
            } catch (EOFException | PeerDiedException | BrokenPipeException peerGone) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
    }

    private Connection<byte[]> connect(Pipe.End end) throws InterruptedException {
        while (true) {
            try {
                return t.pipe.connect(end, Codec.bytes());
            } catch (IllegalStateException heldByPredecessor) {
                TimeUnit.MILLISECONDS.sleep(10); // its death is seen within a slice
            }
        }
    }

    /** Barrier generations: the action must have run exactly once before each release. */
    private void barrier() throws InterruptedException {
        long lastGeneration = -1;
        while (running()) {
            long start = System.nanoTime();
            try {
                t.barrier.await(2, TimeUnit.SECONDS);
                op(start);
                long g = t.barrierGeneration.get();
                if (g <= lastGeneration) {
                    t.counters.incrementAndGet(C_BARRIER_VIOLATIONS); // released without a new action
                }
                lastGeneration = g;
                t.counters.incrementAndGet(C_BARRIER_PASSES);
            } catch (BrokenBarrierException | TimeoutException broken) {
                t.counters.incrementAndGet(C_BARRIER_BROKEN);
                TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextInt(5, 50));
                if (t.barrier.isBroken()) {
                    t.barrier.reset();
                }
                lastGeneration = t.barrierGeneration.get() - 1;
            }
        }
    }
}
