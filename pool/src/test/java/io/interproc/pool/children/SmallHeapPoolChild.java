package io.interproc.pool.children;

import io.interproc.pool.ProcessPool;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The parent side of a pool in a JVM whose heap cannot hold one result (started with a small
 * {@code -Xmx}): one worker with a large heap returns {@code args[0]} MiB, then a small result.
 * Prints what became of each and whether the same worker answered both.
 */
public final class SmallHeapPoolChild {
    private SmallHeapPoolChild() {
    }

    public static void main(String[] args) throws Exception {
        int mib = Integer.parseInt(args[0]);
        try (ProcessPool pool = ProcessPool.builder().workers(1).maxResultBytes(4L * mib << 20)
                .jvmOptions("-Xmx" + (8 * mib) + "m").start()) {
            List<Long> before = pool.workerPids();
            Future<byte[]> big = pool.submit(() -> new byte[mib << 20]);
            try {
                System.out.println("big: " + big.get(60, TimeUnit.SECONDS).length);
            } catch (ExecutionException e) {
                System.out.println("big failed: " + e.getCause().getClass().getName() + ": " + e.getCause().getMessage());
            }
            System.out.println("after: " + pool.submit(() -> 42).get(60, TimeUnit.SECONDS));
            System.out.println("same worker: " + before.equals(pool.workerPids()));
        }
    }
}
