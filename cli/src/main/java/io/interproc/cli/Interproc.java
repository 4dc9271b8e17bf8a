package io.interproc.cli;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.InterprocException;
import io.interproc.core.Segment;
import io.interproc.core.SegmentOptions;

import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code interproc} command: {@code ls}, {@code inspect}, {@code rm} and {@code gc} of the
 * segments in a directory. {@link #main} exits with the code {@link #run} returns; tests call
 * {@link #run} in-process.
 *
 * <p>Exit codes: {@link #OK} 0 success; {@link #FAILED} 1 not found, refused (live processes,
 * permissions) or failed; {@link #USAGE} 2 usage error; {@link #CORRUPT} 3 corrupt segment.
 * Errors go to standard error as {@code interproc: <message>}.
 */
public final class Interproc {
    /** Exit code: success. */
    public static final int OK = 0;
    /** Exit code: the segment was not found, the operation was refused, or it failed. */
    public static final int FAILED = 1;
    /** Exit code: the command line is wrong. */
    public static final int USAGE = 2;
    /** Exit code: a segment (or an object in it) is corrupt. */
    public static final int CORRUPT = 3;

    static final String EXIT_CODES = """
            Exit codes:
              0  success
              1  not found, or refused (live processes, permissions), or failed
              2  usage error
              3  corrupt segment
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final int maxRefreshes;

    /**
     * @param out standard output
     * @param err standard error
     * @param maxRefreshes how many times {@code inspect --watch} refreshes before returning (tests
     *     set a small number; the command never stops by itself)
     */
    Interproc(PrintStream out, PrintStream err, int maxRefreshes) {
        this.out = out;
        this.err = err;
        this.maxRefreshes = maxRefreshes;
    }

    /**
     * Runs the command and exits the JVM with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /**
     * Runs the command in this JVM.
     *
     * @param args the command line, e.g. {@code ["--dir", "/tmp/segs", "inspect", "orders", "--json"]}
     * @param out where results go
     * @param err where errors go, as {@code interproc: <message>}
     * @return the exit code: {@link #OK}, {@link #FAILED}, {@link #USAGE} or {@link #CORRUPT}
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new Interproc(out, err, Integer.MAX_VALUE).execute(args);
    }

    int execute(String[] args) {
        try {
            return dispatch(parse(args));
        } catch (CliException e) {
            err.println("interproc: " + e.getMessage());
            return e.code();
        } catch (CorruptSegmentException e) {
            err.println("interproc: " + e.getMessage());
            return CORRUPT;
        } catch (InterprocException e) {
            err.println("interproc: " + e.getMessage());
            return FAILED;
        } catch (RuntimeException e) {
            err.println("interproc: unexpected error: " + e);
            return FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    // ---------------------------------------------------------------- command line

    /** A parsed command line: the global options, the command and its own arguments. */
    record Invocation(String command, Path directory, boolean explicitDirectory, boolean help, List<String> args) {
        SegmentOptions options() {
            return SegmentOptions.defaults().withDirectory(directory);
        }
    }

    /**
     * Splits off the global options ({@code --dir}, {@code --help}) wherever they are; the first
     * other word that is not an option is the command. After {@code --}, every word is an argument.
     */
    private static Invocation parse(String[] args) {
        String command = null;
        Path dir = null;
        boolean help = false;
        boolean literal = false;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (literal) {
                if (command == null) {
                    command = a;
                } else {
                    rest.add(a);
                }
            } else if (a.equals("--")) {
                literal = true;
                rest.add(a);
            } else if (a.equals("--dir") || a.startsWith("--dir=")) {
                String value;
                if (a.equals("--dir")) {
                    if (i + 1 >= args.length) {
                        throw CliException.usage(null, "--dir needs a PATH");
                    }
                    value = args[++i];
                } else {
                    value = a.substring("--dir=".length());
                }
                if (value.isEmpty()) {
                    throw CliException.usage(null, "--dir needs a PATH");
                }
                try {
                    dir = Paths.get(value);
                } catch (InvalidPathException e) {
                    throw CliException.usage(null, "invalid --dir PATH '" + value + "': " + e.getReason());
                }
            } else if (a.equals("-h") || a.equals("--help")) {
                help = true;
            } else if (command == null && !a.startsWith("-")) {
                command = a;
            } else {
                rest.add(a);
            }
        }
        boolean explicit = dir != null;
        return new Invocation(command, explicit ? dir : SegmentOptions.defaultDirectory(), explicit, help, rest);
    }

    private int dispatch(Invocation inv) {
        if (inv.command() == null) {
            if (inv.help()) {
                out.print(Help.general());
                return OK;
            }
            if (!inv.args().isEmpty() && inv.args().get(0).startsWith("-")) {
                throw CliException.usage(null, "unknown option '" + inv.args().get(0) + "'");
            }
            err.print(Help.general());
            throw CliException.usage(null, "missing COMMAND");
        }
        String command = inv.command();
        if (command.equals("help")) {
            if (inv.args().size() > 1) {
                throw CliException.usage("help", "unexpected argument '" + inv.args().get(1) + "'");
            }
            String topic = inv.args().isEmpty() ? null : inv.args().get(0);
            if (topic == null) {
                out.print(Help.general());
                return OK;
            }
            out.print(Help.of(topic));
            return OK;
        }
        if (!Help.COMMANDS.contains(command)) {
            throw CliException.usage(null, "unknown command '" + command + "'");
        }
        if (inv.help()) {
            out.print(Help.of(command));
            return OK;
        }
        Commands commands = new Commands(inv, out, maxRefreshes);
        return switch (command) {
            case "ls" -> commands.ls();
            case "inspect" -> commands.inspect();
            case "rm" -> commands.rm();
            case "gc" -> commands.gc();
            default -> throw new IllegalStateException("command=" + command);
        };
    }

    /** Checks a segment name given on the command line. */
    static void checkName(String command, String name) {
        if (!Segment.isValidName(name)) {
            throw CliException.usage(command, "invalid segment name '" + name
                    + "': it must match [A-Za-z0-9._-]{1,128} and not be . or ..");
        }
    }

    /** @return a size in bytes for people: {@code 512 B}, {@code 16.0 KiB}, {@code 1.5 MiB} */
    static String bytes(long n) {
        if (n < 0) {
            return "-";
        }
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
