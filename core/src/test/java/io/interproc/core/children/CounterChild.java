package io.interproc.core.children;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.core.SharedLongArray;

/**
 * Child JVM for MultiProcessCounterTest: open-or-creates the segment and its objects (racing the
 * other children), then increments. Args: segment, count.
 */
public final class CounterChild {
    private CounterChild() {
    }

    public static void main(String[] args) {
        String name = args[0];
        int count = Integer.parseInt(args[1]);
        try (Segment segment = Segment.openOrCreate(name, 1 << 20)) {
            SharedLong total = SharedLong.openOrCreate(segment, "total");
            SharedLongArray cells = SharedLongArray.openOrCreate(segment, "cells", 8);
            SharedLong ready = SharedLong.openOrCreate(segment, "ready");
            ready.incrementAndGet();
            while (ready.get() < Long.parseLong(args[2])) {
                Thread.onSpinWait(); // start together, so the increments really contend
            }
            for (int i = 0; i < count; i++) {
                total.incrementAndGet();
                cells.incrementAndGet(3);
            }
        }
    }
}
