package io.interproc.redis;

import io.interproc.context.Context;
import io.interproc.context.Interproc;
import io.interproc.context.contract.AtomicContract;
import io.interproc.context.contract.BarrierContract;
import io.interproc.context.contract.CollectionContract;
import io.interproc.context.contract.ConditionContract;
import io.interproc.context.contract.EventContract;
import io.interproc.context.contract.LatchContract;
import io.interproc.context.contract.LockContract;
import io.interproc.context.contract.QueueContract;
import io.interproc.context.contract.SemaphoreContract;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RedissonClient;

/**
 * Every contract suite against {@link Interproc#redis(RedissonClient, String)}, on a redis-server
 * of this class; each test has its own namespace, deleted after it.
 */
class RedisContextTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final AtomicInteger TESTS = new AtomicInteger();
    private static RedissonClient client;

    private RedisContext context;

    @BeforeAll
    static void connect() {
        client = REDIS.newClient(Duration.ofSeconds(30));
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.shutdown();
        }
    }

    @BeforeEach
    void open() {
        context = (RedisContext) Interproc.redis(client, "test-" + ProcessHandle.current().pid() + "-"
                + TESTS.incrementAndGet());
    }

    @AfterEach
    void close() {
        context.deleteAll();
        context.close();
    }

    @Nested
    class Locks extends LockContract {
        @Override
        protected Context context() {
            return context;
        }
    }

    @Nested
    class Conditions extends ConditionContract {
        @Override
        protected Context context() {
            return context;
        }
    }

    @Nested
    class Semaphores extends SemaphoreContract {
        @Override
        protected Context context() {
            return context;
        }
    }

    @Nested
    class Events extends EventContract {
        @Override
        protected Context context() {
            return context;
        }
    }

    @Nested
    class Barriers extends BarrierContract {
        @Override
        protected Context context() {
            return context;
        }
    }

    @Nested
    class Latches extends LatchContract {
        @Override
        protected Context context() {
            return context;
        }
    }

    @Nested
    class Atomics extends AtomicContract {
        @Override
        protected Context context() {
            return context;
        }
    }

    @Nested
    class Queues extends QueueContract {
        @Override
        protected Context context() {
            return context;
        }
    }

    @Nested
    class Collections extends CollectionContract {
        @Override
        protected Context context() {
            return context;
        }
    }
}
