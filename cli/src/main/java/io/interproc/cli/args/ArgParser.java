package io.interproc.cli.args;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The one command-line parser of interproc's programs (the {@code interproc} command, the demos,
 * the benchmark harness, the torture runner): declare the options, then {@link #parse} a command
 * line into {@link ParsedArgs}. Every mistake is a {@link UsageException} naming the option and
 * what was wrong — never an {@link ArrayIndexOutOfBoundsException} or a
 * {@link NumberFormatException}. {@link #parseOrExit} prints it with the usage line and exits
 * with code 2.
 *
 * <pre>{@code
 * ArgParser parser = new ArgParser("counter", "counter [--jvms N] [--increments N]")
 *         .option("--jvms", "N").option("--increments", "N");
 * ParsedArgs a = parser.parseOrExit(args);
 * int jvms = a.intValue("--jvms", 3, 1, 64);
 * }</pre>
 *
 * <p>Syntax: {@code --name VALUE} or {@code --name=VALUE} for an option with one value,
 * {@code --name V1 V2} for one with more; a flag takes none. After {@code --}, every word is an
 * argument. A word starting with {@code -} (other than {@code -} itself) that is not declared, or
 * a flag written with {@code =VALUE}, is an unknown option (the message quotes the whole word). An
 * option given twice keeps its last values.
 *
 * <p>Not thread-safe while being configured; {@link #parse} may then be called by any thread.
 */
public final class ArgParser {
    private static final String HELP = "--help";
    private final String program;
    private final String usage;
    /** Each declared name (aliases too) to its spec. */
    private final Map<String, Spec> specs = new LinkedHashMap<>();
    private boolean arguments;

    /** One declared option: its canonical name, how many values, their labels, and an optional-value test. */
    record Spec(String name, int arity, List<String> labels, Predicate<String> optionalValue) {
    }

    /**
     * @param program the program's name, the prefix of error messages ({@code counter: ...})
     * @param usage the usage line, printed after an error ({@code counter [--jvms N]})
     */
    public ArgParser(String program, String usage) {
        this.program = Objects.requireNonNull(program, "program");
        this.usage = Objects.requireNonNull(usage, "usage");
    }

    /**
     * Declares a flag, an option without a value.
     *
     * @param name its name, e.g. {@code --quick}
     * @param aliases other names for it, e.g. {@code -h}; {@link ParsedArgs} knows it by {@code name}
     * @return this parser
     */
    public ArgParser flag(String name, String... aliases) {
        return declare(new Spec(name, 0, List.of(), null), aliases);
    }

    /**
     * Declares an option with one value.
     *
     * @param name its name, e.g. {@code --out}
     * @param label the value's name in messages, e.g. {@code DIR}
     * @return this parser
     */
    public ArgParser option(String name, String label) {
        return declare(new Spec(name, 1, List.of(label), null), new String[0]);
    }

    /**
     * Declares an option with several values, given as separate words ({@code --kill-every-ms 200 800}).
     *
     * @param name its name
     * @param labels the values' names in messages, one per value (at least one)
     * @return this parser
     */
    public ArgParser option(String name, String... labels) {
        if (labels.length == 0) {
            throw new IllegalArgumentException("option " + name + " needs at least one value label");
        }
        return declare(new Spec(name, labels.length, List.of(labels), null), new String[0]);
    }

    /**
     * Declares an option whose one value may be left out: {@code --name=VALUE}, or {@code --name}
     * followed by a word that {@code isValue} accepts, or {@code --name} alone (then
     * {@link ParsedArgs#value} is {@code null} and {@link ParsedArgs#has} true).
     *
     * @param name its name, e.g. {@code --watch}
     * @param label the value's name in messages
     * @param isValue whether the next word is its value
     * @return this parser
     */
    public ArgParser optionalValue(String name, String label, Predicate<String> isValue) {
        return declare(new Spec(name, 1, List.of(label), Objects.requireNonNull(isValue, "isValue")), new String[0]);
    }

    /**
     * Allows arguments (words that are not options); without this call, one is a usage error.
     *
     * @return this parser
     */
    public ArgParser arguments() {
        arguments = true;
        return this;
    }

    private ArgParser declare(Spec spec, String[] aliases) {
        put(spec.name(), spec);
        for (String alias : aliases) {
            put(alias, spec);
        }
        return this;
    }

    private void put(String name, Spec spec) {
        if (!name.startsWith("-") || name.length() < 2 || name.contains("=")) {
            throw new IllegalArgumentException("not an option name: '" + name + "'");
        }
        if (specs.putIfAbsent(name, spec) != null) {
            throw new IllegalArgumentException("option declared twice: " + name);
        }
    }

    /**
     * Parses a command line. Any thread may call this once the parser is configured.
     *
     * @param args the words
     * @return what they say
     * @throws UsageException on an unknown option, a missing value, or an argument where none is
     *     allowed
     */
    public ParsedArgs parse(String... args) {
        Objects.requireNonNull(args, "args");
        Map<String, List<String>> values = new LinkedHashMap<>();
        Map<String, Boolean> separate = new LinkedHashMap<>();
        List<String> words = new ArrayList<>();
        boolean literal = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (literal || arg.equals("-") || !arg.startsWith("-")) {
                if (!arguments) {
                    throw new UsageException(null, "unexpected argument '" + arg + "'");
                }
                words.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                literal = true;
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            Spec spec = specs.get(name);
            if (spec == null || (eq >= 0 && spec.arity() == 0)) {
                throw new UsageException(name, "unknown option '" + arg + "'");
            }
            List<String> given = new ArrayList<>(spec.arity());
            if (eq >= 0) {
                if (spec.arity() != 1) {
                    throw new UsageException(spec.name(), spec.name() + " needs " + String.join(" ", spec.labels())
                            + " as separate words");
                }
                given.add(arg.substring(eq + 1));
                separate.put(spec.name(), false);
            } else if (spec.optionalValue() != null) {
                boolean taken = i + 1 < args.length && spec.optionalValue().test(args[i + 1]);
                if (taken) {
                    given.add(args[++i]);
                }
                separate.put(spec.name(), taken);
            } else {
                for (int k = 0; k < spec.arity(); k++) {
                    if (i + 1 >= args.length) {
                        throw new UsageException(spec.name(), spec.name() + " needs " + String.join(" ", spec.labels())
                                + (k == 0 ? "" : ", got only " + String.join(" ", given)));
                    }
                    given.add(args[++i]);
                }
                separate.put(spec.name(), true);
            }
            values.put(spec.name(), given);
        }
        return new ParsedArgs(values, separate, words);
    }

    /**
     * Declares {@code --help} and {@code -h}: {@link #parseOrExit(String[], Function)} then prints
     * the usage line to standard output and exits with code 0.
     *
     * @return this parser
     */
    public ArgParser help() {
        return flag(HELP, "-h");
    }

    /**
     * For a program's {@code main}: {@link #parse}s, answers {@code --help} (if declared with
     * {@link #help()}) by printing the usage line to standard output and exiting with code 0, then
     * reads the options with {@code reader}; a usage error from either is printed and ends the JVM
     * with code 2, as {@link #parseOrExit(String...)}.
     *
     * @param args the words
     * @param reader turns the parsed words into the program's options; may throw
     *     {@link UsageException} (from {@link ParsedArgs}'s typed getters)
     * @param <T> the type of the program's options
     * @return the options
     */
    public <T> T parseOrExit(String[] args, Function<ParsedArgs, T> reader) {
        try {
            ParsedArgs parsed = parse(args);
            if (specs.containsKey(HELP) && parsed.has(HELP)) {
                System.out.println("usage: " + usage);
                System.out.flush();
                System.exit(0);
            }
            return reader.apply(parsed);
        } catch (UsageException e) {
            throw exit(e);
        }
    }

    /**
     * {@link #parse}, and on a usage error prints {@code <program>: <message>} and
     * {@code usage: <usage>} to standard error and exits the JVM with code 2
     * ({@link UsageException#EXIT_CODE}). For a program's {@code main}.
     *
     * @param args the words
     * @return what they say
     */
    public ParsedArgs parseOrExit(String... args) {
        try {
            return parse(args);
        } catch (UsageException e) {
            throw exit(e);
        }
    }

    /**
     * Prints a usage error as {@link #parseOrExit} does and exits the JVM with code 2; for errors
     * found after parsing ({@link ParsedArgs#intValue} and the like).
     *
     * @param e the error
     * @return never returns; declared so that callers can write {@code throw parser.exit(e)}
     */
    public RuntimeException exit(UsageException e) {
        printError(e, System.err);
        System.err.flush();
        System.exit(UsageException.EXIT_CODE);
        return e;
    }

    /**
     * Prints {@code <program>: <message>} and {@code usage: <usage>}.
     *
     * @param e the error
     * @param err where to print
     */
    public void printError(UsageException e, PrintStream err) {
        err.println(program + ": " + e.getMessage());
        err.println("usage: " + usage);
    }

    /** @return the usage line given to the constructor */
    public String usage() {
        return usage;
    }
}
