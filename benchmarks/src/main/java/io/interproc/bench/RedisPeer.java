package io.interproc.bench;

import io.interproc.context.Context;
import io.interproc.context.Interproc;
import io.interproc.core.Codec;
import io.interproc.core.Segment;

import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.Lock;

/**
 * A peer JVM of the Redis scenarios ({@link RedisScenarios}): the same work as {@link Peer}'s
 * lock and queue peers, through a {@link Context} on Redis, counting in the run's
 * {@link Control} block. Args: {@code kind segment index address namespace [size]}.
 */
public final class RedisPeer {
    /** Ops between two publications: every op (a Redis op costs a round trip; a publication, a store). */
    private static final int PUBLISH_EVERY = 1;

    private RedisPeer() {
    }

    /**
     * @param args kind, segment, peer index, Redis address, namespace, then the kind's parameters
     * @throws Exception on failure (the harness reports the peer as failed, with this)
     */
    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int index = Integer.parseInt(args[2]);
        String[] params = Arrays.copyOfRange(args, 5, args.length);
        try (Segment segment = Segment.open(args[1]); Context ctx = Interproc.redis(args[3], args[4])) {
            Control control = Control.open(segment);
            switch (kind) {
                case "lock" -> lock(ctx, control, index);
                case "queue-producer" -> producer(ctx, control, index, Integer.parseInt(params[0]));
                case "queue-consumer" -> consumer(ctx, control, index);
                default -> throw new IllegalArgumentException("unknown Redis peer kind: " + kind);
            }
        }
    }

    private static void lock(Context ctx, Control control, int index) throws InterruptedException {
        Lock lock = ctx.lock("lock");
        control.ready();
        control.awaitGo();
        for (long n = 1; ; n++) {
            lock.lock();
            lock.unlock();
            if (n % PUBLISH_EVERY == 0) {
                control.publish(index, n);
                if (control.stopRequested()) {
                    return;
                }
            }
        }
    }

    private static void producer(Context ctx, Control control, int index, int size) throws InterruptedException {
        BlockingQueue<byte[]> queue = ctx.queue("q", Codec.bytes());
        byte[] message = new byte[size];
        control.ready();
        control.awaitGo();
        for (long n = 1; ; n++) {
            queue.put(message);
            if (n % PUBLISH_EVERY == 0) {
                control.publish(index, n);
                if (control.stopRequested()) {
                    return;
                }
            }
        }
    }

    private static void consumer(Context ctx, Control control, int index) throws InterruptedException {
        BlockingQueue<byte[]> queue = ctx.queue("q", Codec.bytes());
        control.ready();
        control.awaitGo();
        for (long n = 1; ; n++) {
            queue.take();
            if (n % PUBLISH_EVERY == 0) {
                control.publish(index, n); // never stops by itself: the harness kills it
            }
        }
    }
}
