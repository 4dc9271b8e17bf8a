package io.interproc.core.children;

import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.wait.ParkedWaits;
import io.interproc.core.wait.Waiter;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child JVM for ParkedWaitsTest, run with one carrier thread: starts {@code args[0]} virtual
 * threads that wait through {@link ParkedWaits#await}, then a virtual waker. Prints
 * {@code mode=M parked=N returned=N} and exits 0 if every waiter returned within 30 s, 1 otherwise (a
 * waiter that pinned the only carrier keeps the others, and the waker, from ever running).
 */
public final class ParkedVirtualChild {
    private ParkedVirtualChild() {
    }

    public static void main(String[] args) throws Throwable {
        int count = Integer.parseInt(args[0]);
        MethodHandle start = MethodHandles.publicLookup().findStatic(Thread.class, "startVirtualThread",
                MethodType.methodType(Thread.class, Runnable.class));
        SharedBuffer b = new SharedBuffer(ByteBuffer.allocateDirect(64));
        AtomicInteger entered = new AtomicInteger();
        AtomicInteger returned = new AtomicInteger();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            waiters.add((Thread) start.invokeExact((Runnable) () -> {
                entered.incrementAndGet();
                while (b.getIntVolatile(0) == 0) {
                    ParkedWaits.await(b, 0, 0, TimeUnit.SECONDS.toNanos(60));
                }
                returned.incrementAndGet();
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (entered.get() < count && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
        Thread waker = (Thread) start.invokeExact((Runnable) () -> {
            b.setIntVolatile(0, 1);
            Waiter.get().wake(b, 0, Integer.MAX_VALUE);
        });
        for (Thread t : waiters) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        waker.join(1000);
        System.out.println("mode=" + ParkedWaits.mode() + " parked=" + entered.get() + " returned=" + returned.get());
        System.out.flush();
        System.exit(returned.get() == count ? 0 : 1);
    }
}
