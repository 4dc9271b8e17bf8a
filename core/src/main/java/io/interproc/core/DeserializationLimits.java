package io.interproc.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.util.Objects;

/**
 * Bounds on what one Java-serialized message may make the reading JVM do, applied together with a
 * class allow-list by {@link Codec#serializable(DeserializationLimits, String...)} and by the
 * process pool. Without them a message of a few dozen bytes can declare a {@code long[2^31-9]}
 * (an {@link OutOfMemoryError} before a byte of it is read) or nest arrays thousands deep (a
 * {@link StackOverflowError}). The limits are those of {@link ObjectInputFilter}:
 *
 * <ul>
 *   <li>{@code maxarray} — the most elements one array may declare; default
 *       {@value #DEFAULT_MAX_ARRAY}. Independently of it, the arrays of a message may not declare
 *       more elements than the message has bytes to hold them (every element takes at least one
 *       byte of the message, a {@code long} eight), which is checked before each array is
 *       allocated; so the arrays of a valid message take at most a few times its size in memory.
 *   <li>{@code maxdepth} — the deepest nesting of objects; default {@value #DEFAULT_MAX_DEPTH}.
 *   <li>{@code maxrefs} — the most objects and back-references in one message; default
 *       {@value #DEFAULT_MAX_REFS}.
 *   <li>{@code maxbytes} — the largest message; default {@value #DEFAULT_MAX_BYTES} (64 MiB).
 * </ul>
 *
 * A message beyond a limit, and any {@link Error} while reading one (an {@link OutOfMemoryError}
 * or {@link StackOverflowError} that got past the limits), is a {@link CodecException} naming the
 * limit or the error. Immutable and thread-safe.
 */
public final class DeserializationLimits {
    /** Default {@code maxarray}: {@value} elements. */
    public static final long DEFAULT_MAX_ARRAY = 1 << 24;
    /** Default {@code maxdepth}: {@value}. */
    public static final long DEFAULT_MAX_DEPTH = 500;
    /** Default {@code maxrefs}: {@value}. */
    public static final long DEFAULT_MAX_REFS = 1 << 22;
    /** Default {@code maxbytes}: {@value} (64 MiB). */
    public static final long DEFAULT_MAX_BYTES = 64L << 20;

    private static final DeserializationLimits DEFAULTS = new DeserializationLimits(DEFAULT_MAX_ARRAY,
            DEFAULT_MAX_DEPTH, DEFAULT_MAX_REFS, DEFAULT_MAX_BYTES);

    private final long maxArray;
    private final long maxDepth;
    private final long maxRefs;
    private final long maxBytes;

    private DeserializationLimits(long maxArray, long maxDepth, long maxRefs, long maxBytes) {
        this.maxArray = positive("maxarray", maxArray);
        this.maxDepth = positive("maxdepth", maxDepth);
        this.maxRefs = positive("maxrefs", maxRefs);
        this.maxBytes = positive("maxbytes", maxBytes);
    }

