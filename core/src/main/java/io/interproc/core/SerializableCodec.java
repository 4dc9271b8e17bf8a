package io.interproc.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/** Java serialization behind an allow-list filter and {@link DeserializationLimits}. */
final class SerializableCodec<T extends Serializable> implements Codec<T> {
    private final ObjectInputFilter filter;
    private final String spec;
    private final DeserializationLimits limits;

    SerializableCodec(DeserializationLimits limits, String... allowed) {
        if (limits == null) {
            throw new IllegalArgumentException("Codec.serializable needs limits: limits=null");
        }
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
        this.limits = limits;
    }

    @Override
    public byte[] encode(T value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (ObjectOutputStream oos = new ObjectOutputStream(out)) {
            oos.writeObject(value);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new CodecException("cannot serialize " + (value == null ? "null" : value.getClass().getName())
                    + ": " + e, e);
        }
        return out.toByteArray();
    }

    @Override
    @SuppressWarnings("unchecked")
    public T decode(byte[] bytes, int offset, int length) {
        String context = "cannot deserialize " + length + " bytes with filter '" + spec + "'";
        return (T) limits.readObject(bytes, offset, length, filter, ObjectInputStream::new, context);
    }

    @Override
    public String toString() {
        return "Codec.serializable(" + spec + ", " + limits + ")";
    }
}
