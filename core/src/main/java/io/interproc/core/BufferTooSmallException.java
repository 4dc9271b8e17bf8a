package io.interproc.core;

/**
 * A caller's buffer cannot hold the next message. Nothing was consumed: the message is still
 * there to be read with a buffer of at least {@link #needed()} bytes remaining.
 */
public final class BufferTooSmallException extends InterprocException {
    private static final long serialVersionUID = 1L;

    private final int needed;
    private final int remaining;

    /**
     * @param needed bytes of the message
     * @param remaining bytes the caller's buffer had room for
     */
    public BufferTooSmallException(int needed, int remaining) {
        super("buffer too small for the next message: needed=" + needed + " bytes, remaining=" + remaining
                + " (the message was left in place)");
        this.needed = needed;
        this.remaining = remaining;
    }

    /** @return the size of the message, the room a buffer needs */
    public int needed() {
        return needed;
    }

    /** @return the room the caller's buffer had */
    public int remaining() {
        return remaining;
    }
}
