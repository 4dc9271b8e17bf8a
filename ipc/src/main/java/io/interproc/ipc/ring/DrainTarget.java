package io.interproc.ipc.ring;

import java.nio.ByteBuffer;

/**
 * Where a batch read ({@link RingReader#drain}) puts each message: it asks for a buffer, copies
 * the message into it, and hands it back. <b>Internal API</b> of the ipc modules; called by the
 * thread that holds the ring's consumer exclusion, one message at a time.
 */
public interface DrainTarget {
    /**
     * @param length the message's size
     * @return a buffer with position 0 and at least {@code length} bytes remaining; the read
     *     copies the message to {@code [0, length)} and flips it
     */
    ByteBuffer bufferFor(int length);

    /**
     * Takes one message. Once this is called the message counts as removed, even if it throws
     * (what it throws ends the batch and reaches the caller of the drain).
     *
     * @param message the message's bytes, position 0, limit its size
     */
    void accept(ByteBuffer message);
}
