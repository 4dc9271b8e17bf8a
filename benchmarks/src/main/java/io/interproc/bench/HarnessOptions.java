package io.interproc.bench;

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
    /** Printed to stderr on an unknown option; the harness then exits 2. */
    static final String USAGE = "usage: Harness [--quick] [--check] [--out DIR] [--only ID,...] [--python EXE]";

    /**
     * @param args the command line
     * @return the options, or null on an unknown option (an option missing its value throws
     *     {@link ArrayIndexOutOfBoundsException})
     */
    static HarnessOptions parse(String[] args) {
        boolean quick = false;
        boolean check = false;
        Path out = null;
        List<String> only = List.of();
        String python = "python3";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick":
                    quick = true;
                    break;
                case "--check":
                    check = true;
                    break;
                case "--out":
                    out = Path.of(args[++i]);
                    break;
                case "--only":
                    only = List.of(args[++i].split(","));
                    break;
                case "--python":
                    python = args[++i];
                    break;
                default:
                    return null;
            }
        }
        Path module = Files.isRegularFile(Path.of("benchmarks", "pom.xml")) ? Path.of("benchmarks") : Path.of(".");
        if (out == null) {
            out = quick ? module.resolve("target").resolve("results-quick") : module.resolve("results");
        }
        return new HarnessOptions(quick, check, out, only, python, String.join(" ", args));
    }

    /** @return whether {@code --only} selects the scenario (or scenario family) {@code id} */
    boolean selects(String id) {
        return only.isEmpty() || only.stream().anyMatch(id::startsWith);
    }
}
