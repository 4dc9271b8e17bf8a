package io.interproc.cli.args;

/**
 * A command line that {@link ArgParser} cannot accept: an unknown option, an option without its
 * value, a value that is not a number or out of range, an unexpected argument. The message says
 * which option and what was wrong, e.g. {@code --jvms needs a whole number, not 'three'}; a
 * program prints it with its usage line and exits with {@link #EXIT_CODE}.
 */
public final class UsageException extends IllegalArgumentException {
    /** The exit code of a usage error, for every interproc program. */
    public static final int EXIT_CODE = 2;

    private static final long serialVersionUID = 1L;

    private final String option;

    /**
     * @param option the option at fault ({@code --jvms}), or {@code null} if none (an unexpected
     *     argument)
     * @param message what is wrong
     */
    public UsageException(String option, String message) {
        super(message);
        this.option = option;
    }

    /**
     * Any thread may call this.
     *
     * @return the option at fault, or {@code null} if the fault is not an option's
     */
    public String option() {
        return option;
    }
}
