package io.interproc.core;

/**
 * {@code open} named a segment, or an object inside a segment, that does not exist. Python's
 * {@code SharedMemory(name)} raises {@code FileNotFoundError} in the same case.
 */
public final class NoSuchObjectException extends InterprocException {
    private static final long serialVersionUID = 1L;

    /** @param message the name and where it was looked for */
    public NoSuchObjectException(String message) {
        super(message);
    }
}
