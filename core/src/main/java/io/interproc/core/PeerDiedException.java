package io.interproc.core;

/**
 * The process on the other side of an operation (a pipe peer, a pool worker, a queue producer
 * in the middle of a streamed message) died while the operation depended on it.
 */
public final class PeerDiedException extends InterprocException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message which peer died (its pid) and what was affected
     */
    public PeerDiedException(String message) {
        super(message);
    }
}
