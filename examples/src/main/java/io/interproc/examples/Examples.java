package io.interproc.examples;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of {@code interproc-examples.jar}: {@code java -jar interproc-examples.jar <demo> [flags]}.
 * With no demo, lists them.
 */
public final class Examples {
    private Examples() {
    }

    /** The demos, by command name. */
    static Map<String, Demo> demos() {
        Map<String, Demo> demos = new LinkedHashMap<>();
        demos.put("producer-consumer", new Demo(ProducerConsumerDemo.class,
                "a producer JVM and consumer JVMs over a SharedQueue, verified exactly-once (the main job)"));
        demos.put("counter", new Demo(CounterDemo.class,
                "a counter updated from several JVMs under a SharedLock and with SharedLong atomics"));
        demos.put("pipe-ping-pong", new Demo(PipePingPongDemo.class,
                "a Pipe ping-pong between two JVMs, printing the round-trip time"));
        demos.put("worker-fleet", new Demo(WorkerFleetDemo.class,
                "worker JVMs fed through a JoinableQueue, joined, then stopped by a SharedEvent"));
        demos.put("ordered-startup", new Demo(OrderedStartupDemo.class,
                "several JVMs start up in order behind a SharedBarrier"));
        demos.put("lock-recovery", new Demo(LockRecoveryDemo.class,
                "a lock whose holder JVM is killed with SIGKILL, recovered by another JVM"));
        demos.put("pool", new Demo(PoolDemo.class, "a ProcessPool of worker JVMs: map, imap, callbacks, a worker killed mid-task"));
        demos.put("logging", new Demo(LoggingDemo.class, "4 worker JVMs logging to one file through one queue, one killed"));
        demos.put("results-collector", new Demo(ResultsCollectorDemo.class,
                "apply_async + callback into a SharedList, counts in a SharedMap (Python's Manager pattern)"));
        return demos;
    }

    /** A runnable demo. */
    record Demo(Class<?> main, String description) {
    }

    /**
     * @param args demo name, then its flags
     * @throws Exception if the demo fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, Demo> demos = demos();
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || !demos.containsKey(args[0])) {
            if (args.length > 0 && !args[0].startsWith("-")) {
                System.err.println("unknown demo: " + args[0]);
            }
            System.err.println("usage: java -jar interproc-examples.jar <demo> [flags]   (<demo> --help for its flags)");
            demos.forEach((name, d) -> System.err.printf("  %-20s %s%n", name, d.description()));
            System.exit(args.length == 0 || args[0].startsWith("-") ? 0 : 2);
        }
        demos.get(args[0]).main().getMethod("main", String[].class)
                .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
