package io.interproc.ipc.pipe;

import io.interproc.core.InterprocException;

/**
 * A {@link Connection} sent to a pipe whose other end was closed or whose process died (Python:
 * {@code BrokenPipeError}). The message says which end, and the pid if it died.
 */
public final class BrokenPipeException extends InterprocException {
    private static final long serialVersionUID = 1L;

    /** @param message which end is gone and why */
    public BrokenPipeException(String message) {
        super(message);
    }
}
