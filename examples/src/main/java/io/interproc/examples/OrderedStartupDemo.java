package io.interproc.examples;

import io.interproc.cli.args.ArgParser;
import io.interproc.cli.args.ParsedArgs;
import io.interproc.core.Segment;
import io.interproc.core.SharedLongArray;
import io.interproc.process.JvmProcess;
import io.interproc.sync.SharedBarrier;

import java.util.ArrayList;
import java.util.List;

/**
 * Ordered start-up of several JVMs with a {@link SharedBarrier}: each service JVM initialises
 * (for a random time), then waits at the barrier; the last to arrive runs the barrier action
 * ("all services ready"), and only then does any of them start serving. The JVMs print their
 * phases; the timestamps show that no one served before everyone was ready.
 *
 * <p>Flags: {@code --services N} (default 4).
 */
public final class OrderedStartupDemo {
    private OrderedStartupDemo() {
    }

    /** The command line: {@code ordered-startup [--services N]}. */
    static final ArgParser ARGS = new ArgParser("ordered-startup", "ordered-startup [--services N]").help()
            .option("--services", "N");

    /** @return {@code --services}; @throws io.interproc.cli.args.UsageException on a bad value */
    static int services(ParsedArgs a) {
        return a.intValue("--services", 4, 1, 1024);
    }

    /**
     * @param args flags
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int services = ARGS.parseOrExit(args, OrderedStartupDemo::services);
        String name = "demo-startup-" + ProcessHandle.current().pid();
        try (Segment segment = Segment.create(name, 1 << 20)) {
            try {
                SharedBarrier.create(segment, "ready", services);
                SharedLongArray times = SharedLongArray.create(segment, "times", services * 2 + 1);
                List<JvmProcess> jvms = new ArrayList<>();
                for (int i = 0; i < services; i++) {
                    jvms.add(JvmProcess.builder(Service.class).args(name, String.valueOf(i)).start());
                }
                for (JvmProcess p : jvms) {
                    p.join();
                }
                long actionAt = times.get(services * 2);
                boolean ordered = true;
                for (int i = 0; i < services; i++) {
                    ordered &= times.get(i * 2) <= actionAt && times.get(i * 2 + 1) >= actionAt;
                }
                System.out.println(ordered
                        ? "every service finished initialising before the action ran, and served only after it"
                        : "ORDER VIOLATED");
            } finally {
                segment.unlink();
            }
        }
    }

    /** Prints a whole line in one write, so lines of several JVMs on one terminal do not interleave. */
    static void say(String line) {
        System.out.print(line + System.lineSeparator());
        System.out.flush();
    }

    /** A service JVM. Args: segment, index. */
    public static final class Service {
        private Service() {
        }

        /**
         * @param args segment, index
         * @throws Exception on failure
         */
        public static void main(String[] args) throws Exception {
            int index = Integer.parseInt(args[1]);
            try (Segment segment = Segment.open(args[0])) {
                SharedLongArray times = SharedLongArray.open(segment, "times");
                int services = (times.length() - 1) / 2;
                SharedBarrier ready = SharedBarrier.open(segment, "ready", () -> {
                    times.set(services * 2, System.nanoTime());
                    say("  [action] all " + services + " services ready: go");
                });
                long init = 100 + java.util.concurrent.ThreadLocalRandom.current().nextLong(400);
                say(String.format("  service %d (pid %d) initialising for %d ms", index, ProcessHandle.current().pid(), init));
                Thread.sleep(init);
                times.set(index * 2, System.nanoTime());
                int arrival = ready.await();
                times.set(index * 2 + 1, System.nanoTime());
                say(String.format("  service %d serving (arrival index %d)", index, arrival));
            }
        }
    }
}
