package io.interproc.context;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.core.shared.Latch;
import io.interproc.sync.SharedEvent;

import java.util.concurrent.TimeUnit;

/**
 * A count-down latch in a segment, made of two existing objects: the count, a {@link SharedLong}
 * named as the latch, and a {@link SharedEvent} named {@code <name>.zero} set when the count
 * reaches zero. Waiters sleep on the event and re-read the count at least every
 * {@value #SLICE_MILLIS} ms, so a process killed between lowering the count to zero and setting
 * the event delays them by that much at most.
 */
final class LocalLatch implements Latch {
    static final long SLICE_MILLIS = 50;
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS);

    private final String name;
    private final SharedLong count;
    private final SharedEvent zero;

    private LocalLatch(String name, SharedLong count, SharedEvent zero) {
        this.name = name;
        this.count = count;
        this.zero = zero;
    }

    static LocalLatch openOrCreate(Segment segment, String name, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("count-down latch '" + name + "': count must be >= 0, was " + count);
        }
        SharedLong c = SharedLong.openOrCreate(segment, name, count);
        SharedEvent z = SharedEvent.openOrCreate(segment, name + ".zero");
        return new LocalLatch(name, c, z);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void countDown() {
        while (true) {
            long c = count.get();
            if (c <= 0) {
                zero.set(); // repairs a count-down whose process died before setting the event
                return;
            }
            if (count.compareAndSet(c, c - 1)) {
                if (c == 1) {
                    zero.set();
                }
                return;
            }
        }
    }

    @Override
    public long getCount() {
        return Math.max(0, count.get());
    }

    @Override
    public void await() throws InterruptedException {
        while (!await(Long.MAX_VALUE, TimeUnit.NANOSECONDS)) {
            // Long.MAX_VALUE ns is 292 years; loop anyway rather than return early
        }
    }

    @Override
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        long remaining = unit.toNanos(timeout);
        long deadline = System.nanoTime() + remaining;
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted waiting for count-down latch '" + name + "'");
            }
            if (count.get() <= 0) {
                return true;
            }
            if (remaining <= 0) {
                return false;
            }
            zero.await(Math.min(remaining, SLICE_NANOS), TimeUnit.NANOSECONDS);
            remaining = deadline - System.nanoTime();
        }
    }

    @Override
    public String toString() {
        return "count-down latch '" + name + "' [count=" + getCount() + "]";
    }
}
