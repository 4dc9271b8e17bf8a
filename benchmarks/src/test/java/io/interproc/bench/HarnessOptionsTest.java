package io.interproc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.cli.args.UsageException;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The harness's command line through the shared parser: values, and usage errors naming the option. */
class HarnessOptionsTest {
    private static void assertUsage(String message, String... args) {
        assertEquals(message, assertThrows(UsageException.class, () -> HarnessOptions.parse(args)).getMessage());
    }

    @Test
    void shouldReadTheOptions() {
        HarnessOptions o = HarnessOptions.parse("--quick", "--only", "queue,pipe", "--out=x", "--python", "py");
        assertTrue(o.quick());
        assertEquals(List.of("queue", "pipe"), o.only());
        assertEquals(Path.of("x"), o.out());
        assertEquals("py", o.python());
        assertEquals("--quick --only queue,pipe --out=x --python py", o.commandLine());
        assertTrue(o.selects("queue-spsc") && !o.selects("lock"));
    }

    @Test
    void shouldReportAMissingValue() {
        assertUsage("--out needs DIR", "--out");
        assertUsage("--only needs ID,...", "--quick", "--only");
    }

    @Test
    void shouldReportAnUnknownOption() {
        assertUsage("unknown option '--fast'", "--fast");
        assertUsage("unexpected argument 'quick'", "quick");
    }

    @Test
    void shouldReportAnEmptyValue() { // the harness takes no numbers: the bad value it can get is an empty one
        assertUsage("--python needs a non-empty value", "--python=");
    }
}