    private static long positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1: " + name + "=" + value);
        }
        return value;
    }

    /**
     * The defaults. Any thread may call this.
     *
     * @return limits of {@value #DEFAULT_MAX_ARRAY} array elements, depth {@value #DEFAULT_MAX_DEPTH},
     *     {@value #DEFAULT_MAX_REFS} references and {@value #DEFAULT_MAX_BYTES} bytes
     */
    public static DeserializationLimits defaults() {
        return DEFAULTS;
    }

    /**
     * Any thread may call this.
     *
     * @param elements the most elements one array may declare, at least 1
     * @return a copy with this {@code maxarray}
     * @throws IllegalArgumentException if {@code elements < 1}
     */
    public DeserializationLimits withMaxArray(long elements) {
        return new DeserializationLimits(elements, maxDepth, maxRefs, maxBytes);
    }

    /**
     * Any thread may call this.
     *
     * @param depth the deepest nesting of objects, at least 1
     * @return a copy with this {@code maxdepth}
     * @throws IllegalArgumentException if {@code depth < 1}
     */
    public DeserializationLimits withMaxDepth(long depth) {
        return new DeserializationLimits(maxArray, depth, maxRefs, maxBytes);
    }

    /**
     * Any thread may call this.
     *
     * @param refs the most objects and back-references in one message, at least 1
     * @return a copy with this {@code maxrefs}
     * @throws IllegalArgumentException if {@code refs < 1}
     */
    public DeserializationLimits withMaxRefs(long refs) {
        return new DeserializationLimits(maxArray, maxDepth, refs, maxBytes);
    }

    /**
     * Any thread may call this.
     *
     * @param bytes the largest message, at least 1
     * @return a copy with this {@code maxbytes}
     * @throws IllegalArgumentException if {@code bytes < 1}
     */
    public DeserializationLimits withMaxBytes(long bytes) {
        return new DeserializationLimits(maxArray, maxDepth, maxRefs, bytes);
    }

    /** @return the most elements one array may declare */
    public long maxArray() {
        return maxArray;
    }

    /** @return the deepest nesting of objects */
    public long maxDepth() {
        return maxDepth;
    }

    /** @return the most objects and back-references in one message */
    public long maxRefs() {
        return maxRefs;
    }

    /** @return the largest message in bytes */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Reads what {@link #toString()} wrote. Any thread may call this.
     *
     * @param text e.g. {@code maxarray=16777216,maxdepth=500,maxrefs=4194304,maxbytes=67108864}
     * @return the limits
     * @throws IllegalArgumentException if the text is not four such {@code name=value} pairs
     */
    public static DeserializationLimits parse(String text) {
        String[] parts = Objects.requireNonNull(text, "text").split(",", -1);
        long[] values = new long[4];
        String[] names = {"maxarray", "maxdepth", "maxrefs", "maxbytes"};
        if (parts.length != 4) {
            throw new IllegalArgumentException("malformed deserialization limits: text='" + text + "'");
        }
        for (int i = 0; i < 4; i++) {
            String prefix = names[i] + "=";
            if (!parts[i].startsWith(prefix)) {
                throw new IllegalArgumentException("malformed deserialization limits: text='" + text + "'");
            }
            try {
                values[i] = Long.parseLong(parts[i].substring(prefix.length()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed deserialization limits: text='" + text + "'", e);
            }
        }
        return new DeserializationLimits(values[0], values[1], values[2], values[3]);
    }

    /**
     * Opens an {@link ObjectInputStream}; lets a caller use its own subclass (one that resolves
     * classes through a given loader, say).
     */
    @FunctionalInterface
    public interface StreamOpener {
        /**
         * @param in the message's bytes
         * @return a stream reading them
         * @throws IOException if the stream header is bad
         */
        ObjectInputStream open(InputStream in) throws IOException;
    }

    /**
     * Reads one object from a message under these limits and a class allow-list. Any thread may
     * call this; it keeps no state between calls. Nothing but a {@link CodecException} leaves it:
     * a rejected class, a limit, malformed bytes, a missing class, any exception the object's own
     * {@code readObject} throws and any {@link Error} (out of memory, stack overflow, linkage)
     * become one whose message is {@code context + ": " + reason}.
     *
     * @param bytes array holding the message
     * @param offset where it starts
     * @param length its length
     * @param classes the allow-list, consulted after the limits for every class and reference;
     *     {@code null} allows every class (pass {@link ObjectInputFilter.Config#getSerialFilter()}
     *     to keep a JVM-wide filter, which the stream-specific filter set here replaces)
     * @param opener makes the stream, e.g. {@code ObjectInputStream::new}
     * @param context start of the exception message, e.g. {@code "cannot deserialize 30 bytes"}
     * @return the object read
     * @throws CodecException if the object cannot be read
     */
    public Object readObject(byte[] bytes, int offset, int length, ObjectInputFilter classes, StreamOpener opener,
            String context) {
        if (length > maxBytes) {
            throw new CodecException(context + ": message too large: bytes=" + length + ", maxbytes=" + maxBytes);
        }
        Check check = new Check(classes, length);
        try (ObjectInputStream in = opener.open(new java.io.ByteArrayInputStream(bytes, offset, length))) {
            in.setObjectInputFilter(check);
            return in.readObject();
        } catch (StackOverflowError e) {
            throw new CodecException(context + ": " + (check.rejection != null ? check.rejection
                    : "nesting too deep for this thread's stack: " + e + " (maxdepth=" + maxDepth + ")"), e);
        } catch (OutOfMemoryError e) {
            throw new CodecException(context + ": " + (check.rejection != null ? check.rejection
                    : "out of memory: " + e + " (" + this + ")"), e);
        } catch (Exception | Error e) {
            throw new CodecException(context + ": " + (check.rejection != null ? check.rejection : e.toString()), e);
        }
    }

    /** The filter of one message: the limits, then the allow-list; remembers why it rejected. */
    private final class Check implements ObjectInputFilter {
        private final ObjectInputFilter classes;
        private final long length;
        /** The least stream bytes the elements of the arrays seen so far take. */
        private long arrayBytes;
        String rejection;

        Check(ObjectInputFilter classes, long length) {
            this.classes = classes;
            this.length = length;
        }

        @Override
        public Status checkInput(FilterInfo info) {
            Status status = check(info);
            if (status == Status.REJECTED && rejection == null) {
                rejection = "rejected by the deserialization filter";
            }
            return status;
        }

        private Status check(FilterInfo info) {
            if (info.depth() > maxDepth) {
                return reject("nesting too deep: depth=" + info.depth() + ", maxdepth=" + maxDepth);
            }
            if (info.references() > maxRefs) {
                return reject("too many references: refs=" + info.references() + ", maxrefs=" + maxRefs);
            }
            if (info.streamBytes() > maxBytes) {
                return reject("message too large: bytes=" + info.streamBytes() + ", maxbytes=" + maxBytes);
            }
            Class<?> type = info.serialClass();
            if (type != null && type.isArray() && info.arrayLength() >= 0) {
                long declared = info.arrayLength();
                if (declared > maxArray) {
                    return reject("array too long: class=" + type.getTypeName() + ", length=" + declared
                            + ", maxarray=" + maxArray);
                }
                arrayBytes += declared * elementBytes(type.getComponentType());
                if (arrayBytes > length) {
                    return reject("array longer than the message: class=" + type.getTypeName() + ", length="
                            + declared + ", the message's arrays need at least " + arrayBytes
                            + " bytes, message bytes=" + length);
                }
            }
            if (classes == null) {
                return Status.UNDECIDED;
            }
            Status verdict = classes.checkInput(info);
            if (verdict == Status.REJECTED && type != null) {
                Class<?> named = type;
                while (named.isArray()) {
                    named = named.getComponentType();
                }
                return reject("class not allowed: class=" + named.getName() + " (filter status: REJECTED)");
            }
            return verdict;
        }

        private Status reject(String why) {
            if (rejection == null) {
                rejection = why;
            }
            return Status.REJECTED;
        }
    }

    /** The fewest bytes one element of an array of {@code component} takes in a stream. */
    private static long elementBytes(Class<?> component) {
        if (component == long.class || component == double.class) {
            return 8;
        }
        if (component == int.class || component == float.class) {
            return 4;
        }
        if (component == short.class || component == char.class) {
            return 2;
        }
        return 1;
    }

    /** @return {@code maxarray=…,maxdepth=…,maxrefs=…,maxbytes=…}, as {@link #parse} reads */
    @Override
    public String toString() {
        return "maxarray=" + maxArray + ",maxdepth=" + maxDepth + ",maxrefs=" + maxRefs + ",maxbytes=" + maxBytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeserializationLimits l && l.maxArray == maxArray && l.maxDepth == maxDepth
                && l.maxRefs == maxRefs && l.maxBytes == maxBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxArray, maxDepth, maxRefs, maxBytes);
    }
}
