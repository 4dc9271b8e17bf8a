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

/** Java serialization behind an allow-list filter. */
final class SerializableCodec<T extends Serializable> implements Codec<T> {
    private final ObjectInputFilter filter;
    private final String spec;

    SerializableCodec(String... allowed) {
        if (allowed == null || allowed.length == 0) {
            throw new IllegalArgumentException("Codec.serializable needs at least one allowed class pattern");
        }
        StringBuilder sb = new StringBuilder();
        for (String pattern : allowed) {
            if (pattern == null || pattern.isBlank() || pattern.contains(";")) {
                throw new IllegalArgumentException("invalid class pattern: pattern='" + pattern + "'");
            }
            sb.append(pattern.trim()).append(';');
        }
        this.spec = sb.append("!*").toString();
        this.filter = ObjectInputFilter.Config.createFilter(spec);
    }

    @Override
    public byte[] encode(T value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (ObjectOutputStream oos = new ObjectOutputStream(out)) {
            oos.writeObject(value);
        } catch (IOException e) {
            throw new CodecException("cannot serialize " + (value == null ? "null" : value.getClass().getName())
                    + ": " + e, e);
        }
        return out.toByteArray();
    }

    @Override
    @SuppressWarnings("unchecked")
    public T decode(byte[] bytes, int offset, int length) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes, offset, length))) {
            in.setObjectInputFilter(filter);
            return (T) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new CodecException("cannot deserialize " + length + " bytes with filter '" + spec + "': " + e, e);
        }
    }

    @Override
    public String toString() {
        return "Codec.serializable(" + spec + ")";
    }
}
