package io.interproc.core;

/**
 * A segment file or directory was refused for safety: it is a symbolic link, not a regular file
 * (a FIFO, socket, device or directory under a segment's name), owned by another UID, a directory
 * group or others may write, or the file system denied access. The message names the path and the reason.
 */
public final class SegmentAccessException extends InterprocException {
    private static final long serialVersionUID = 1L;

    /** @param message the path and why it was refused */
    public SegmentAccessException(String message) {
        super(message);
    }

    /** @param message the path and why it was refused @param cause the I/O failure */
    public SegmentAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
