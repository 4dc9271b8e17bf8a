package io.interproc.cli;

import io.interproc.core.SegmentOptions;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The help texts: the general help, made of the overview and every command's
 * {@link Command#synopsis() synopsis} and {@link Command#summary() summary}; and a command's help,
 * its {@link Command#page() page} followed by the global options and the exit codes.
 */
final class Help {
    /** The commands that have a help page, in the order the help lists them. */
    static final List<String> COMMANDS = Commands.ALL.stream().filter(c -> c.page() != null).map(Command::name)
            .collect(Collectors.toUnmodifiableList());

    /** Width of the synopsis column of the general help's command list. */
    private static final int SYNOPSIS_WIDTH = 14;

    private static final String GLOBAL = """
            Global options (anywhere on the line):
              --dir PATH    segment directory; default: %s
                            (set by -Dinterproc.dir or INTERPROC_DIR, else /dev/shm/interproc-<user>)
              -h, --help    show this help
            """;

    private Help() {
    }

    private static String global() {
        return GLOBAL.formatted(SegmentOptions.defaultDirectory());
    }

    /** @return the help of {@code interproc} itself */
    static String general() {
        return """
                Usage: interproc [--dir PATH] COMMAND [OPTIONS]

                Look at and clean up interproc segments: the shared-memory files through which
                JVMs on this machine share locks, queues, pipes and values.

                Commands:
                """ + commandList() + "\n" + global() + "\n" + Interproc.EXIT_CODES + """

                Run 'interproc COMMAND --help' for the options of a command.
                """;
    }

    /** @return one entry per command: the synopsis, padded, then the summary; its further lines indented below */
    private static String commandList() {
        String indent = " ".repeat(2 + SYNOPSIS_WIDTH + 2);
        StringBuilder sb = new StringBuilder();
        for (Command command : Commands.ALL) {
            String synopsis = command.synopsis();
            sb.append("  ").append(synopsis).append(" ".repeat(SYNOPSIS_WIDTH - synopsis.length())).append("  ")
                    .append(command.summary().replace("\n", "\n" + indent)).append('\n');
        }
        return sb.toString();
    }

    /**
     * @param topic a command name
     * @return its help
     * @throws CliException a usage error if there is no such command with a help page
     */
    static String of(String topic) {
        Command command = Commands.named(topic);
        if (command == null || command.page() == null) {
            throw CliException.usage(null, "unknown command '" + topic + "'");
        }
        return of(command);
    }

    /**
     * @param command a command with a help page
     * @return its page, the global options and the exit codes
     */
    static String of(Command command) {
        return command.page() + "\n" + global() + "\n" + Interproc.EXIT_CODES;
    }
}
