package io.interproc.cli;

import io.interproc.core.SegmentOptions;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed command line: the global options, the command and its own arguments.
 *
 * @param command the command word, or {@code null} if there is none
 * @param directory the segment directory: {@code --dir}'s, else the default one
 * @param explicitDirectory whether {@code --dir} was given
 * @param help whether {@code -h} or {@code --help} was given
 * @param args the other words, in order: the command's own arguments
 */
record Invocation(String command, Path directory, boolean explicitDirectory, boolean help, List<String> args) {
    /** @return segment options for the directory */
    SegmentOptions options() {
        return SegmentOptions.defaults().withDirectory(directory);
    }

    /**
     * Splits off the global options ({@code --dir}, {@code --help}) wherever they are; the first
     * other word that is not an option is the command. After {@code --}, every word is an argument
     * (the {@code --} itself is kept in {@link #args}, for the command's own parsing).
     *
     * @param args the command line
     * @return the invocation
     * @throws CliException a usage error if {@code --dir} has no valid PATH
     */
    static Invocation parse(String[] args) {
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
                dir = directory(value);
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

    private static Path directory(String value) {
        if (value.isEmpty()) {
            throw CliException.usage(null, "--dir needs a PATH");
        }
        try {
            return Paths.get(value);
        } catch (InvalidPathException e) {
            throw CliException.usage(null, "invalid --dir PATH '" + value + "': " + e.getReason());
        }
    }
}
