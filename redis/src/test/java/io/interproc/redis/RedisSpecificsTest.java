package io.interproc.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.shared.Permits;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;

/** What is particular to the Redis side: bytes on the server, recovery paths, argument checks. */
class RedisSpecificsTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static RedissonClient client;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private RedisContext context;

    @BeforeAll
    static void connect() {
        client = REDIS.newClient(Duration.ofSeconds(2));
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.shutdown();
        }
    }

    @BeforeEach
    void open() {
        context = RedisContext.open(client, "test-specifics-" + System.nanoTime());
    }

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(30, TimeUnit.SECONDS);
        context.deleteAll();
        context.close();
    }

    private String key(String name, String kind) {
        return "{" + context.namespace() + ":" + name + "}:" + kind;
    }

    @Test
    void elementsAreTheCodecsBytes() throws Exception {
        BlockingQueue<String> q = context.queue("q", Codec.utf8());
        q.put("héllo");
        List<byte[]> raw = client.<byte[]>getList(key("q", "queue"), ByteArrayCodec.INSTANCE).readAll();
        assertEquals(1, raw.size());
        assertArrayEquals("héllo".getBytes(StandardCharsets.UTF_8), raw.get(0));
        assertArrayEquals(Codec.longs().encode(7L), encodedByMap());
    }

    private byte[] encodedByMap() {
        context.map("m", Codec.utf8(), Codec.longs()).put("k", 7L);
        return client.<byte[], byte[]>getMap(key("m", "map"), ByteArrayCodec.INSTANCE)
                .get("k".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anUndecodableElementIsAnExceptionNotAHang() {
        client.getList(key("q", "queue"), ByteArrayCodec.INSTANCE).add(new byte[] {1, 2, 3});
        BlockingQueue<Long> q = context.queue("q", Codec.longs());
        Exception e = assertThrows(Exception.class, q::poll);
        assertTrue(String.valueOf(e).contains("Codec") || String.valueOf(e.getCause()).contains("Codec"), () -> "" + e);
        assertNull(q.poll(), "the element was removed");
    }

    @Test
    void aTimedPollOfZeroDoesNotWait() throws Exception {
        BlockingQueue<String> q = context.queue("q", Codec.utf8());
        Future<String> poll = threads.submit(() -> q.poll(0, TimeUnit.SECONDS));
        assertNull(poll.get(30, TimeUnit.SECONDS));
    }

    @Test
    void aBoundedReleaseWakesAWaitingAcquirer() throws Exception {
        Permits sem = context.boundedSemaphore("s", 1);
        sem.acquire();
        Future<Boolean> waiter = threads.submit(() -> context.boundedSemaphore("s", 1).tryAcquire(30, TimeUnit.SECONDS));
        sem.release(); // the Lua release publishes on RSemaphore's channel
        assertTrue(waiter.get(30, TimeUnit.SECONDS));
    }

    @Test
    void signalSkipsADeadWaiter() throws Exception {
        Lock lock = context.lock("l");
        Condition c = context.condition("c", lock);
        // A waiter of a dead process: listed, but its alive key has expired (here: was never written).
        client.getList(key("c", "condition") + ":waiters", StringCodec.INSTANCE).add("ghost");
        Future<Boolean> live = threads.submit(() -> {
            lock.lock();
            try {
                return c.await(30, TimeUnit.SECONDS);
            } finally {
                lock.unlock();
            }
        });
        var waiters = client.getList(key("c", "condition") + ":waiters", StringCodec.INSTANCE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (waiters.size() < 2 && System.nanoTime() - deadline < 0) {
            Thread.sleep(2);
        }
        assertEquals(2, waiters.size());
        lock.lock();
        try {
            c.signal(); // one signal: it must reach the live waiter, not the ghost
        } finally {
            lock.unlock();
        }
        assertTrue(live.get(30, TimeUnit.SECONDS));
        assertTrue(waiters.isEmpty());
    }

    @Test
    void namesAndValuesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> RedisContext.open(client, "has space"));
        assertThrows(IllegalArgumentException.class, () -> RedisContext.open(client, ""));
        assertThrows(IllegalArgumentException.class, () -> context.lock("a{b"));
        assertThrows(IllegalArgumentException.class, () -> context.atomicDouble("d", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> context.atomicDouble("d", 1).set(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> context.semaphore("s", -1));
        assertThrows(IllegalArgumentException.class, () -> context.barrier("b", 0));
        assertThrows(IllegalArgumentException.class, () -> context.countDownLatch("x", -1));
        assertThrows(IllegalArgumentException.class,
                () -> context.condition("c", new java.util.concurrent.locks.ReentrantLock()));
        assertThrows(IllegalArgumentException.class, () -> RedisContext.connect("http://x:1", "ns"));
        assertThrows(UnsupportedOperationException.class, () -> context.lock("l").newCondition());
    }

    @Test
    void aClosedContextRefusesNewObjects() {
        RedisContext other = RedisContext.open(client, context.namespace());
        other.close();
        other.close();
        assertThrows(IllegalStateException.class, () -> other.event("e"));
        assertFalse(client.isShutdown(), "a client handed in stays the caller's");
    }
}
