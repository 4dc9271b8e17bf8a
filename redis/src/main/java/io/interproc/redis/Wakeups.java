package io.interproc.redis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Wake-ups of the waits that Redisson has no primitive for (event, barrier, condition, joinable
 * queue): a writer publishes on the object's channel in the same Lua script that changes the
 * state; each context subscribes once per channel and counts messages in a local generation.
 * A waiter reads the generation, then the state, then sleeps until the generation moves. Sleeps
 * last at most {@link #SLICE_NANOS}, after which the waiter reads the state again: that bounds
 * the delay if a message is lost (a reconnection, a failover).
 */
final class Wakeups {
    /** Longest sleep between two reads of the state: 1 s. */
    static final long SLICE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final RedissonClient client;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

    Wakeups(RedissonClient client) {
        this.client = client;
    }

    /** @return the channel, subscribed on first use (the subscription is confirmed on return) */
    Channel channel(String name) {
        return channels.computeIfAbsent(name, n -> new Channel(client.getTopic(n, StringCodec.INSTANCE)));
    }

    /** Drops every subscription of this context. */
    void close() {
        for (Channel c : channels.values()) {
            c.topic.removeListener(c.listener); // only this context's: a client may serve several
        }
        channels.clear();
    }

    /** One subscribed channel: a generation counted up by each message. */
    static final class Channel {
        private final RTopic topic;
        private final int listener;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition moved = lock.newCondition();
        private long generation;

        private Channel(RTopic topic) {
            this.topic = topic;
            this.listener = topic.addListener(String.class, (channel, message) -> bump());
        }

        String name() {
            return topic.getChannelNames().get(0);
        }

        private void bump() {
            lock.lock();
            try {
                generation++;
                moved.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** @return the generation now: read it before reading the state waited for */
        long generation() {
            lock.lock();
            try {
                return generation;
            } finally {
                lock.unlock();
            }
        }

        /**
         * Sleeps until a message arrives after {@code seen} was read, {@code nanos} pass or
         * {@link #SLICE_NANOS} pass, whichever comes first.
         */
        void awaitAfter(long seen, long nanos) throws InterruptedException {
            long left = Math.min(nanos, SLICE_NANOS);
            lock.lockInterruptibly();
            try {
                while (generation == seen && left > 0) {
                    left = moved.awaitNanos(left);
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
