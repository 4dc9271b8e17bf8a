package io.interproc.context;

import io.interproc.collections.SharedList;
import io.interproc.collections.SharedMap;
import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.SharedDouble;
import io.interproc.core.SharedLong;
import io.interproc.core.shared.Barrier;
import io.interproc.core.shared.DoubleValue;
import io.interproc.core.shared.Event;
import io.interproc.core.shared.JoinableBlockingQueue;
import io.interproc.core.shared.Latch;
import io.interproc.core.shared.LongValue;
import io.interproc.core.shared.Permits;
import io.interproc.core.shared.PutGetQueue;
import io.interproc.ipc.queue.JoinableQueue;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.ipc.queue.SimpleQueue;
import io.interproc.sync.ConditionLock;
import io.interproc.sync.SharedBarrier;
import io.interproc.sync.SharedEvent;
import io.interproc.sync.SharedLock;
import io.interproc.sync.SharedReentrantLock;
import io.interproc.sync.SharedSemaphore;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/** {@link Interproc#local}: the sync, core and ipc classes in one segment. */
final class LocalContext implements Context {
    private final Segment segment;

    LocalContext(Segment segment) {
        this.segment = segment;
    }

    @Override
    public String description() {
        return "local segment '" + segment.name() + "'";
    }

    @Override
    public Lock lock(String name) {
        return SharedLock.openOrCreate(segment, name);
    }

    @Override
    public Lock reentrantLock(String name) {
        return SharedReentrantLock.openOrCreate(segment, name);
    }

    @Override
    public Condition condition(String name, Lock lock) {
        Objects.requireNonNull(lock, "lock");
        if (!(lock instanceof ConditionLock)) {
            throw new IllegalArgumentException("condition '" + name + "' of " + description() + " needs a lock of"
                    + " that context, not " + lock.getClass().getName());
        }
        return ((ConditionLock) lock).newCondition(name);
    }

    @Override
    public Permits semaphore(String name, int permits) {
        return SharedSemaphore.openOrCreate(segment, name, permits);
    }

    @Override
    public Permits boundedSemaphore(String name, int permits) {
        return SharedSemaphore.openOrCreateBounded(segment, name, permits);
    }

    @Override
    public Event event(String name) {
        return SharedEvent.openOrCreate(segment, name);
    }

    @Override
    public Barrier barrier(String name, int parties) {
        return SharedBarrier.openOrCreate(segment, name, parties);
    }

    @Override
    public Latch countDownLatch(String name, long count) {
        return LocalLatch.openOrCreate(segment, name, count);
    }

    @Override
    public LongValue atomicLong(String name, long initial) {
        return SharedLong.openOrCreate(segment, name, initial);
    }

    @Override
    public DoubleValue atomicDouble(String name, double initial) {
        return SharedDouble.openOrCreate(segment, name, initial);
    }

    /** Ring size of the queues this context creates: 1 MiB (sparse in the segment until used). */
    static final long DEFAULT_QUEUE_BYTES = 1 << 20;

    @Override
    public <E> BlockingQueue<E> queue(String name, Codec<E> codec) {
        return SharedQueue.openOrCreate(segment, name, DEFAULT_QUEUE_BYTES, codec);
    }

    @Override
    public <E> JoinableBlockingQueue<E> joinableQueue(String name, Codec<E> codec) {
        return JoinableQueue.openOrCreate(segment, name, DEFAULT_QUEUE_BYTES, codec);
    }

    @Override
    public <E> PutGetQueue<E> simpleQueue(String name, Codec<E> codec) {
        return SimpleQueue.openOrCreate(segment, name, DEFAULT_QUEUE_BYTES, codec);
    }

    /** Capacity of the maps this context creates: entries, and average key and value bytes. */
    static final int MAP_ENTRIES = 4096;
    static final int MAP_KEY_BYTES = 32;
    static final int MAP_VALUE_BYTES = 64;
    /** Capacity of the lists this context creates: elements, and average element bytes. */
    static final int LIST_ELEMENTS = 4096;
    static final int LIST_ELEMENT_BYTES = 64;

    @Override
    public <K, V> ConcurrentMap<K, V> map(String name, Codec<K> keys, Codec<V> values) {
        return SharedMap.openOrCreate(segment, name, keys, values, MAP_ENTRIES, MAP_KEY_BYTES, MAP_VALUE_BYTES);
    }

    @Override
    public <E> List<E> list(String name, Codec<E> codec) {
        return SharedList.openOrCreate(segment, name, codec, LIST_ELEMENTS, LIST_ELEMENT_BYTES);
    }

    @Override
    public void close() {
        // the segment is the caller's
    }

    @Override
    public String toString() {
        return "Context[" + description() + "]";
    }
}
