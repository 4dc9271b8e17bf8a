package io.interproc.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** The stateless built-in codecs. */
final class BuiltinCodecs {
    static final Codec<byte[]> BYTES = new Codec<>() {
        @Override
        public byte[] encode(byte[] value) {
            return Objects.requireNonNull(value, "value");
        }

        @Override
        public byte[] decode(byte[] bytes, int offset, int length) {
            return Arrays.copyOfRange(bytes, offset, offset + length);
        }

        @Override
        public String toString() {
            return "Codec.bytes()";
        }
    };

    static final Codec<String> UTF8 = new Codec<>() {
        @Override
        public byte[] encode(String value) {
            return Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes, int offset, int length) {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes, offset, length)).toString();
            } catch (CharacterCodingException e) {
                throw new CodecException("malformed UTF-8: length=" + length, e);
            }
        }

        @Override
        public String toString() {
            return "Codec.utf8()";
        }
    };

    static final Codec<Long> LONGS = new Codec<>() {
        @Override
        public byte[] encode(Long value) {
            if (value == null) {
                throw new CodecException("Codec.longs() cannot encode null");
            }
            return ByteBuffer.allocate(Long.BYTES).order(ByteOrder.nativeOrder()).putLong(value).array();
        }

        @Override
        public Long decode(byte[] bytes, int offset, int length) {
            if (length != Long.BYTES) {
                throw new CodecException("Codec.longs() needs 8 bytes: length=" + length);
            }
            return ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.nativeOrder()).getLong();
        }

        @Override
        public String toString() {
            return "Codec.longs()";
        }
    };

    private BuiltinCodecs() {
    }
}
