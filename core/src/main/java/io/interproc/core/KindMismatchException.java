package io.interproc.core;

/**
 * A named object was opened as a kind other than the one it was created as, for example a
 * {@code SharedQueue} opened as a {@code SharedLock}. The message names both kinds.
 */
public final class KindMismatchException extends InterprocException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the name, the kind asked for and the kind found
     */
    public KindMismatchException(String message) {
        super(message);
    }
}
