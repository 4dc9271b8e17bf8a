package io.interproc.cli;

import io.interproc.core.SegmentOptions;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One command of {@code interproc} ({@code ls}, {@code inspect}, ...): its name, its help, and
 * what it does. Each command is a class of its own; {@link Commands#ALL} lists them. A command
 * returns its exit code, or throws a {@link CliException} (or an {@code InterprocException}) that
 * {@link Interproc} prints and turns into one.
 */
interface Command {
    /** @return the word that selects the command, e.g. {@code inspect} */
    String name();

    /** @return the command and its operands as the general help lists it, e.g. {@code inspect NAME} */
    String synopsis();

    /** @return what the command does, for the general help; may span lines */
    String summary();

    /**
     * @return the command's help page (usage, description, options) without the global options and
     *     exit codes that {@link Help#of(Command)} appends; {@code null} if the command has no page
     *     of its own, in which case {@code --help} does not apply to it and it just runs
     */
    String page();

    /**
     * Runs the command.
     *
     * @param context the command line and where to print
     * @return the exit code
     */
    int run(Context context);

    /**
     * What a command runs with.
     *
     * @param invocation the parsed command line
     * @param out standard output
     * @param maxRefreshes how many times {@code inspect --watch} refreshes before returning
     */
    record Context(Invocation invocation, PrintStream out, int maxRefreshes) {
        /** @return the command's own arguments (global options removed) */
        List<String> args() {
            return invocation.args();
        }

        /** @return the segment directory */
        Path directory() {
            return invocation.directory();
        }

        /** @return segment options for the directory */
        SegmentOptions options() {
            return invocation.options();
        }

        /**
         * A directory given with {@code --dir} must exist; the default one may not exist yet (no
         * segments).
         *
         * @throws CliException ({@link Interproc#FAILED}) if a {@code --dir} given does not exist
         */
        void requireDirectory() {
            if (invocation.explicitDirectory() && !Files.isDirectory(directory())) {
                throw CliException.failed("no such directory: " + directory());
            }
        }
    }
}
