package io.interproc.stress.torture;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.core.SharedLongArray;
import io.interproc.ipc.pipe.Pipe;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.sync.SharedBarrier;
import io.interproc.sync.SharedEvent;
import io.interproc.sync.SharedLock;

/**
 * The shared objects of one torture run, by name, and the meaning of every array slot. The runner
 * creates them; each worker JVM opens them.
 */
final class TortureLayout {
    static final int PRODUCERS = 2;
    static final int CONSUMERS = 2;
    static final int LOCKERS = 2;
    static final int BARRIER_PARTIES = 3;
    /** Sequences per producer the "seen" bitmap can record; a producer stops there. */
    static final int MAX_SEQ = 1 << 24;
    static final int QUEUE_CAPACITY = 64 << 10;
    /** Every this many messages a producer sends one larger than the ring, to be streamed. */
    static final int STREAM_EVERY = 997;
    static final int STREAM_SIZE = 150_000;

    // lock state slots
    static final int L_COUNTER = 0;
    static final int L_INSIDE = 1;
    static final int L_VIOLATIONS = 2;
    static final int L_MAX_RECOVERY_NANOS = 3;
    static final int L_RECOVERED = 4;
    // producer slots: 2 per producer
    static final int P_ATTEMPTED = 0;
    static final int P_CONFIRMED = 1;
    // counters
    static final int C_CORRUPT = 0;
    static final int C_DUPLICATE = 1;
    static final int C_ORDER = 2;
    static final int C_TAKEN = 3;
    static final int C_PIPE_ROUNDS = 4;
    static final int C_PIPE_CORRUPT = 5;
    static final int C_BARRIER_PASSES = 6;
    static final int C_BARRIER_VIOLATIONS = 7;
    static final int C_BARRIER_BROKEN = 8;
    static final int C_PIPE_EPOCH = 9;
    static final int C_MAX_OP_NANOS = 10;
    static final int COUNTERS = 11;

    final Segment segment;
    final SharedLock lock;
    final SharedLongArray lockState;
    final SharedQueue<byte[]> queue;
    final SharedLongArray producers;
    /** Per consumer: 1 while it may hold a message taken but not yet recorded. */
    final SharedLongArray consumerHolding;
    /** Bit (producer * MAX_SEQ + seq) set once a consumer recorded that message. */
    final SharedLongArray seen;
    final SharedLongArray counters;
    final Pipe pipe;
    final SharedBarrier barrier;
    final SharedLong barrierGeneration;
    final SharedEvent stop;
    /** The map and list workers' objects (issue 15). */
    final CollectionTorture collections;

    private TortureLayout(Segment segment, boolean create, Runnable barrierAction) {
        this.segment = segment;
        if (create) {
            lock = SharedLock.create(segment, "lock");
            lockState = SharedLongArray.create(segment, "lockState", 8);
            queue = SharedQueue.create(segment, "queue", QUEUE_CAPACITY, Codec.bytes());
            producers = SharedLongArray.create(segment, "producers", PRODUCERS * 2);
            consumerHolding = SharedLongArray.create(segment, "consumerHolding", CONSUMERS);
            seen = SharedLongArray.create(segment, "seen", PRODUCERS * (MAX_SEQ / 64));
            counters = SharedLongArray.create(segment, "counters", COUNTERS);
            pipe = Pipe.create(segment, "pipe", 4096, true);
            barrierGeneration = SharedLong.create(segment, "barrierGeneration");
            barrier = SharedBarrier.create(segment, "barrier", BARRIER_PARTIES);
            stop = SharedEvent.create(segment, "stop");
            collections = CollectionTorture.create(segment);
            for (int p = 0; p < PRODUCERS; p++) {
                producers.set(p * 2 + P_ATTEMPTED, -1);
                producers.set(p * 2 + P_CONFIRMED, -1);
            }
        } else {
            lock = SharedLock.open(segment, "lock");
            lockState = SharedLongArray.open(segment, "lockState");
            queue = SharedQueue.open(segment, "queue", Codec.bytes());
            producers = SharedLongArray.open(segment, "producers");
            consumerHolding = SharedLongArray.open(segment, "consumerHolding");
            seen = SharedLongArray.open(segment, "seen");
            counters = SharedLongArray.open(segment, "counters");
            pipe = Pipe.open(segment, "pipe");
            barrierGeneration = SharedLong.open(segment, "barrierGeneration");
            barrier = SharedBarrier.open(segment, "barrier", barrierAction);
            stop = SharedEvent.open(segment, "stop");
            collections = CollectionTorture.open(segment);
        }
    }

    static TortureLayout create(Segment segment) {
        return new TortureLayout(segment, true, null);
    }

    static TortureLayout open(Segment segment) {
        SharedLong[] generation = new SharedLong[1];
        TortureLayout layout = new TortureLayout(segment, false, () -> generation[0].incrementAndGet());
        generation[0] = layout.barrierGeneration;
        return layout;
    }

    static long segmentSize() {
        return (64L << 20) + CollectionTorture.bytes();
    }

    /** Records that a message was received; returns false if it had been received before. */
    boolean markSeen(int producer, long seq) {
        long bit = (long) producer * MAX_SEQ + seq;
        int index = (int) (bit >>> 6);
        long mask = 1L << (bit & 63);
        while (true) {
            long word = seen.get(index);
            if ((word & mask) != 0) {
                return false;
            }
            if (seen.compareAndSet(index, word, word | mask)) {
                return true;
            }
        }
    }

    boolean wasSeen(int producer, long seq) {
        long bit = (long) producer * MAX_SEQ + seq;
        return (seen.get((int) (bit >>> 6)) & (1L << (bit & 63))) != 0;
    }

    /** Raises a shared maximum. */
    static void max(SharedLongArray array, int index, long value) {
        long current = array.get(index);
        while (value > current && !array.compareAndSet(index, current, value)) {
            current = array.get(index);
        }
    }

    /**
     * A queue message: {@code [int producer][int length][long seq][payload][long checksum]}.
     */
    static byte[] message(int producer, long seq, int length) {
        byte[] m = new byte[length];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(m);
        b.putInt(0, producer).putInt(4, length).putLong(8, seq);
        for (int i = 16; i < length - 8; i++) {
            m[i] = (byte) (seq * 31 + i);
        }
        b.putLong(length - 8, checksum(m, length));
        return m;
    }

    static long checksum(byte[] m, int length) {
        long h = 0xCBF29CE484222325L;
        for (int i = 0; i < length - 8; i++) {
            h = (h ^ (m[i] & 0xFF)) * 0x100000001B3L;
        }
        return h;
    }
}
