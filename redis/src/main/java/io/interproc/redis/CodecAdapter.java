package io.interproc.redis;

import io.interproc.core.Codec;

import java.util.Objects;

import io.netty.buffer.Unpooled;
import org.redisson.client.codec.BaseCodec;
import org.redisson.client.protocol.Decoder;
import org.redisson.client.protocol.Encoder;

/**
 * An interproc {@link Codec} seen as a Redisson codec: a value is stored as exactly the bytes
 * {@link Codec#encode} gives (the bytes a local queue carries), and read back with
 * {@link Codec#decode}. For maps, keys and values have their own codecs. Thread-safe.
 */
final class CodecAdapter extends BaseCodec {
    private final Encoder valueEncoder;
    private final Decoder<Object> valueDecoder;
    private final Encoder keyEncoder;
    private final Decoder<Object> keyDecoder;

    private CodecAdapter(Codec<?> keys, Codec<?> values) {
        this.valueEncoder = encoder(values);
        this.valueDecoder = decoder(values);
        this.keyEncoder = encoder(keys);
        this.keyDecoder = decoder(keys);
    }

    /** @return the codec for elements of queues and lists */
    static CodecAdapter of(Codec<?> codec) {
        Objects.requireNonNull(codec, "codec");
        return new CodecAdapter(codec, codec);
    }

    /** @return the codec for a map */
    static CodecAdapter ofMap(Codec<?> keys, Codec<?> values) {
        return new CodecAdapter(Objects.requireNonNull(keys, "keys"), Objects.requireNonNull(values, "values"));
    }

    @SuppressWarnings("unchecked")
    private static Encoder encoder(Codec<?> codec) {
        Codec<Object> c = (Codec<Object>) codec;
        return in -> Unpooled.wrappedBuffer(c.encode(in));
    }

    private static Decoder<Object> decoder(Codec<?> codec) {
        return (buf, state) -> {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return codec.decode(bytes, 0, bytes.length);
        };
    }

    @Override
    public Decoder<Object> getValueDecoder() {
        return valueDecoder;
    }

    @Override
    public Encoder getValueEncoder() {
        return valueEncoder;
    }

    @Override
    public Decoder<Object> getMapKeyDecoder() {
        return keyDecoder;
    }

    @Override
    public Encoder getMapKeyEncoder() {
        return keyEncoder;
    }

    @Override
    public Decoder<Object> getMapValueDecoder() {
        return valueDecoder;
    }

    @Override
    public Encoder getMapValueEncoder() {
        return valueEncoder;
    }
}
