package io.interproc.pool.internal;

import io.interproc.core.BufferTooSmallException;
import io.interproc.ipc.queue.SharedQueue;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Takes messages back out of a worker's inbox into a buffer that grows to fit: used by the
 * dispatcher thread (taking queued jobs back) and by whoever settles a dead worker or stops the
 * pool (draining an inbox). Not thread-safe: one instance per drain.
 */
final class InboxReader {
    /** {@link #poll} found no message in time. */
    static final int EMPTY = -1;
    /** {@link #poll} gave up: the segment is closed, or the thread was interrupted. */
    static final int CLOSED = -2;

    private ByteBuffer buf = ByteBuffer.allocate(4096);

    /**
     * @param inbox the inbox
     * @param millis how long to wait for a message
     * @return the message's length (its bytes are at the start of {@link #array()}), {@link #EMPTY}
     *     or {@link #CLOSED}
     */
    int poll(SharedQueue<byte[]> inbox, long millis) {
        while (true) {
            try {
                buf.clear();
                int n = inbox.pollBytes(buf, millis, TimeUnit.MILLISECONDS);
                return n < 0 ? EMPTY : n;
            } catch (BufferTooSmallException e) {
                buf = ByteBuffer.allocate(e.needed());
            } catch (InterruptedException | IllegalStateException e) {
                return CLOSED;
            }
        }
    }

    /** @return the buffer's array, holding the last message polled */
    byte[] array() {
        return buf.array();
    }
}
