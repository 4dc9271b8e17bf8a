package io.interproc.sync;

import io.interproc.core.Segment;
import io.interproc.core.SharedLongArray;

/**
 * Child JVM for {@link ConditionMultiProcessTest}: one side of a bounded buffer guarded by a
 * SharedLock with two SharedConditions, {@code notFull} and {@code notEmpty}. The buffer is the
 * SharedLongArray {@code ring}; {@code state} holds [head, tail, count]. The producer puts
 * 0..items-1; the consumer takes {@code items} values and counts each in {@code received[value]},
 * and counts values out of order in {@code state[3]}. Args: segment, role ({@code producer} or
 * {@code consumer}), items.
 */
public final class ConditionBufferMain {
    private static final int HEAD = 0;
    private static final int TAIL = 1;
    private static final int COUNT = 2;
    private static final int OUT_OF_ORDER = 3;

    private ConditionBufferMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int items = Integer.parseInt(args[2]);
        try (Segment segment = Segment.open(args[0])) {
            SharedLock lock = SharedLock.open(segment, "lock");
            SharedCondition notFull = SharedCondition.open(segment, "notFull", lock);
            SharedCondition notEmpty = SharedCondition.open(segment, "notEmpty", lock);
            SharedLongArray ring = SharedLongArray.open(segment, "ring");
            SharedLongArray state = SharedLongArray.open(segment, "state");
            SharedLongArray received = SharedLongArray.open(segment, "received");
            int capacity = ring.length();
            if (args[1].equals("producer")) {
                for (long item = 0; item < items; item++) {
                    lock.lock();
                    try {
                        while (state.get(COUNT) == capacity) {
                            notFull.await();
                        }
                        long tail = state.get(TAIL);
                        ring.set((int) (tail % capacity), item);
                        state.set(TAIL, tail + 1);
                        state.set(COUNT, state.get(COUNT) + 1);
                        notEmpty.signal();
                    } finally {
                        lock.unlock();
                    }
                }
            } else {
                for (long expected = 0; expected < items; expected++) {
                    long item;
                    lock.lock();
                    try {
                        notEmpty.awaitUntil(() -> state.get(COUNT) > 0);
                        long head = state.get(HEAD);
                        item = ring.get((int) (head % capacity));
                        state.set(HEAD, head + 1);
                        state.set(COUNT, state.get(COUNT) - 1);
                        notFull.signal();
                    } finally {
                        lock.unlock();
                    }
                    if (item < 0 || item >= items) {
                        throw new IllegalStateException("item out of range: item=" + item);
                    }
                    received.incrementAndGet((int) item);
                    if (item != expected) {
                        state.incrementAndGet(OUT_OF_ORDER);
                    }
                }
            }
        }
    }
}
