package io.interproc.ipc.queue;

import java.nio.ByteBuffer;

/**
 * Receives the messages of a batch take ({@link AbstractSharedQueue#drainBytes}), one at a time,
 * in queue order, in the thread that called it.
 */
@FunctionalInterface
public interface MessageHandler {
    /**
     * Handles one message. The buffer is the queue handle's own: its contents are valid only
     * until this method returns (copy what you keep), and it may be read or changed freely
     * meanwhile. The message counts as removed from the queue once this is called, even if it
     * throws; what it throws ends the batch and reaches the caller of {@code drainBytes}.
     *
     * @param message the message's bytes, from position 0 to its limit
     */
    void onMessage(ByteBuffer message);
}
