package io.interproc.examples;

import io.interproc.context.Context;
import io.interproc.context.Interproc;
import io.interproc.core.Codec;
import io.interproc.core.shared.LongValue;
import io.interproc.process.JvmProcess;
import io.interproc.redis.LocalRedisServer;
import io.interproc.redis.RedisContext;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code producer-consumer --redis redis://HOST:PORT} (or {@code --redis-start}, which starts a
 * local {@code redis-server} and stops it at the end): the job of {@link ProducerConsumerDemo}
 * written against a {@link Context}, so the same code runs on a segment or on Redis. One producer
 * JVM and N consumer JVMs share a {@code BlockingQueue<byte[]>} (the same message bytes), counters
 * ({@code atomicLong}) and, at the end, each consumer's bitmap of sequences seen (a {@code list});
 * this JVM verifies every message arrived exactly once, intact, and deletes the namespace's keys.
 */
final class RedisProducerConsumer {
    /** Marker for {@code --redis-start}. */
    static final String START = "start";
    /** Messages when {@code --messages} is not given: a network round trip each. */
    static final long DEFAULT_MESSAGES = 5_000;

    private RedisProducerConsumer() {
    }

    static void run(String redis, long messages, int size, int consumers) throws Exception {
        LocalRedisServer server = START.equals(redis) ? LocalRedisServer.start() : null;
        String address = server != null ? server.address() : redis;
        String namespace = "demo-pc-" + ProcessHandle.current().pid();
        try (Context ctx = Interproc.redis(address, namespace)) {
            try {
                run(ctx, address, namespace, messages, size, consumers);
            } finally {
                ((RedisContext) ctx).deleteAll();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private static void run(Context ctx, String address, String namespace, long messages, int size, int consumers)
            throws Exception {
        LongValue sent = ctx.atomicLong("sent", 0);
        LongValue corrupt = ctx.atomicLong("corrupt", 0);
        List<LongValue> received = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            received.add(ctx.atomicLong("received-" + c, 0));
        }
        System.out.printf("interproc producer-consumer on Redis %s (namespace %s): %,d messages of %d bytes,"
                + " 1 producer JVM -> %d consumer JVMs%n", address, namespace, messages, size, consumers);
        List<JvmProcess> jvms = new ArrayList<>();
        try {
            for (int c = 0; c < consumers; c++) {
                jvms.add(JvmProcess.builder(Consumer.class).args(address, namespace, String.valueOf(c),
                        String.valueOf(messages)).start());
            }
            long start = System.nanoTime();
            jvms.add(JvmProcess.builder(Producer.class).args(address, namespace, String.valueOf(messages),
                    String.valueOf(size), String.valueOf(consumers)).start());
            long total;
            while (true) {
                total = 0;
                for (LongValue r : received) {
                    total += r.get();
                }
                double secs = (System.nanoTime() - start) / 1e9;
                System.out.printf("\r  sent %,10d   received %,10d   %5.1f%%   %,8.0f msg/s   ", sent.get(), total,
                        100.0 * total / messages, total / Math.max(secs, 1e-9));
                System.out.flush();
                if (jvms.stream().noneMatch(JvmProcess::isAlive)) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.println();
            for (JvmProcess p : jvms) {
                if (p.exitCode() != 0) {
                    throw new IllegalStateException(p + " failed with exit code " + p.exitCode());
                }
            }
            BitSet all = new BitSet((int) messages);
            long duplicated = 0;
            List<byte[]> bitmaps = ctx.list("seen", Codec.bytes());
            for (byte[] b : bitmaps) {
                BitSet mine = BitSet.valueOf(b);
                BitSet overlap = (BitSet) mine.clone();
                overlap.and(all);
                duplicated += overlap.cardinality();
                all.or(mine);
            }
            duplicated += ctx.atomicLong("duplicated", 0).get();
            long missing = messages - all.cardinality();
            System.out.printf("  sent       %,d messages in %.2f s: %,.0f msg/s through Redis%n", sent.get(), secs,
                    messages / secs);
            for (int c = 0; c < consumers; c++) {
                System.out.printf("  consumer %d received %,d%n", c, received.get(c).get());
            }
            boolean ok = missing == 0 && duplicated == 0 && corrupt.get() == 0 && total == messages
                    && bitmaps.size() == consumers;
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

    /** The producer JVM. Args: address, namespace, messages, size, consumers. */
    public static final class Producer {
        private Producer() {
        }

        /**
         * @param args address, namespace, messages, size, consumers
         * @throws Exception on failure
         */
        public static void main(String[] args) throws Exception {
            long messages = Long.parseLong(args[2]);
            int size = Integer.parseInt(args[3]);
            int consumers = Integer.parseInt(args[4]);
            try (Context ctx = Interproc.redis(args[0], args[1])) {
                BlockingQueue<byte[]> queue = ctx.queue("queue", Codec.bytes());
                LongValue sent = ctx.atomicLong("sent", 0);
                for (long seq = 0; seq < messages; seq++) {
                    ByteBuffer msg = ByteBuffer.allocate(size);
                    msg.putLong(0, seq);
                    for (int i = 8; i < size - 8; i++) {
                        msg.put(i, (byte) (seq + i));
                    }
                    msg.putLong(size - 8, ProducerConsumerDemo.checksum(seq, msg, 8, size - 8));
                    queue.put(msg.array());
                    if ((seq & 255) == 255) {
                        sent.set(seq + 1);
                    }
                }
                sent.set(messages);
                for (int c = 0; c < consumers; c++) {
                    queue.put(ByteBuffer.allocate(8).putLong(0, -1).array());
                }
            }
        }
    }

    /** A consumer JVM. Args: address, namespace, consumer index, messages. */
    public static final class Consumer {
        private Consumer() {
        }

        /**
         * @param args address, namespace, consumer index, messages
         * @throws Exception on failure
         */
        public static void main(String[] args) throws Exception {
            int index = Integer.parseInt(args[2]);
            long messages = Long.parseLong(args[3]);
            try (Context ctx = Interproc.redis(args[0], args[1])) {
                BlockingQueue<byte[]> queue = ctx.queue("queue", Codec.bytes());
                LongValue received = ctx.atomicLong("received-" + index, 0);
                BitSet seen = new BitSet((int) messages);
                long count = 0;
                long corrupt = 0;
                long duplicated = 0;
                while (true) {
                    byte[] bytes = queue.take();
                    ByteBuffer msg = ByteBuffer.wrap(bytes);
                    long seq = bytes.length >= 8 ? msg.getLong(0) : -2;
                    if (seq == -1) {
                        break;
                    }
                    if (seq < 0 || seq >= messages || bytes.length < 16
                            || msg.getLong(bytes.length - 8) != ProducerConsumerDemo.checksum(seq, msg, 8, bytes.length - 8)) {
                        corrupt++;
                    } else if (seen.get((int) seq)) {
                        duplicated++;
                    } else {
                        seen.set((int) seq);
                    }
                    if ((++count & 255) == 0) {
                        received.set(count);
                    }
                }
                received.set(count);
                ctx.atomicLong("corrupt", 0).addAndGet(corrupt);
                ctx.atomicLong("duplicated", 0).addAndGet(duplicated);
                ctx.list("seen", Codec.bytes()).add(seen.toByteArray());
            }
        }
    }
}
