package io.interproc.core;

/**
 * A segment has no room left for a new object, or its directory has no free entry. The message
 * says how much was asked, how much is free, and how to make the segment bigger.
 */
public final class SegmentFullException extends InterprocException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was asked, what is free, and what to do
     */
    public SegmentFullException(String message) {
        super(message);
    }
}
