package io.interproc.core.spi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kind of a named object in a segment: a number stored in its directory entry and the name
 * of the Java type users know it by. The module that owns a kind defines it once, in a constant
 * ({@code static final ObjectKind LOCK = ObjectKind.define(16, "SharedLock")}); {@code core}
 * knows only its own kinds. Codes are unique in the JVM: defining a code again with another
 * name fails. Ranges in use: 1–15 core, 16–31 sync, 32–47 ipc, 48–63 pool, 64–79 collections;
 * 1024 and above are free for applications.
 *
 * <p>Instances are compared by identity: there is one per code. Thread-safe.
 */
public final class ObjectKind {
    /** Largest code a directory entry may carry. */
    public static final int MAX_CODE = 0xFFFF;

    private static final Map<Integer, ObjectKind> DEFINED = new ConcurrentHashMap<>();

    private final int code;
    private final String typeName;

    private ObjectKind(int code, String typeName) {
        this.code = code;
        this.typeName = typeName;
    }

    /**
     * Defines a kind, or returns the one already defined with the same code and name. Any thread;
     * usually a {@code static final} initialiser of the owning module.
     *
     * @param code number stored in directory entries, 1 to {@value #MAX_CODE}
     * @param typeName name of the Java type users know objects of this kind by
     * @return the kind
     * @throws IllegalArgumentException if the code is out of range, the name is blank, or the code
     *     is already defined with another name
     */
    public static ObjectKind define(int code, String typeName) {
        if (code < 1 || code > MAX_CODE) {
            throw new IllegalArgumentException("kind code must be 1.." + MAX_CODE + ": " + code);
        }
        if (typeName == null || typeName.isBlank()) {
            throw new IllegalArgumentException("kind code " + code + " needs a type name");
        }
        ObjectKind kind = DEFINED.computeIfAbsent(code, c -> new ObjectKind(c, typeName));
        if (!kind.typeName.equals(typeName)) {
            throw new IllegalArgumentException("kind code " + code + " is already defined as " + kind.typeName
                    + ", cannot define it as " + typeName);
        }
        return kind;
    }

    /**
     * The kind with a code, among those defined so far in this JVM. Kinds of modules whose
     * inspectors are on the class path are defined once a segment has been inspected or listed.
     *
     * @param code a code read from a directory entry
     * @return the kind, or {@code null} if no kind with that code is defined
     */
    public static ObjectKind ofCode(int code) {
        return DEFINED.get(code);
    }

    /** @return the number stored in the directory entry */
    public int code() {
        return code;
    }

    /** @return the name of the Java type users know the kind by */
    public String typeName() {
        return typeName;
    }

    @Override
    public String toString() {
        return typeName;
    }
}
