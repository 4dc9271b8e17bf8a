package io.interproc.cli;

/** A failure of the command with its exit code; the message is printed as {@code interproc: <message>}. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;

    CliException(int code, String message) {
        super(message);
        this.code = code;
    }

    /** @return the exit code */
    int code() {
        return code;
    }

    /**
     * @param command the command, or {@code null} for the global command line
     * @param message what is wrong
     * @return a usage error ({@link Interproc#USAGE}) that points at the help
     */
    static CliException usage(String command, String message) {
        return command == null
                ? new CliException(Interproc.USAGE, message + " (run 'interproc --help')")
                : new CliException(Interproc.USAGE, command + ": " + message + " (run 'interproc " + command + " --help')");
    }

    /**
     * @param message what was not found, refused or failed
     * @return an error with exit code {@link Interproc#FAILED}
     */
    static CliException failed(String message) {
        return new CliException(Interproc.FAILED, message);
    }
}
