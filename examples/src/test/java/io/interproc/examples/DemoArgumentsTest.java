package io.interproc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.cli.args.ArgParser;
import io.interproc.cli.args.ParsedArgs;
import io.interproc.cli.args.UsageException;
import io.interproc.core.testing.ChildJvms;
import io.interproc.process.JvmProcess;

import java.time.Duration;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The demos' command lines: each one's missing value, unknown option and bad number is a usage
 * error naming the option (the shared {@link ArgParser}), and a demo run with one exits with code
 * 2 and prints it with the usage line.
 */
class DemoArgumentsTest {
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    private static void assertUsage(String message, ArgParser parser, Function<ParsedArgs, ?> reader, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> reader.apply(parser.parse(args)));
        assertEquals(message, e.getMessage());
    }

    /** A missing value, an unknown option and a bad number for a demo whose number option is {@code option}. */
    private static void checkDemo(ArgParser parser, Function<ParsedArgs, ?> reader, String option) {
        assertUsage(option + " needs N", parser, reader, option);
        assertUsage("unknown option '--bogus'", parser, reader, "--bogus", "1");
        assertUsage(option + " needs a whole number, not 'many'", parser, reader, option, "many");
    }

    @Test
    void shouldReportUsageErrorsOfEveryDemo() {
        checkDemo(CounterDemo.ARGS, CounterDemo::options, "--jvms");
        checkDemo(CounterDemo.ARGS, CounterDemo::options, "--increments");
        checkDemo(OrderedStartupDemo.ARGS, OrderedStartupDemo::services, "--services");
        checkDemo(PipePingPongDemo.ARGS, PipePingPongDemo::rounds, "--rounds");
        checkDemo(PoolDemo.ARGS, PoolDemo::options, "--workers");
        checkDemo(PoolDemo.ARGS, PoolDemo::options, "--limit");
        checkDemo(ProducerConsumerDemo.ARGS, ProducerConsumerDemo::options, "--messages");
        checkDemo(ProducerConsumerDemo.ARGS, ProducerConsumerDemo::options, "--consumers");
        checkDemo(WorkerFleetDemo.ARGS, WorkerFleetDemo::options, "--jobs");
        assertUsage("unknown option '--bogus'", LockRecoveryDemo.ARGS, a -> a, "--bogus");
        assertUsage("unexpected argument 'x'", LockRecoveryDemo.ARGS, a -> a, "x");
        assertUsage("--size must be from 16 to 16777216, not '8'", ProducerConsumerDemo.ARGS,
                ProducerConsumerDemo::options, "--size", "8");
        assertEquals(new CounterDemo.Options(2, 100), CounterDemo.options(CounterDemo.ARGS.parse("--jvms", "2",
                "--increments=100")));
    }

    @Test
    void shouldExitWithCodeTwoAndTheUsageOnAMissingValue() throws Exception {
        JvmProcess p = children.start(Examples.class, "counter", "--jvms");
        assertTrue(p.join(Duration.ofSeconds(60)), "demo did not exit");
        assertEquals(2, p.exitCode(), p.errorOutput());
        assertEquals("counter: --jvms needs N\nusage: counter [--jvms N] [--increments N]\n", p.errorOutput());
    }
}
