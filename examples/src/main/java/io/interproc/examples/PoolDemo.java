package io.interproc.examples;

import io.interproc.cli.args.ArgParser;
import io.interproc.cli.args.ParsedArgs;
import io.interproc.core.PeerDiedException;
import io.interproc.pool.ProcessPool;
import io.interproc.pool.ResultIterator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A {@link ProcessPool} of worker JVMs at work: counts primes below a bound, cut into ranges, with
 * {@code map} (and checks the count against one computed here), shows {@code imapUnordered}
 * handing out results as they complete and {@code applyAsync} with a callback, then kills a worker
 * with SIGKILL in the middle of a task: that task's future fails with a
 * {@link PeerDiedException}, the worker is replaced, and the pool goes on.
 *
 * <p>Flags: {@code --workers N} (default: available processors), {@code --limit N} (count primes
 * below N, default 5,000,000), {@code --ranges N} (default 64).
 */
public final class PoolDemo {
    private PoolDemo() {
    }

    /** The command line: {@code pool [--workers N] [--limit N] [--ranges N]}. */
    static final ArgParser ARGS = new ArgParser("pool", "pool [--workers N] [--limit N] [--ranges N]").help()
            .option("--workers", "N").option("--limit", "N").option("--ranges", "N");

    /** The demo's options. */
    record Options(int workers, int limit, int ranges) {
    }

    /** @throws io.interproc.cli.args.UsageException on a bad value */
    static Options options(ParsedArgs a) {
        return new Options(a.intValue("--workers", Runtime.getRuntime().availableProcessors(), 1, 1024),
                a.intValue("--limit", 5_000_000, 2, Integer.MAX_VALUE), a.intValue("--ranges", 64, 1, 1_000_000));
    }

    /**
     * @param args flags, see the class doc
     * @throws Exception if the demo fails
     */
    public static void main(String[] args) throws Exception {
        Options options = ARGS.parseOrExit(args, PoolDemo::options);
        int workers = options.workers();
        int limit = options.limit();
        int ranges = options.ranges();
        int step = (limit + ranges - 1) / ranges;
        int bound = limit;
        List<int[]> parts = IntStream.range(0, ranges).mapToObj(r -> new int[] {r * step, Math.min(bound, (r + 1) * step)})
                .filter(p -> p[0] < p[1]).collect(Collectors.toList());

        long t0 = System.nanoTime();
        List<Long> last;
        try (ProcessPool pool = ProcessPool.builder().workers(workers).start()) {
            System.out.printf("started %d worker JVMs in %d ms: pids %s%n", workers, millisSince(t0), pool.workerPids());

            // map: results in order; each range is counted in some worker JVM
            long t1 = System.nanoTime();
            List<Integer> counts = pool.map(p -> countPrimes(p[0], p[1]), parts);
            long pooled = millisSince(t1);
            int total = counts.stream().mapToInt(Integer::intValue).sum();
            long t2 = System.nanoTime();
            int here = countPrimes(0, limit);
            long alone = millisSince(t2);
            System.out.printf("map: %,d primes below %,d in %d ranges: %d ms in the pool, %d ms in this JVM alone%n",
                    total, limit, parts.size(), pooled, alone);
            if (total != here) {
                throw new IllegalStateException("pool counted " + total + " primes, this JVM " + here);
            }

            // imapUnordered: results as they complete
            int seen = 0;
            try (ResultIterator<Long> pids = pool.imapUnordered(p -> {
                countPrimes(p[0], p[1]);
                return ProcessHandle.current().pid();
            }, parts)) {
                List<Long> firstFew = new ArrayList<>();
                for (long pid : pids) {
                    if (seen++ < 5) {
                        firstFew.add(pid);
                    }
                }
                System.out.printf("imapUnordered: %d results as they completed; the first came from workers %s%n",
                        seen, firstFew);
            }

            // applyAsync with a callback, run in this JVM when the result arrives
            CountDownLatch called = new CountDownLatch(1);
            pool.applyAsync((Integer n) -> countPrimes(0, n), 1000,
                    n -> {
                        System.out.printf("applyAsync callback: %d primes below 1000%n", n);
                        called.countDown();
                    },
                    e -> System.out.println("applyAsync failed: " + e));
            called.await(30, TimeUnit.SECONDS);

            // a worker killed with SIGKILL in the middle of a task (which tells us its pid in a file)
            Path pidFile = Files.createTempFile("pool-demo-", ".pid");
            String pidPath = pidFile.toString();
            Future<Long> doomed = pool.submit(() -> {
                Files.writeString(Paths.get(pidPath), Long.toString(ProcessHandle.current().pid()));
                Thread.sleep(60_000);
                return 0L;
            });
            long victim = awaitPid(pidFile);
            Files.deleteIfExists(pidFile);
            long killedAt = System.nanoTime();
            ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
            try {
                doomed.get(10, TimeUnit.SECONDS);
                throw new IllegalStateException("a task whose worker was killed succeeded");
            } catch (ExecutionException e) {
                System.out.printf("kill -9 %d: its task failed after %d ms with %s%n", victim, millisSince(killedAt),
                        e.getCause());
            }
            int again = pool.map(p -> countPrimes(p[0], p[1]), parts).stream().mapToInt(Integer::intValue).sum();
            System.out.printf("the pool went on: %,d primes again; workers now %s%n", again, pool.workerPids());
            if (again != total) {
                throw new IllegalStateException("second count " + again + " != " + total);
            }
            last = pool.workerPids();
        }
        List<Long> alive = last.stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .collect(Collectors.toList());
        if (!alive.isEmpty()) {
            throw new IllegalStateException("worker JVMs still running after close: " + alive);
        }
        System.out.println("pool closed: worker JVMs " + last + " have exited and the pool's segment is removed");
    }

    private static long awaitPid(Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String text = Files.readString(file).trim();
            if (!text.isEmpty()) {
                return Long.parseLong(text);
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the task did not start within 30 s");
    }

    /** @return how many primes p satisfy from <= p < to (trial division: deliberately CPU-bound) */
    static int countPrimes(int from, int to) {
        int count = 0;
        for (int n = Math.max(2, from); n < to; n++) {
            boolean prime = true;
            for (int d = 2; (long) d * d <= n; d++) {
                if (n % d == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                count++;
            }
        }
        return count;
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
