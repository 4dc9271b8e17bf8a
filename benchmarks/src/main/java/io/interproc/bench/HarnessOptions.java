package io.interproc.bench;

import io.interproc.cli.args.ArgParser;
import io.interproc.cli.args.ParsedArgs;
import io.interproc.cli.args.UsageException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The harness's command line (see {@link Harness} for what each option means), parsed.
 *
 * @param quick {@code --quick}: a smoke run
 * @param check {@code --check}: exit 1 unless every figure is present
 * @param out {@code --out DIR}, or the default folder of the mode
 * @param only {@code --only}: the scenario id prefixes to run, empty for all
 * @param python {@code --python EXE}
 * @param commandLine the arguments as given, for the report
 */
record HarnessOptions(boolean quick, boolean check, Path out, List<String> only, String python, String commandLine) {
    /** The command line, as the shared parser reads it. */
    static final ArgParser ARGS = new ArgParser("Harness",
            "Harness [--quick] [--check] [--out DIR] [--only ID,...] [--python EXE]").help()
            .flag("--quick").flag("--check").option("--out", "DIR").option("--only", "ID,...").option("--python", "EXE");

    /**
     * For {@code main}: parses, or prints the usage error and exits 2 (exits 0 after printing the
     * usage for {@code --help}).
     *
     * @param args the command line
     * @return the options
     */
    static HarnessOptions parseOrExit(String[] args) {
        return ARGS.parseOrExit(args, a -> of(a, args));
    }

    /**
     * @param args the command line
     * @return the options
     * @throws UsageException on an unknown option, an option without its value, or an empty one
     */
    static HarnessOptions parse(String... args) {
        return of(ARGS.parse(args), args);
    }

    private static HarnessOptions of(ParsedArgs a, String[] args) {
        Path out = a.has("--out") ? Path.of(nonEmpty(a, "--out")) : null;
        List<String> only = a.has("--only") ? List.of(nonEmpty(a, "--only").split(",")) : List.of();
        String python = a.has("--python") ? nonEmpty(a, "--python") : "python3";
        boolean quick = a.has("--quick");
        Path module = Files.isRegularFile(Path.of("benchmarks", "pom.xml")) ? Path.of("benchmarks") : Path.of(".");
        if (out == null) {
            out = quick ? module.resolve("target").resolve("results-quick") : module.resolve("results");
        }
        return new HarnessOptions(quick, a.has("--check"), out, only, python, String.join(" ", args));
    }

    private static String nonEmpty(ParsedArgs a, String option) {
        String v = a.value(option);
        if (v.isEmpty()) {
            throw new UsageException(option, option + " needs a non-empty value");
        }
        return v;
    }

    /** @return whether {@code --only} selects the scenario (or scenario family) {@code id} */
    boolean selects(String id) {
        return only.isEmpty() || only.stream().anyMatch(id::startsWith);
    }
}
