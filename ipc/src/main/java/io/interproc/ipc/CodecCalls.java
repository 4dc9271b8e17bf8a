package io.interproc.ipc;

import io.interproc.core.Codec;
import io.interproc.core.CodecException;
import io.interproc.ipc.queue.SharedQueue;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Calls a {@link Codec} for the queues and pipes so that every failure reaches the caller the
 * same way: as a {@link CodecException} that names the codec, whatever the codec threw, and a
 * {@code null} from the codec is a failure too. <b>Internal API</b> of the ipc packages (public
 * only so that the queue and pipe packages share it). Stateless; any thread.
 */
public final class CodecCalls {
    private CodecCalls() {
    }

    /**
     * @param codec the codec
     * @param value what to encode
     * @param <T> its type
     * @return the encoding of {@code value}, wrapped
     * @throws NullPointerException if {@code value} is null
     * @throws CodecException if the codec fails or returns null
     */
    public static <T> ByteBuffer encode(Codec<T> codec, T value) {
        Objects.requireNonNull(value, "value");
        byte[] bytes;
        try {
            bytes = codec.encode(value);
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException("codec " + codec + " cannot encode " + value.getClass().getName() + ": " + e, e);
        }
        if (bytes == null) {
            throw new CodecException("codec " + codec + " returned null for " + value.getClass().getName());
        }
        return ByteBuffer.wrap(bytes);
    }

    /**
     * @param codec the codec
     * @param bytes what to decode, all of it
     * @param <T> the type decoded
     * @param where what the bytes came from, for the message (e.g. {@code "SharedQueue 'jobs'"})
     * @param fate what became of the bytes, for the message (e.g. {@code "removed from the queue"})
     * @return the decoded value, never null
     * @throws CodecException if the codec fails or returns null
     */
    public static <T> T decode(Codec<T> codec, byte[] bytes, String where, String fate) {
        CodecException failure;
        try {
            T value = codec.decode(bytes, 0, bytes.length);
            if (value != null) {
                return value;
            }
            failure = new CodecException("codec " + codec + " decoded " + bytes.length + " bytes to null");
        } catch (CodecException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new CodecException(e.toString(), e);
        }
        throw new CodecException(where + ": a message of " + bytes.length
                + " bytes could not be decoded and was " + fate + ": " + failure.getMessage(), failure);
    }
}
