package io.interproc.stress.torture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.interproc.cli.args.UsageException;

import org.junit.jupiter.api.Test;

/** The torture runner's command line through the shared parser: values, and usage errors naming the option. */
class TortureRunnerOptionsTest {
    private static TortureRunner.Options parse(String... args) {
        return TortureRunner.options(TortureRunner.ARGS.parse(args));
    }

    private static void assertUsage(String message, String... args) {
        assertEquals(message, assertThrows(UsageException.class, () -> parse(args)).getMessage());
    }

    @Test
    void shouldReadTheOptions() {
        TortureRunner.Options o = parse("--seconds", "5", "--seed", "-7", "--kill-every-ms", "10", "20");
        assertEquals(new TortureRunner.Options(5, -7, 10, 20), o);
        assertEquals(60, parse("--seed", "1").seconds());
        assertEquals(200, parse("--seed", "1").minKillMillis());
    }

    @Test
    void shouldReportAMissingValue() {
        assertUsage("--seconds needs N", "--seconds");
        assertUsage("--kill-every-ms needs MIN MAX, got only 10", "--kill-every-ms", "10");
    }

    @Test
    void shouldReportAnUnknownOption() {
        assertUsage("unknown option '--minutes'", "--minutes", "3");
    }

    @Test
    void shouldReportABadNumber() {
        assertUsage("--seed needs a whole number, not 'abc'", "--seed", "abc");
        assertUsage("--seconds must be from 1 to 604800, not '0'", "--seconds", "0");
        assertUsage("--kill-every-ms needs MIN <= MAX, not 20 10", "--kill-every-ms", "20", "10");
    }
}
