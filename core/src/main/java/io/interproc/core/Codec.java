package io.interproc.core;

import java.io.ObjectInputFilter;
import java.io.Serializable;

/**
 * Turns values into bytes and back, for queues and pipes. Implementations must be thread-safe
 * and stateless between calls; {@link #decode} must accept exactly what {@link #encode} produced
 * and throw {@link CodecException} (never return garbage) for anything it cannot read.
 *
 * <p>Built in: {@link #bytes()}, {@link #utf8()}, {@link #longs()}, and {@link #serializable}
 * (Java serialization guarded by an {@link ObjectInputFilter} allow-list).
 *
 * @param <T> the type of value
 */
public interface Codec<T> {
    /**
     * @param value the value to encode
     * @return its bytes; the caller may keep the array
     * @throws CodecException if the value cannot be encoded
     */
    byte[] encode(T value);

    /**
     * @param bytes array holding the encoding
     * @param offset first byte of the encoding
     * @param length bytes in the encoding
     * @return the value
     * @throws CodecException if the bytes are not a valid encoding
     */
    T decode(byte[] bytes, int offset, int length);

    /** @return a codec that passes byte arrays through (copying on decode) */
    static Codec<byte[]> bytes() {
        return BuiltinCodecs.BYTES;
    }

    /** @return a codec of strings as UTF-8; malformed input is a {@link CodecException} */
    static Codec<String> utf8() {
        return BuiltinCodecs.UTF8;
    }

    /** @return a codec of {@code Long}s as 8 bytes, native byte order; {@code null} is refused */
    static Codec<Long> longs() {
        return BuiltinCodecs.LONGS;
    }

    /**
     * Java serialization, with deserialization restricted to an allow-list of classes and bounded by
     * {@link DeserializationLimits#defaults()}. Anyone who can write the segment file is trusted
     * like the file's owner (it is 0600); the filter keeps a malformed or hostile message from
     * instantiating arbitrary classes, and the limits keep it from exhausting memory or the stack:
     * such a message, and any {@link Error} while decoding one, is a {@link CodecException} naming
     * the class or limit (a queue counts it as undecodable). Any thread may call this.
     *
     * @param allowed {@link ObjectInputFilter.Config#createFilter} patterns of classes allowed, for
     *     example {@code "com.example.Order"}, {@code "com.example.model.*"},
     *     {@code "java.base/*"}; everything else is rejected ({@code !*} is appended)
     * @param <T> the type of value
     * @return the codec
     * @throws IllegalArgumentException if no pattern is given or a pattern is malformed
     */
    static <T extends Serializable> Codec<T> serializable(String... allowed) {
        return new SerializableCodec<>(DeserializationLimits.defaults(), allowed);
    }

    /**
     * As {@link #serializable(String...)}, with other limits, e.g.
     * {@code Codec.serializable(DeserializationLimits.defaults().withMaxBytes(1 << 20), "com.example.*")}.
     * Any thread may call this.
     *
     * @param limits bounds on array lengths, nesting depth, references and message size
     * @param allowed class patterns, as for {@link #serializable(String...)}
     * @param <T> the type of value
     * @return the codec
     * @throws IllegalArgumentException if {@code limits} is null, no pattern is given or a pattern
     *     is malformed
     */
    static <T extends Serializable> Codec<T> serializable(DeserializationLimits limits, String... allowed) {
        return new SerializableCodec<>(limits, allowed);
    }
}
