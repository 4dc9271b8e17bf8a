package io.interproc.pool.internal;

import io.interproc.core.CodecException;
import io.interproc.core.DeserializationLimits;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How a process pool turns tasks, arguments, results and exceptions into bytes and back:
 * a one-byte tag, then for {@code null}, {@code Integer}, {@code Long}, {@code Double},
 * {@code Boolean}, {@code String} and {@code byte[]} their raw bytes (little-endian numbers, UTF-8
 * text), and for anything else Java serialization. Deserialization runs under an
 * {@link ObjectInputFilter} when the pool was given an allow-list, always within
 * {@link DeserializationLimits}, and resolves classes through a given class loader first. No
 * {@link Error} leaves {@link #decode}: an {@link OutOfMemoryError} or {@link StackOverflowError}
 * while decoding is a {@link CodecException} (workers run with {@code -XX:+ExitOnOutOfMemoryError},
 * so the limits are what keeps a small hostile message from killing one). Thread-safe.
 */
public final class PoolCodec {
    static final byte NULL = 0;
    static final byte INT = 1;
    static final byte LONG = 2;
    static final byte DOUBLE = 3;
    static final byte BOOLEAN = 4;
    static final byte STRING = 5;
    static final byte BYTES = 6;
    public static final byte JAVA = 9;

    /**
     * Classes the pool itself sends or receives, always allowed when an allow-list is in force:
     * serialized lambdas, the pool's own types, and the JDK classes of exceptions and their stack
     * traces ({@code java.lang.*} holds {@code Throwable}, {@code StackTraceElement}, the boxed
     * primitives and the common exceptions; {@code Throwable} serializes its suppressed-exception
     * list as one of the {@code java.util.Collections} wrappers).
     */
    static final List<String> BUILT_IN_ALLOWED = List.of("java.lang.*", "java.lang.invoke.SerializedLambda",
            "io.interproc.pool.**", "io.interproc.ipc.**", "io.interproc.core.*", "java.util.Collections$*", "java.util.ArrayList");

    private final ObjectInputFilter filter;
    private final String filterSpec;
    private final ClassLoader loader;
    private final DeserializationLimits limits;

    /** As {@link #PoolCodec(String, ClassLoader, DeserializationLimits)} with the default limits. */
    public PoolCodec(String filterSpec, ClassLoader loader) {
        this(filterSpec, loader, DeserializationLimits.defaults());
    }

    /**
     * @param filterSpec an {@link ObjectInputFilter.Config#createFilter} pattern, or {@code null}
     *     to allow every class (a JVM-wide filter set with {@code jdk.serialFilter} still applies)
     * @param loader where classes are looked up first
     * @param limits bounds on what one serialized value may declare
     */
    public PoolCodec(String filterSpec, ClassLoader loader, DeserializationLimits limits) {
        this.filterSpec = filterSpec;
        this.filter = filterSpec == null ? null : ObjectInputFilter.Config.createFilter(filterSpec);
        this.loader = loader;
        this.limits = limits;
    }

    /** @return the deserialization limits in force */
    DeserializationLimits limits() {
        return limits;
    }

    /**
     * @param allowed the user's patterns; empty for "allow everything"
     * @return the filter pattern: the user's patterns, the built-in ones, then {@code !*}; or
     *     {@code null} if {@code allowed} is empty
     * @throws IllegalArgumentException if a pattern is blank or holds {@code ;}
     */
    public static String filterSpec(List<String> allowed) {
        if (allowed.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (String pattern : allowed) {
            if (pattern == null || pattern.isBlank() || pattern.contains(";")) {
                throw new IllegalArgumentException("invalid class pattern: pattern="
                        + (pattern == null ? "null" : "'" + pattern + "'"));
            }
            sb.append(pattern.trim()).append(';');
        }
        for (String pattern : BUILT_IN_ALLOWED) {
            sb.append(pattern).append(';');
        }
        String spec = sb.append("!*").toString();
        ObjectInputFilter.Config.createFilter(spec); // fails here on a malformed pattern
        return spec;
    }

    /** @return the filter pattern in force, or {@code null} if every class is allowed */
    String filterSpec() {
        return filterSpec;
    }

    // ---------------------------------------------------------------- encode

    /**
     * @param value anything; non-built-in types must be {@link java.io.Serializable}
     * @return its encoding
     * @throws CodecException if it cannot be serialized
     */
    public byte[] encode(Object value) {
        if (value == null) {
            return new byte[] {NULL};
        }
        Class<?> type = value.getClass();
        if (type == Integer.class) {
            return ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN).put(INT).putInt((Integer) value).array();
        }
        if (type == Long.class) {
            return ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN).put(LONG).putLong((Long) value).array();
        }
        if (type == Double.class) {
            return ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN).put(DOUBLE).putDouble((Double) value).array();
        }
        if (type == Boolean.class) {
            return new byte[] {BOOLEAN, (byte) ((Boolean) value ? 1 : 0)};
        }
        if (type == String.class) {
            byte[] utf8 = ((String) value).getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[1 + utf8.length];
            out[0] = STRING;
            System.arraycopy(utf8, 0, out, 1, utf8.length);
            return out;
        }
        if (type == byte[].class) {
            byte[] bytes = (byte[]) value;
            byte[] out = new byte[1 + bytes.length];
            out[0] = BYTES;
            System.arraycopy(bytes, 0, out, 1, bytes.length);
            return out;
        }
        return serialize(value);
    }

    /**
     * Appends the encoding of {@code value} to {@code w} as a blob (length, then the bytes),
     * without an intermediate array for the built-in types.
     *
     * @param w where to write
     * @param value the value
     * @throws CodecException if it cannot be serialized ({@code w} is then unchanged)
     */
    void encodeTo(PoolWire.Writer w, Object value) {
        Class<?> type = value == null ? null : value.getClass();
        if (type == Integer.class) {
            w.putInt(5).put(INT).putInt((Integer) value);
        } else if (type == Long.class) {
            w.putInt(9).put(LONG).putLong((Long) value);
        } else if (type == Double.class) {
            w.putInt(9).put(DOUBLE).putLong(Double.doubleToRawLongBits((Double) value));
        } else {
            w.putBlob(encode(value));
        }
    }

    private static byte[] serialize(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(JAVA);
        try (ObjectOutputStream oos = new ObjectOutputStream(out)) {
            oos.writeObject(value);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            String where = e instanceof java.io.NotSerializableException ? NotSerializablePath.find(value) : null;
            throw new CodecException("cannot serialize " + value.getClass().getName() + ": " + e
                    + (where == null ? "" : "; not serializable: " + where), e);
        }
        return out.toByteArray();
    }

    /**
     * Encodes a task or function, reusing the bytes of a stateless lambda (a lambda class that
     * captures nothing): such a lambda is always serialized the same way.
     *
     * @param task a serializable task
     * @return its encoding
     * @throws CodecException if it cannot be serialized
     */
    public byte[] encodeTask(Object task) {
        AtomicReference<byte[]> cached = STATELESS_LAMBDAS.get(task.getClass());
        if (cached == null) {
            return encode(task);
        }
        byte[] bytes = cached.get();
        if (bytes == null) {
            bytes = encode(task);
            cached.set(bytes);
        }
        return bytes;
    }

    /** Per class: a holder of the encoding if the class is a lambda with no captured state, else null. */
    private static final ClassValue<AtomicReference<byte[]>> STATELESS_LAMBDAS = new ClassValue<>() {
        @Override
        protected AtomicReference<byte[]> computeValue(Class<?> type) {
            boolean lambda = type.isSynthetic() && type.getName().contains("$$Lambda");
            if (!lambda) {
                return null;
            }
            boolean stateless = Arrays.stream(type.getDeclaredFields()).allMatch(f -> Modifier.isStatic(f.getModifiers()));
            return stateless ? new AtomicReference<>() : null;
        }
    };

    // ---------------------------------------------------------------- decode

    /**
     * @param bytes array holding an encoding
     * @param offset where it starts
     * @param length its length
     * @return the value
     * @throws CodecException if the bytes cannot be decoded, a class is missing, or the filter
     *     rejects a class
     */
    Object decode(byte[] bytes, int offset, int length) {
        if (length < 1) {
            throw new CodecException("empty encoding: length=" + length);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, offset + 1, length - 1).order(ByteOrder.LITTLE_ENDIAN);
        byte tag = bytes[offset];
        try {
            switch (tag) {
                case NULL:
                    return null;
                case INT:
                    return in.getInt();
                case LONG:
                    return in.getLong();
                case DOUBLE:
                    return in.getDouble();
                case BOOLEAN:
                    return in.get() != 0;
                case STRING:
                    return new String(bytes, offset + 1, length - 1, StandardCharsets.UTF_8);
                case BYTES:
                    return Arrays.copyOfRange(bytes, offset + 1, offset + length);
                case JAVA:
                    return deserialize(bytes, offset + 1, length - 1);
                default:
                    throw new CodecException("unknown value tag: tag=" + tag + ", length=" + length);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new CodecException("truncated value: tag=" + tag + ", length=" + length, e);
        } catch (OutOfMemoryError e) {
            throw new CodecException("cannot decode a value of " + length + " bytes: tag=" + tag + ": " + e, e);
        }
    }

    private Object deserialize(byte[] bytes, int offset, int length) {
        String filterNote = filterSpec == null ? "" : " (class allow-list '" + filterSpec + "')";
        ObjectInputFilter classes = filter != null ? filter : ObjectInputFilter.Config.getSerialFilter();
        return limits.readObject(bytes, offset, length, classes, in -> new LoaderObjectInputStream(in, loader),
                "cannot deserialize" + filterNote);
    }

    /** Resolves classes through the given loader first, then as {@link ObjectInputStream} does. */
    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    // primitives and classes only the default lookup finds
                }
            }
            return super.resolveClass(desc);
        }
    }

    @Override
    public String toString() {
        return "PoolCodec[filter=" + (filterSpec == null ? "allow all" : filterSpec) + ", " + limits + "]";
    }
}
