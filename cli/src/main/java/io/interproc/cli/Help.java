package io.interproc.cli;

import io.interproc.core.SegmentOptions;

import java.util.List;

/** The help texts of the command. */
final class Help {
    /** The commands, in the order the help lists them. */
    static final List<String> COMMANDS = List.of("ls", "inspect", "rm", "gc");

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
                  ls              list every segment: size, bytes used, attached processes
                  inspect NAME    show every object of a segment with its state, and the
                                  processes attached to it
                  rm NAME         remove a segment (refused while a live process is attached)
                  gc              remove every segment no live process is attached to
                  help [COMMAND]  show this help, or a command's

                """ + global() + "\n" + Interproc.EXIT_CODES + """

                Run 'interproc COMMAND --help' for the options of a command.
                """;
    }

    /**
     * @param command a command name
     * @return its help
     * @throws CliException a usage error if there is no such command
     */
    static String of(String command) {
        String body = switch (command) {
            case "ls" -> """
                    Usage: interproc [--dir PATH] ls [--json]

                    Lists every segment in the directory, without attaching to any: its name, size,
                    bytes allocated, and the attached processes found alive and dead (a dead one
                    crashed or exited without closing the segment). A file that is not a readable
                    segment is listed with the problem. Exits 0 even if some file is unreadable;
                    exits 1 if a --dir given does not exist.

                    Options:
                      --json    print a JSON object {"directory": ..., "segments": [...]}
                    """;
            case "inspect" -> """
                    Usage: interproc [--dir PATH] inspect NAME [--json] [--watch [SECONDS]]

                    Shows a segment without attaching to it (it maps the file read-only and takes
                    no process slot): its size and use, the attached processes (pid, alive or
                    dead), and every named object with its kind and state, as its module
                    describes it (lock owners and waiters, queue counts, pipe ends, values...).
                    Exits 3 if the segment or one of its objects is corrupt (the other objects
                    are still shown).

                    Options:
                      --json               print a JSON object instead of text
                      --watch [SECONDS]    refresh every SECONDS (default 2) until interrupted
                                           (Ctrl-C), clearing the screen; with --json, print one
                                           JSON object per line instead. --watch=SECONDS also works.
                    A NAME that starts with '-' goes after '--': interproc inspect -- -odd-name
                    """;
            case "rm" -> """
                    Usage: interproc [--dir PATH] rm NAME [--force]

                    Removes a segment's file. Refused (exit 1) while a live process is attached
                    to it, and (exit 3) if the file is corrupt, since then nobody can tell;
                    --force removes it anyway. Processes that have it open keep working on the
                    removed file until they close it; a new segment of the same name is a new file.

                    Options:
                      --force    remove it even if live processes are attached or it is corrupt
                    """;
            case "gc" -> """
                    Usage: interproc [--dir PATH] gc [--dry-run]

                    Removes every segment whose attached processes are all dead, or that has none
                    attached, and says which it removed and which it kept and why. Segments with a
                    live process, and files that are not readable segments, are kept (remove the
                    latter with 'interproc rm --force NAME'). Each segment is checked again just
                    before it is removed.

                    Options:
                      --dry-run    only say what would be removed
                    """;
            default -> throw CliException.usage(null, "unknown command '" + command + "'");
        };
        return body + "\n" + global() + "\n" + Interproc.EXIT_CODES;
    }
}
