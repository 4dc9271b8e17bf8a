package io.interproc.cli;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.InterprocException;

import java.io.PrintStream;

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
            return dispatch(Invocation.parse(args));
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

    /*
     * How a command line runs: Invocation.parse splits off the global options; dispatch answers a
     * missing command, looks the command up in Commands.ALL, answers --help with its page (Help),
     * or runs it. Each command parses its own arguments with Arguments and prints through
     * Context.out; errors come back as CliException (exit code and message) and are printed by
     * execute.
     */
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
        Command command = Commands.named(inv.command());
        if (command == null) {
            throw CliException.usage(null, "unknown command '" + inv.command() + "'");
        }
        if (inv.help() && command.page() != null) {
            out.print(Help.of(command));
            return OK;
        }
        return command.run(new Command.Context(inv, out, maxRefreshes));
    }
}
