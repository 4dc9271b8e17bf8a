package io.interproc.chronicle;

import io.interproc.core.Codec;
import io.interproc.core.CodecException;

import java.util.Objects;
import java.util.function.Supplier;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesMarshallable;

/**
 * A {@link Codec} of Chronicle Bytes {@link BytesMarshallable} objects: a value is encoded by its
 * own {@link BytesMarshallable#writeMarshallable writeMarshallable} and decoded into a fresh
 * instance from a factory by {@link BytesMarshallable#readMarshallable readMarshallable}, so
 * Chronicle users send their objects through {@code SharedQueue}s and pipes without Java
 * serialization.
 *
 * <pre>{@code
 * Codec<Trade> codec = ChronicleCodec.of(Trade.class, Trade::new);
 * SharedQueue<Trade> trades = SharedQueue.create(segment, "trades", 1 << 20, codec);
 * }</pre>
 *
 * <p>The wire form is exactly what {@code writeMarshallable} writes, no header: both ends must use
 * the same class version. No class name travels, and decoding only ever creates what the factory
 * creates, so a hostile message cannot instantiate arbitrary classes. A message that
 * {@code readMarshallable} cannot read, that it reads only in part (trailing bytes), or during
 * whose reading any exception or {@link Error} (an {@link OutOfMemoryError} from a forged length,
 * a {@link StackOverflowError}) is thrown, is a {@link CodecException} naming the type and length;
 * a queue counts it as undecodable and loses nothing else.
 *
 * <p>The default {@code BytesMarshallable} methods marshal fields by reflection and need the JVM
 * flags in {@link ChronicleJvmOptions}; so does loading Chronicle Bytes itself on Java 17 and
 * later. Thread-safe: every call uses its own buffers.
 *
 * @param <T> the type of value
 */
public final class ChronicleCodec<T extends BytesMarshallable> implements Codec<T> {
    private static final int INITIAL_CAPACITY = 256;

    private final Class<T> type;
    private final Supplier<? extends T> factory;

    private ChronicleCodec(Class<T> type, Supplier<? extends T> factory) {
        this.type = type;
        this.factory = factory;
    }

    /**
     * Any thread.
     *
     * @param type the class of the values, checked on encode and on the factory's results
     * @param factory makes the empty instance each message is read into
     * @param <T> the type of value
     * @return the codec
     * @throws NullPointerException if an argument is null
     */
    public static <T extends BytesMarshallable> ChronicleCodec<T> of(Class<T> type, Supplier<? extends T> factory) {
        return new ChronicleCodec<>(Objects.requireNonNull(type, "type"), Objects.requireNonNull(factory, "factory"));
    }

    /**
     * @param value the value, an instance of the codec's type
     * @return the bytes {@code writeMarshallable} wrote
     * @throws CodecException if the value is null, of another class, or cannot be written
     */
    @Override
    public byte[] encode(T value) {
        if (!type.isInstance(value)) {
            throw new CodecException("cannot encode " + (value == null ? "null" : value.getClass().getName())
                    + " with " + this + ": not a " + type.getName());
        }
        Bytes<byte[]> out = Bytes.allocateElasticOnHeap(INITIAL_CAPACITY);
        try {
            value.writeMarshallable(out);
            return out.toByteArray();
        } catch (RuntimeException | Error e) {
            // An Error too: Chronicle reports missing JVM flags with an AssertionError.
            throw new CodecException("cannot encode " + value.getClass().getName() + " with " + this + ": " + e, e);
        } finally {
            out.releaseLast();
        }
    }

    /**
     * @param bytes array holding the encoding
     * @param offset first byte of the encoding
     * @param length bytes in the encoding
     * @return a new instance from the factory, read from those bytes
     * @throws CodecException if the bytes are not exactly one encoding of the type
     */
    @Override
    public T decode(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        T value = factory.get();
        if (!type.isInstance(value)) {
            throw new CodecException(this + ": the factory made " + (value == null ? "null" : value.getClass().getName())
                    + ", not a " + type.getName());
        }
        Bytes<byte[]> in = Bytes.wrapForRead(bytes);
        try {
            in.readPositionRemaining(offset, length);
            value.readMarshallable(in);
            long left = in.readRemaining();
            if (left != 0) {
                throw new CodecException("cannot decode " + length + " bytes as " + type.getName() + ": "
                        + left + " trailing bytes after readMarshallable");
            }
            return value;
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            // Everything a forged message can provoke: an exception of the reader, a huge
            // allocation, a deep recursion, a class that fails to initialise.
            throw new CodecException("cannot decode " + length + " bytes as " + type.getName() + ": " + e, e);
        } finally {
            in.releaseLast();
        }
    }

    @Override
    public String toString() {
        return "ChronicleCodec(" + type.getName() + ")";
    }
}
