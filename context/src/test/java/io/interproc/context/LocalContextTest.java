package io.interproc.context;

import io.interproc.context.contract.AtomicContract;
import io.interproc.context.contract.BarrierContract;
import io.interproc.context.contract.CollectionContract;
import io.interproc.context.contract.ConditionContract;
import io.interproc.context.contract.EventContract;
import io.interproc.context.contract.LatchContract;
import io.interproc.context.contract.LockContract;
import io.interproc.context.contract.QueueContract;
import io.interproc.context.contract.SemaphoreContract;
import io.interproc.core.Segment;
import io.interproc.core.testing.TempSegments;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every contract suite against {@link Interproc#local}: one segment per test, removed after it. */
class LocalContextTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    private Context context;

    @BeforeEach
    void open() {
        Segment segment = segments.create(8 << 20);
        context = Interproc.local(segment);
    }

    @AfterEach
    void close() {
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
