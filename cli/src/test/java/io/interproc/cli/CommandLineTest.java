package io.interproc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.cli.CliRunner.Result;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Help, usage errors and their exit codes and messages. */
class CommandLineTest {
    @TempDir
    Path dir;

    private static void assertUsage(Result r, String message) {
        assertEquals(Interproc.USAGE, r.code(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertEquals("interproc: " + message + "\n", r.err(), r::toString);
    }

    @Test
    void shouldPrintTheGeneralHelpWithTheExitCodes() {
        for (String[] args : new String[][] {{"--help"}, {"-h"}, {"help"}}) {
            Result r = CliRunner.runRaw(Integer.MAX_VALUE, args);
            assertEquals(Interproc.OK, r.code(), r::toString);
            assertTrue(r.out().startsWith("Usage: interproc [--dir PATH] COMMAND [OPTIONS]\n"), r::toString);
            assertTrue(r.out().contains(Interproc.EXIT_CODES), r::toString);
            assertTrue(r.out().contains("  inspect NAME "), r::toString);
            assertEquals("", r.err());
        }
    }

    @Test
    void shouldPrintTheHelpOfEveryCommand() {
        for (String command : Help.COMMANDS) {
            for (String[] args : new String[][] {{command, "--help"}, {"--help", command}, {"help", command},
                    {"--dir", dir.toString(), command, "-h", "--json"}}) {
                Result r = CliRunner.runRaw(Integer.MAX_VALUE, args);
                assertEquals(Interproc.OK, r.code(), r::toString);
                assertTrue(r.out().startsWith("Usage: interproc [--dir PATH] " + command), r::toString);
                assertTrue(r.out().contains("--dir PATH"), r::toString);
                assertTrue(r.out().endsWith(Interproc.EXIT_CODES), r::toString);
            }
        }
        assertTrue(CliRunner.runRaw(Integer.MAX_VALUE, "inspect", "--help").out().contains("--watch [SECONDS]"));
        assertTrue(CliRunner.runRaw(Integer.MAX_VALUE, "rm", "--help").out().contains("--force"));
        assertTrue(CliRunner.runRaw(Integer.MAX_VALUE, "gc", "--help").out().contains("--dry-run"));
        assertTrue(CliRunner.runRaw(Integer.MAX_VALUE, "ls", "--help").out().contains("--json"));
    }

    @Test
    void shouldExitTwoWithoutACommand() {
        Result r = CliRunner.runRaw(Integer.MAX_VALUE);
        assertEquals(Interproc.USAGE, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("Usage: interproc"), r::toString);
        assertTrue(r.err().endsWith("interproc: missing COMMAND (run 'interproc --help')\n"), r::toString);
    }

    @Test
    void shouldExitTwoOnAnUnknownCommandOrOption() {
        assertUsage(CliRunner.run(dir, "frob"), "unknown command 'frob' (run 'interproc --help')");
        assertUsage(CliRunner.runRaw(Integer.MAX_VALUE, "help", "frob"), "unknown command 'frob' (run 'interproc --help')");
        assertUsage(CliRunner.run(dir, "--bogus"), "unknown option '--bogus' (run 'interproc --help')");
        assertUsage(CliRunner.run(dir, "ls", "--bogus"), "ls: unknown option '--bogus' (run 'interproc ls --help')");
        assertUsage(CliRunner.run(dir, "gc", "--force"), "gc: unknown option '--force' (run 'interproc gc --help')");
        assertUsage(CliRunner.run(dir, "ls", "--watch"), "ls: unknown option '--watch' (run 'interproc ls --help')");
        assertUsage(CliRunner.run(dir, "rm", "x", "--json"), "rm: unknown option '--json' (run 'interproc rm --help')");
    }

    @Test
    void shouldExitTwoOnMissingOrExtraArguments() {
        assertUsage(CliRunner.run(dir, "inspect"), "inspect: missing segment NAME (run 'interproc inspect --help')");
        assertUsage(CliRunner.run(dir, "rm"), "rm: missing segment NAME (run 'interproc rm --help')");
        assertUsage(CliRunner.run(dir, "rm", "a", "b"), "rm: unexpected argument 'b' (run 'interproc rm --help')");
        assertUsage(CliRunner.run(dir, "ls", "a"), "ls: unexpected argument 'a' (run 'interproc ls --help')");
        assertUsage(CliRunner.run(dir, "gc", "a"), "gc: unexpected argument 'a' (run 'interproc gc --help')");
        assertUsage(CliRunner.runRaw(Integer.MAX_VALUE, "ls", "--dir"), "--dir needs a PATH (run 'interproc --help')");
        assertUsage(CliRunner.runRaw(Integer.MAX_VALUE, "--dir=", "ls"), "--dir needs a PATH (run 'interproc --help')");
    }

    @Test
    void shouldExitTwoOnAnInvalidSegmentName() {
        assertUsage(CliRunner.run(dir, "inspect", "a/b"), "inspect: invalid segment name 'a/b': it must match "
                + "[A-Za-z0-9._-]{1,128} and not be . or .. (run 'interproc inspect --help')");
        assertUsage(CliRunner.run(dir, "rm", ".."), "rm: invalid segment name '..': it must match "
                + "[A-Za-z0-9._-]{1,128} and not be . or .. (run 'interproc rm --help')");
    }

    @Test
    void shouldExitTwoOnABadWatchPeriod() {
        assertUsage(CliRunner.run(dir, "inspect", "s", "--watch=soon"),
                "inspect: --watch needs a number of SECONDS, not 'soon' (run 'interproc inspect --help')");
        assertUsage(CliRunner.run(dir, "inspect", "s", "--watch", "0"),
                "inspect: --watch SECONDS must be 0.1 to 86400, not '0' (run 'interproc inspect --help')");
    }

    @Test
    void shouldExitOneForADirectoryThatDoesNotExist() {
        Path missing = dir.resolve("missing");
        for (String command : new String[] {"ls", "gc"}) {
            Result r = CliRunner.run(missing, command);
            assertEquals(Interproc.FAILED, r.code(), r::toString);
            assertEquals("interproc: no such directory: " + missing + "\n", r.err());
        }
        Result r = CliRunner.run(missing, "inspect", "s");
        assertEquals(Interproc.FAILED, r.code(), r::toString);
        assertEquals("interproc: segment 's' does not exist: path=" + missing.resolve("s") + "\n", r.err());
        assertTrue(!missing.toFile().exists(), "looking must not create the directory");
    }
}
