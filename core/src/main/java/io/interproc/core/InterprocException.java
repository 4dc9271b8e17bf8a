package io.interproc.core;

/**
 * Base class of every failure raised by interproc itself (as opposed to misuse, which is an
 * {@link IllegalArgumentException}, {@link IllegalStateException} or
 * {@link IllegalMonitorStateException}). Unchecked, as in {@code java.util.concurrent}.
 */
public class InterprocException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message that names the values involved.
     *
     * @param message what went wrong, never {@code null}
     */
    public InterprocException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the underlying cause.
     *
     * @param message what went wrong, never {@code null}
     * @param cause the failure that led to this one
     */
    public InterprocException(String message, Throwable cause) {
        super(message, cause);
    }
}
