package io.interproc.core;

/**
 * A {@link Codec} could not encode a value or decode bytes. Raised in the calling thread; the
 * queue or pipe that called the codec is left as it was before the call.
 */
public final class CodecException extends InterprocException {
    private static final long serialVersionUID = 1L;

    /** @param message what could not be encoded or decoded */
    public CodecException(String message) {
        super(message);
    }

    /** @param message what could not be encoded or decoded @param cause the codec's failure */
    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
