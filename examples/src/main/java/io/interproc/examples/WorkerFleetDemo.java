package io.interproc.examples;

import io.interproc.cli.args.ArgParser;
import io.interproc.cli.args.ParsedArgs;
import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.ipc.queue.JoinableQueue;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.process.JvmProcess;
import io.interproc.sync.SharedEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fleet of worker JVMs fed jobs through a {@link JoinableQueue}: the supervisor (this JVM) puts
 * the jobs, waits with {@code join()} until every one is marked done, gathers the results from a
 * second queue, and then stops the fleet gracefully with a {@link SharedEvent} — the stop-flag
 * pattern (Python: {@code event.set()} checked by workers between jobs).
 *
 * <p>Flags: {@code --workers N} (default 3), {@code --jobs N} (default 1,000).
 */
public final class WorkerFleetDemo {
    private WorkerFleetDemo() {
    }

    /** The command line: {@code worker-fleet [--workers N] [--jobs N]}. */
    static final ArgParser ARGS = new ArgParser("worker-fleet", "worker-fleet [--workers N] [--jobs N]").help()
            .option("--workers", "N").option("--jobs", "N");

    /** The demo's options. */
    record Options(int workers, int jobs) {
    }

    /** @throws io.interproc.cli.args.UsageException on a bad value */
    static Options options(ParsedArgs a) {
        return new Options(a.intValue("--workers", 3, 1, 1024), a.intValue("--jobs", 1_000, 1, Integer.MAX_VALUE));
    }

    /**
     * @param args flags
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Options options = ARGS.parseOrExit(args, WorkerFleetDemo::options);
        int workers = options.workers();
        int jobs = options.jobs();
        String name = "demo-fleet-" + ProcessHandle.current().pid();
        try (Segment segment = Segment.create(name, 8 << 20)) {
            try {
                JoinableQueue<Long> work = JoinableQueue.create(segment, "jobs", 64 << 10, Codec.longs());
                SharedQueue<String> results = SharedQueue.create(segment, "results", 1 << 20, Codec.utf8());
                SharedEvent stop = SharedEvent.create(segment, "stop");
                List<JvmProcess> fleet = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    fleet.add(JvmProcess.builder(Worker.class).args(name).start());
                }
                long start = System.nanoTime();
                for (long job = 1; job <= jobs; job++) {
                    work.put(job);
                }
                if (!work.join(2, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("jobs not done in time: unfinished=" + work.unfinishedTasks());
                }
                System.out.printf("%,d jobs done by %d worker JVMs in %.0f ms (join() returned)%n", jobs, workers,
                        (System.nanoTime() - start) / 1e6);
                long sum = 0;
                java.util.Map<String, Integer> perWorker = new java.util.TreeMap<>();
                for (int i = 0; i < jobs; i++) {
                    String[] r = results.take().split(" ");
                    perWorker.merge("pid " + r[0], 1, Integer::sum);
                    sum += Long.parseLong(r[1]);
                }
                long expected = 0;
                for (long job = 1; job <= jobs; job++) {
                    expected += job * job;
                }
                System.out.printf("results: %s; sum of squares %d (%s)%n", perWorker, sum,
                        sum == expected ? "correct" : "WRONG, expected " + expected);
                stop.set();
                for (JvmProcess p : fleet) {
                    p.join();
                    System.out.printf("worker pid %d stopped on the event, exit code %d%n", p.pid(), p.exitCode());
                }
            } finally {
                segment.unlink();
            }
        }
    }

    /** A worker: takes jobs until the stop event is set. Args: segment. */
    public static final class Worker {
        private Worker() {
        }

        /**
         * @param args segment
         * @throws Exception on failure
         */
        public static void main(String[] args) throws Exception {
            try (Segment segment = Segment.open(args[0])) {
                JoinableQueue<Long> work = JoinableQueue.open(segment, "jobs", Codec.longs());
                SharedQueue<String> results = SharedQueue.open(segment, "results", Codec.utf8());
                SharedEvent stop = SharedEvent.open(segment, "stop");
                long pid = ProcessHandle.current().pid();
                while (!stop.isSet()) {
                    Long job = work.poll(100, TimeUnit.MILLISECONDS);
                    if (job == null) {
                        continue;
                    }
                    Thread.sleep(1); // the "work"
                    results.put(pid + " " + job * job);
                    work.taskDone();
                }
            }
        }
    }
}
