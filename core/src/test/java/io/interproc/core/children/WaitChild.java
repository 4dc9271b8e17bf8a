package io.interproc.core.children;

import io.interproc.core.Segment;
import io.interproc.core.SharedLongArray;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.value.ArrayDescriptor;
import io.interproc.core.wait.WaitLoop;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM for CrossProcessWaitTest. Layout of the SharedLongArray "w" it opens:
 * [0] futex word (low int) and [0]+4 waiter count, [1] result: woke (1) / timed out (2) /
 * interrupted (3), [2] wall nanos, [3] thread CPU nanos, [4] timeout-test elapsed nanos,
 * [5] interrupt-test result. Args: segment, mode (wake | timeout | interrupt).
 */
public final class WaitChild {
    private WaitChild() {
    }

    public static void main(String[] args) throws Exception {
        try (Segment segment = Segment.open(args[0])) {
            SharedLongArray w = SharedLongArray.open(segment, "w");
            SharedBuffer b = segment.buffer();
            int word = segment.objects().stream().filter(o -> o.name().equals("w")).findFirst().orElseThrow().offset()
                    + ArrayDescriptor.DATA_OFFSET;
            int waiters = word + 4;
            WaitLoop.Attempt set = () -> b.getIntVolatile(word) != 0 ? WaitLoop.DONE : b.getIntVolatile(word);
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            switch (args[1]) {
                case "wake": {
                    long cpu0 = mx.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    boolean ok = WaitLoop.await(segment, word, waiters, set, WaitLoop.SliceCheck.NONE, WaitLoop.FOREVER);
                    w.set(2, System.nanoTime() - t0);
                    w.set(3, mx.getCurrentThreadCpuTime() - cpu0);
                    w.set(1, ok ? 1 : 2);
                    break;
                }
                case "timeout": {
                    long t0 = System.nanoTime();
                    boolean ok = WaitLoop.await(segment, word, waiters, set, WaitLoop.SliceCheck.NONE,
                            TimeUnit.MILLISECONDS.toNanos(300));
                    w.set(4, System.nanoTime() - t0);
                    w.set(1, ok ? 1 : 2);
                    break;
                }
                case "interrupt": {
                    Thread main = Thread.currentThread();
                    Thread interrupter = new Thread(() -> {
                        while (b.getIntVolatile(waiters) == 0) {
                            Thread.onSpinWait();
                        }
                        main.interrupt();
                    });
                    interrupter.start();
                    try {
                        WaitLoop.await(segment, word, waiters, set, WaitLoop.SliceCheck.NONE, WaitLoop.FOREVER);
                        w.set(1, 1);
                    } catch (InterruptedException e) {
                        w.set(5, Thread.currentThread().isInterrupted() ? 0 : 1); // status cleared
                        w.set(1, 3);
                    }
                    interrupter.join();
                    break;
                }
                default:
                    throw new IllegalArgumentException("mode=" + args[1]);
            }
        }
    }
}
