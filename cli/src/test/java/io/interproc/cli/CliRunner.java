package io.interproc.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the command in-process and captures what it prints. */
final class CliRunner {
    /** What one run returned and printed. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private CliRunner() {
    }

    /** Runs {@code interproc --dir <dir> <args>}. */
    static Result run(Path dir, String... args) {
        List<String> all = new ArrayList<>(List.of("--dir", dir.toString()));
        all.addAll(List.of(args));
        return runRaw(Integer.MAX_VALUE, all.toArray(String[]::new));
    }

    /** Runs {@code interproc <args>}, {@code inspect --watch} stopping after {@code refreshes}. */
    static Result runRaw(int refreshes, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = refreshes == Integer.MAX_VALUE ? Interproc.run(args, o, e) : new Interproc(o, e, refreshes).execute(args);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
