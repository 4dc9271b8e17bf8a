package io.interproc.core;

/**
 * A segment file, or an object inside it, does not hold what interproc wrote there: a wrong
 * magic, layout version or byte order, a truncated file, or an offset, length or index that
 * points outside its bounds. Raised instead of ever reading outside an object.
 */
public final class CorruptSegmentException extends InterprocException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, with the values read
     */
    public CorruptSegmentException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, with the values read
     * @param cause the underlying failure
     */
    public CorruptSegmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
