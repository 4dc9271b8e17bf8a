package io.interproc.examples;

import io.interproc.collections.SharedList;
import io.interproc.collections.SharedMap;
import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.pool.ProcessPool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The tutorials' way of collecting results — {@code apply_async} with a callback that appends to
 * a {@code Manager().list()}, and a {@code Manager().dict()} of counts — with a {@link ProcessPool}
 * and the collections module: each task runs in a worker JVM and counts itself into a
 * {@link SharedMap} by the worker's pid (straight into shared memory, no manager process); its
 * callback, in this JVM, appends the result to a {@link SharedList}. At the end the totals are
 * verified: every task's result in the list exactly once, and the per-worker counts adding up.
 *
 * <p>Flags: {@code --workers N} (default 2), {@code --tasks N} (default 200).
 */
public final class ResultsCollectorDemo {
    /** The segment a worker JVM opens on its first task (a worker runs tasks one after another). */
    private static Segment workerSegment;

    private ResultsCollectorDemo() {
    }

    /**
     * @param args flags, see the class doc
     * @throws Exception if the demo fails or a total is wrong
     */
    public static void main(String[] args) throws Exception {
        int workers = 2;
        int tasks = 200;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--workers" -> workers = Integer.parseInt(args[++i]);
                case "--tasks" -> tasks = Integer.parseInt(args[++i]);
                case "--help", "-h" -> {
                    System.out.println("results-collector [--workers N] [--tasks N]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown flag: " + args[i]);
            }
        }
        if (workers < 1 || tasks < 1) {
            throw new IllegalArgumentException("need --workers >= 1 and --tasks >= 1: workers=" + workers + ", tasks="
                    + tasks);
        }
        String name = "demo-results-" + ProcessHandle.current().pid();
        long size = SharedList.bytesNeeded(tasks, 16) + SharedMap.bytesNeeded(64, 24, 8) + (1 << 20);
        try (Segment segment = Segment.create(name, size)) {
            try {
                SharedList<String> results = SharedList.create(segment, "results", Codec.utf8(), tasks, 16);
                SharedMap<String, Long> counts = SharedMap.create(segment, "counts", Codec.utf8(), Codec.longs(), 64,
                        24, 8);
                List<Future<Long>> futures = new ArrayList<>();
                try (ProcessPool pool = ProcessPool.builder().workers(workers).start()) {
                    for (int t = 0; t < tasks; t++) {
                        long n = t;
                        futures.add(pool.applyAsync((Long x) -> square(name, x), n,
                                r -> results.append(n + "->" + r), // the callback, in this JVM
                                e -> System.out.println("task " + n + " failed: " + e)));
                    }
                    for (Future<Long> f : futures) {
                        f.get(60, TimeUnit.SECONDS); // returns after the callback ran
                    }
                }
                verify(results, counts, tasks);
            } finally {
                segment.unlink();
            }
        }
    }

    /** A task, in a worker JVM: counts itself into the shared map, then returns x². */
    private static long square(String segmentName, long x) {
        SharedMap<String, Long> counts = SharedMap.open(workerSegment(segmentName), "counts", Codec.utf8(),
                Codec.longs());
        counts.merge("tasks by pid " + ProcessHandle.current().pid(), 1L, Long::sum);
        counts.merge("sum of squares", x * x, Long::sum);
        return x * x;
    }

    private static synchronized Segment workerSegment(String name) {
        if (workerSegment == null) {
            workerSegment = Segment.open(name);
        }
        return workerSegment;
    }

    private static void verify(SharedList<String> results, SharedMap<String, Long> counts, int tasks) {
        List<String> all = results.snapshot();
        long expectedSum = 0;
        boolean[] seen = new boolean[tasks];
        long duplicates = 0;
        for (String r : all) {
            int n = Integer.parseInt(r.substring(0, r.indexOf("->")));
            long sq = Long.parseLong(r.substring(r.indexOf("->") + 2));
            if (sq != (long) n * n || seen[n]) {
                duplicates++;
            }
            seen[n] = true;
        }
        for (long t = 0; t < tasks; t++) {
            expectedSum += t * t;
        }
        long byWorkers = 0;
        for (Map.Entry<String, Long> e : counts.snapshot().entrySet()) {
            if (e.getKey().startsWith("tasks by pid ")) {
                System.out.printf("  worker %s ran %d tasks%n", e.getKey().substring(13), e.getValue());
                byWorkers += e.getValue();
            }
        }
        long sum = counts.getOrDefault("sum of squares", 0L);
        System.out.printf("results list: %d of %d tasks (duplicates or wrong %d); worker counts add up to %d; "
                + "sum of squares %d (expected %d)%n", all.size(), tasks, duplicates, byWorkers, sum, expectedSum);
        if (all.size() != tasks || duplicates != 0 || byWorkers != tasks || sum != expectedSum) {
            throw new IllegalStateException("totals do not match");
        }
        System.out.println("verified: every result collected exactly once, and the shared counts are exact");
    }
}
