package io.interproc.core;

/**
 * {@code create} named a segment, or an object inside a segment, that already exists. Use
 * {@code openOrCreate} to attach to it instead.
 */
public final class ObjectExistsException extends InterprocException {
    private static final long serialVersionUID = 1L;

    /** @param message the name and where it exists */
    public ObjectExistsException(String message) {
        super(message);
    }
}
