package io.interproc.examples;

import io.interproc.cli.args.ArgParser;
import io.interproc.cli.args.ParsedArgs;
import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.SharedIntArray;
import io.interproc.core.SharedLong;
import io.interproc.core.SharedLongArray;
import io.interproc.ipc.queue.MessageHandler;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.process.JvmProcess;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The main job: one producer JVM and several consumer JVMs, started with {@link JvmProcess}, move
 * messages through a {@link SharedQueue} in a fresh segment. This JVM shows a progress line while
 * they run, then a summary — messages moved, received per consumer, throughput — and verifies that
 * every message arrived exactly once and intact. It removes its segment at the end. The throughput
 * is measured from the producer's first put to the last consumer's last take (both JVMs read the
 * same monotonic clock); the wall time, JVM start-up and warm-up included, is shown beside it.
 * The producer puts in batches of {@value #BATCH} ({@code putAllBytes}), the consumers take in
 * batches ({@code drainBytes}).
 *
 * <p>Flags: {@code --messages N} (default 10,000,000), {@code --size BYTES} (default 64, at least 16),
 * {@code --consumers N} (default 2), {@code --capacity BYTES} (queue ring, default 1 MiB);
 * {@code --redis redis://HOST:PORT} or {@code --redis-start} (a local {@code redis-server}) run the
 * same job through a {@code Context} on Redis instead ({@link RedisProducerConsumer}).
 *
 * <p>Each message is {@code [long sequence][payload][long checksum]}; consumers check the checksum,
 * mark the sequence in a shared {@link SharedIntArray} and count what they received. The producer
 * ends with one stop message (sequence -1) per consumer.
 */
public final class ProducerConsumerDemo {
    private ProducerConsumerDemo() {
    }

    /** The command line; see the class doc. */
    static final ArgParser ARGS = new ArgParser("producer-consumer",
            "producer-consumer [--messages N] [--size BYTES>=16] [--consumers N] [--capacity BYTES]"
                    + " [--redis redis://HOST:PORT | --redis-start]").help()
            .option("--messages", "N").option("--size", "BYTES").option("--consumers", "N").option("--capacity", "BYTES")
            .option("--redis", "ADDRESS").flag("--redis-start");

    /**
     * The demo's options.
     *
     * @param redis null for the local job; a Redis address, or {@link RedisProducerConsumer#START}
     */
    record Options(long messages, int size, int consumers, long capacity, String redis) {
    }

    /** @throws io.interproc.cli.args.UsageException on a bad value */
    static Options options(ParsedArgs a) {
        String redis = a.has("--redis-start") ? RedisProducerConsumer.START : a.value("--redis", null);
        long defaultMessages = redis == null ? 10_000_000 : RedisProducerConsumer.DEFAULT_MESSAGES;
        return new Options(a.longValue("--messages", defaultMessages, 1, Integer.MAX_VALUE - 8),
                a.intValue("--size", 64, 16, 1 << 24), a.intValue("--consumers", 2, 1, 1024),
                a.longValue("--capacity", 1 << 20, 1, 1L << 40), redis);
    }

    /**
     * @param args flags, see the class doc
     * @throws Exception if the demo fails
     */
    public static void main(String[] args) throws Exception {
        Options options = ARGS.parseOrExit(args, ProducerConsumerDemo::options);
        long messages = options.messages();
        int size = options.size();
        int consumers = options.consumers();
        long capacity = options.capacity();
        if (options.redis() != null) {
            RedisProducerConsumer.run(options.redis(), messages, size, consumers);
            return;
        }
        String name = "demo-pc-" + ProcessHandle.current().pid();
        long segmentSize = 64L * 1024 * 1024 + messages * 4 + capacity;
        try (Segment segment = Segment.create(name, segmentSize)) {
            try {
                run(segment, messages, size, consumers, capacity);
            } finally {
                segment.unlink();
            }
        }
    }

    private static void run(Segment segment, long messages, int size, int consumers, long capacity) throws Exception {
        SharedQueue.create(segment, "queue", capacity, Codec.bytes());
        SharedIntArray seen = SharedIntArray.create(segment, "seen", (int) messages);
        SharedLongArray received = SharedLongArray.create(segment, "received", consumers);
        SharedLong corrupt = SharedLong.create(segment, "corrupt");
        SharedLong sent = SharedLong.create(segment, "sent");
        SharedLong startedAt = SharedLong.create(segment, "startedAt");
        SharedLongArray finishedAt = SharedLongArray.create(segment, "finishedAt", consumers);

        System.out.printf("interproc producer-consumer: %,d messages of %d bytes, 1 producer JVM -> %d consumer JVMs,"
                + " queue ring %,d bytes, segment %s%n", messages, size, consumers, capacity, segment.path());
        List<JvmProcess> jvms = new ArrayList<>();
        try {
            for (int c = 0; c < consumers; c++) {
                jvms.add(JvmProcess.builder(Consumer.class).args(segment.name(), String.valueOf(c)).start());
            }
            long start = System.nanoTime();
            JvmProcess producer = JvmProcess.builder(Producer.class)
                    .args(segment.name(), String.valueOf(messages), String.valueOf(size), String.valueOf(consumers))
                    .start();
            jvms.add(producer);
            long total;
            do {
                total = 0;
                for (int c = 0; c < consumers; c++) {
                    total += received.get(c);
                }
                double secs = (System.nanoTime() - start) / 1e9;
                System.out.printf("\r  sent %,12d   received %,12d   %5.1f%%   %,10.0f msg/s   ", sent.get(), total,
                        100.0 * total / messages, total / Math.max(secs, 1e-9));
                System.out.flush();
                boolean allDone = true;
                for (JvmProcess p : jvms) {
                    allDone &= !p.isAlive();
                }
                if (allDone) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(200);
            } while (true);
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.println();
            for (JvmProcess p : jvms) {
                if (p.exitCode() != 0) {
                    throw new IllegalStateException(p + " failed with exit code " + p.exitCode());
                }
            }
            long missing = 0;
            long duplicated = 0;
            for (int i = 0; i < messages; i++) {
                int n = seen.get(i);
                if (n == 0) {
                    missing++;
                } else if (n > 1) {
                    duplicated += n - 1;
                }
            }
            long finished = 0;
            for (int c = 0; c < consumers; c++) {
                finished = Math.max(finished, finishedAt.get(c));
            }
            // System.nanoTime() is the machine's monotonic clock: the same in every JVM here.
            double moving = (finished - startedAt.get()) / 1e9;
            System.out.printf("  moved      %,d messages in %.3f s, from the producer's first put to the last"
                    + " consumer's last take: %,.0f msg/s, %,.1f MB/s%n", sent.get(), moving, messages / moving,
                    messages * (double) size / moving / 1e6);
            System.out.printf("  wall time  %.2f s with the JVMs' start-up (%,.0f msg/s)%n", secs, messages / secs);
            for (int c = 0; c < consumers; c++) {
                System.out.printf("  consumer %d received %,d%n", c, received.get(c));
            }
            boolean ok = missing == 0 && duplicated == 0 && corrupt.get() == 0 && total == messages;
            System.out.printf("  verified:  %s (missing %d, duplicated %d, corrupt %d)%n",
                    ok ? "every message arrived exactly once, intact" : "FAILED", missing, duplicated, corrupt.get());
            if (!ok) {
                System.exit(1);
            }
        } finally {
            for (JvmProcess p : jvms) {
                p.close();
            }
        }
    }

    /**
     * The check value of a message: a multiply-xor hash of its sequence number and of the payload
     * bytes in {@code [from, to)}, eight at a time (then byte by byte for the rest).
     */
    static long checksum(long seq, ByteBuffer payload, int from, int to) {
        long h = seq * 0x9E3779B97F4A7C15L;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            h = (h ^ payload.getLong(i)) * 0x100000001B3L;
        }
        for (; i < to; i++) {
            h = (h ^ payload.get(i)) * 0x100000001B3L;
        }
        return h;
    }

    /** Messages per batch put of the producer (and most per batch take of a consumer). */
    static final int BATCH = 256;

    /** The producer JVM. Args: segment, messages, size, consumers. */
    public static final class Producer {
        private Producer() {
        }

        /**
         * @param args segment, messages, size, consumers
         * @throws Exception on failure
         */
        public static void main(String[] args) throws Exception {
            long messages = Long.parseLong(args[1]);
            int size = Integer.parseInt(args[2]);
            int consumers = Integer.parseInt(args[3]);
            try (Segment segment = Segment.open(args[0])) {
                SharedQueue<byte[]> queue = SharedQueue.open(segment, "queue", Codec.bytes());
                SharedLong sent = SharedLong.open(segment, "sent");
                SharedLong startedAt = SharedLong.open(segment, "startedAt");
                // Batch put: one producer-lock hold, and one tail publication per run, per batch.
                ByteBuffer[] batch = new ByteBuffer[BATCH];
                for (int k = 0; k < BATCH; k++) {
                    batch[k] = ByteBuffer.allocate(size);
                }
                startedAt.set(System.nanoTime());
                for (long seq = 0; seq < messages; ) {
                    int n = (int) Math.min(BATCH, messages - seq);
                    for (int k = 0; k < n; k++, seq++) {
                        ByteBuffer msg = batch[k].clear();
                        msg.putLong(0, seq);
                        int i = 8;
                        for (; i + 8 <= size - 8; i += 8) {
                            msg.putLong(i, seq * 31 + i);
                        }
                        for (; i < size - 8; i++) {
                            msg.put(i, (byte) (seq + i));
                        }
                        msg.putLong(size - 8, checksum(seq, msg, 8, size - 8));
                    }
                    queue.putAllBytes(batch, 0, n);
                    sent.lazySet(seq);
                }
                sent.set(messages);
                ByteBuffer stop = ByteBuffer.allocate(8).putLong(0, -1);
                for (int c = 0; c < consumers; c++) {
                    stop.clear();
                    queue.putBytes(stop);
                }
            }
        }
    }

    /** A consumer JVM. Args: segment, consumer index. */
    public static final class Consumer {
        private Consumer() {
        }

        /**
         * @param args segment, consumer index
         * @throws Exception on failure
         */
        public static void main(String[] args) throws Exception {
            int index = Integer.parseInt(args[1]);
            try (Segment segment = Segment.open(args[0])) {
                SharedQueue<byte[]> queue = SharedQueue.open(segment, "queue", Codec.bytes());
                SharedIntArray seen = SharedIntArray.open(segment, "seen");
                SharedLongArray received = SharedLongArray.open(segment, "received");
                SharedLong corrupt = SharedLong.open(segment, "corrupt");
                SharedLongArray finishedAt = SharedLongArray.open(segment, "finishedAt");
                // Batch take: one lock hold and one head publication per batch, not per message.
                long[] count = {0};
                int[] stops = {0};
                MessageHandler check = msg -> {
                    int len = msg.remaining();
                    long seq = len >= 8 ? msg.getLong(0) : -2;
                    if (seq == -1) {
                        stops[0]++; // all data comes before the stops: the rest of this batch is stops too
                        return;
                    }
                    if (seq < 0 || seq >= seen.length() || len < 16
                            || msg.getLong(len - 8) != checksum(seq, msg, 8, len - 8)) {
                        corrupt.incrementAndGet();
                    } else {
                        seen.getAndAdd((int) seq, 1);
                    }
                    if ((++count[0] & 1023) == 0) {
                        received.set(index, count[0]);
                    }
                };
                while (stops[0] == 0) {
                    queue.drainBytes(check, 4096, 1, TimeUnit.SECONDS);
                }
                finishedAt.set(index, System.nanoTime()); // every message before the stop is counted
                ByteBuffer stop = ByteBuffer.allocate(8).putLong(0, -1);
                for (int extra = 1; extra < stops[0]; extra++) {
                    stop.clear();
                    queue.putBytes(stop); // another consumer's stop, taken in this batch: hand it back
                }
                long count0 = count[0];
                received.set(index, count0);
            }
        }
    }
}
