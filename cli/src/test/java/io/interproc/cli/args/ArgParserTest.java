package io.interproc.cli.args;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The shared parser: values in both spellings, several values, optional values, and each usage error. */
class ArgParserTest {
    private static ArgParser parser() {
        return new ArgParser("prog", "prog [--quick] [--n N] [--range MIN MAX] [--watch [S]] [ARG...]").help()
                .flag("--quick", "-q").option("--n", "N").option("--range", "MIN", "MAX")
                .optionalValue("--watch", "S", w -> w.matches("[0-9]+")).arguments();
    }

    private static UsageException usage(String option, String message, Executable call) {
        UsageException e = assertThrows(UsageException.class, call);
        assertEquals(message, e.getMessage());
        assertEquals(option, e.option());
        return e;
    }

    @Test
    void shouldReadFlagsValuesAndArguments() {
        ParsedArgs a = parser().parse("-q", "--n", "5", "x", "--range", "1", "-2", "--", "--n");
        assertTrue(a.has("--quick"));
        assertEquals(5, a.intValue("--n", 0, 1, 10));
        assertEquals(List.of("1", "-2"), a.values("--range"));
        assertEquals(-2, a.intValueAt("--range", 1, -5, 5));
        assertEquals(List.of("x", "--n"), a.arguments());
        assertEquals(7, parser().parse("--n=7").intValue("--n", 0, 1, 10));
        assertEquals(3, parser().parse().intValue("--n", 3, 1, 10));
        assertEquals(1_000_000L, parser().parse("--n", "1_000_000").longValue("--n", 0, 1, Long.MAX_VALUE));
        assertFalse(parser().parse("--n", "1").has("--quick"));
    }

    @Test
    void shouldTakeAnOptionalValueOnlyWhenItLooksLikeOne() {
        ParsedArgs bare = parser().parse("--watch", "name");
        assertTrue(bare.has("--watch"));
        assertNull(bare.value("--watch"));
        assertEquals(List.of("name"), bare.arguments());
        ParsedArgs separate = parser().parse("--watch", "5");
        assertEquals("5", separate.value("--watch"));
        assertTrue(separate.valueWasSeparateWord("--watch"));
        ParsedArgs joined = parser().parse("--watch=0.5");
        assertEquals("0.5", joined.value("--watch"));
        assertFalse(joined.valueWasSeparateWord("--watch"));
    }

    @Test
    void shouldNameTheOptionOfAMissingValue() {
        usage("--n", "--n needs N", () -> parser().parse("--n"));
        usage("--range", "--range needs MIN MAX, got only 1", () -> parser().parse("--range", "1"));
        usage("--range", "--range needs MIN MAX as separate words", () -> parser().parse("--range=1"));
    }

    @Test
    void shouldNameAnUnknownOption() {
        usage("--nope", "unknown option '--nope'", () -> parser().parse("--nope"));
        usage("--nope", "unknown option '--nope=1'", () -> parser().parse("--nope=1"));
        usage("--quick", "unknown option '--quick=yes'", () -> parser().parse("--quick=yes"));
        usage(null, "unexpected argument 'x'", () -> new ArgParser("p", "p").parse("x"));
    }

    @Test
    void shouldNameTheOptionOfABadNumber() {
        usage("--n", "--n needs a whole number, not 'five'", () -> parser().parse("--n", "five").intValue("--n", 0, 1, 10));
        usage("--n", "--n must be from 1 to 10, not '11'", () -> parser().parse("--n", "11").intValue("--n", 0, 1, 10));
        usage("--n", "--n must be at least 1, not '0'",
                () -> parser().parse("--n", "0").longValue("--n", 0, 1, Long.MAX_VALUE));
        usage("--n", "--n must be from 1 to 2147483647, not '99999999999'",
                () -> parser().parse("--n", "99999999999").intValue("--n", 0, 1, Integer.MAX_VALUE));
        usage("--n", "--n needs a whole number, not '1.5'", () -> parser().parse("--n=1.5").intValue("--n", 0, 1, 9));
    }

    @Test
    void shouldPrintTheErrorWithTheUsageLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ArgParser p = parser();
        UsageException e = assertThrows(UsageException.class, () -> p.parse("--n"));
        p.printError(e, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("prog: --n needs N\nusage: " + p.usage() + "\n", bytes.toString(StandardCharsets.UTF_8));
        assertEquals(2, UsageException.EXIT_CODE);
    }

    @Test
    void shouldRefuseBadDeclarations() {
        assertThrows(IllegalArgumentException.class, () -> new ArgParser("p", "p").flag("x"));
        assertThrows(IllegalArgumentException.class, () -> new ArgParser("p", "p").flag("--a").option("--a", "V"));
        assertThrows(IllegalArgumentException.class, () -> new ArgParser("p", "p").option("--a", new String[0]));
    }
}
