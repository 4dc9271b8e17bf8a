package io.interproc.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.testing.ChildJvms;
import io.interproc.process.JvmProcess;
import io.interproc.redis.children.LockHolderChild;
import io.interproc.redis.children.QueueConsumerChild;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Objects on Redis shared by several JVMs: a queue drained by three, a lock whose holder is killed. */
class CrossJvmRedisTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    private String namespace;
    private RedisContext context;

    @BeforeEach
    void open() {
        namespace = "test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        context = RedisContext.connect(REDIS.address(), namespace, Duration.ofSeconds(1));
    }

    @AfterEach
    void close() {
        context.deleteAll();
        context.close();
    }

    @Test
    void threeConsumerJvmsTakeEveryElementExactlyOnce() throws Exception {
        int n = 900;
        List<JvmProcess> consumers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            consumers.add(children.start(JvmProcess.builder(QueueConsumerChild.class)
                    .args(REDIS.address(), namespace, "work").captureOutput()));
        }
        for (JvmProcess c : consumers) {
            ChildJvms.awaitCondition("consumer " + c + " ready", 60, () -> c.output().contains("READY"));
        }
        BlockingQueue<Long> q = context.queue("work", Codec.longs());
        for (long v = 0; v < n; v++) {
            q.put(v);
        }
        for (int i = 0; i < consumers.size(); i++) {
            q.put(-1L);
        }
        List<Long> taken = new ArrayList<>();
        int consumersThatTookSome = 0;
        for (JvmProcess c : consumers) {
            ChildJvms.awaitSuccess(c, 120);
            String out = c.output();
            assertTrue(out.contains("DONE"), out);
            int before = taken.size();
            for (String line : out.split("\n")) {
                if (!line.isBlank() && !line.equals("READY") && !line.equals("DONE")) {
                    taken.add(Long.parseLong(line.trim()));
                }
            }
            consumersThatTookSome += taken.size() > before ? 1 : 0;
        }
        Set<Long> distinct = new HashSet<>(taken);
        assertEquals(taken.size(), distinct.size(), "an element was delivered twice");
        assertEquals(n, distinct.size(), "an element was lost");
        assertTrue(q.isEmpty());
        assertTrue(consumersThatTookSome >= 1);
    }

    @Test
    void aKilledHoldersLockIsRecoveredAfterTheLease() throws Exception {
        JvmProcess holder = children.start(JvmProcess.builder(LockHolderChild.class)
                .args(REDIS.address(), namespace, "ledger", "1000").captureOutput());
        ChildJvms.awaitCondition("the child holds the lock", 60, () -> holder.output().contains("LOCKED"));
        Lock lock = context.lock("ledger");
        assertFalse(lock.tryLock(), "held by the live child");
        holder.kill();
        assertTrue(holder.join(30, TimeUnit.SECONDS));
        // No one renews the lease now: it expires within one lease (1 s) of the last renewal.
        assertTrue(lock.tryLock(60, TimeUnit.SECONDS), "the dead holder's lock was not recovered");
        lock.unlock();
    }
}
