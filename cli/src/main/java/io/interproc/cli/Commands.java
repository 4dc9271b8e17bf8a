package io.interproc.cli;

import java.util.List;

/** The commands of {@code interproc}, in the order the general help lists them. */
final class Commands {
    /** Every command; a new command is a class implementing {@link Command}, added here. */
    static final List<Command> ALL = List.of(new LsCommand(), new InspectCommand(), new RmCommand(), new GcCommand(),
            new LogsCommand(), new HelpCommand());

    private Commands() {
    }

    /**
     * @param name a command name from the command line
     * @return the command of that name, or {@code null} if there is none
     */
    static Command named(String name) {
        for (Command command : ALL) {
            if (command.name().equals(name)) {
                return command;
            }
        }
        return null;
    }
}
