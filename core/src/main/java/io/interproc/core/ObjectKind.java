package io.interproc.core;

/**
 * The kind of a named object in a segment, stored as {@link #code()} in its directory entry so
 * that opening a name as the wrong kind fails with a {@link KindMismatchException} naming both.
 * Every kind of every interproc module is listed here, since the codes share one namespace.
 */
public enum ObjectKind {
    /** {@code SharedInt}. */
    INT(1, "SharedInt"),
    /** {@code SharedLong}. */
    LONG(2, "SharedLong"),
    /** {@code SharedDouble}. */
    DOUBLE(3, "SharedDouble"),
    /** {@code SharedIntArray}. */
    INT_ARRAY(4, "SharedIntArray"),
    /** {@code SharedLongArray}. */
    LONG_ARRAY(5, "SharedLongArray"),
    /** {@code SharedDoubleArray}. */
    DOUBLE_ARRAY(6, "SharedDoubleArray"),
    /** {@code SharedBytes}. */
    BYTES(7, "SharedBytes"),
    /** {@code SharedLock}. */
    LOCK(16, "SharedLock"),
    /** {@code SharedReentrantLock}. */
    REENTRANT_LOCK(17, "SharedReentrantLock"),
    /** {@code SharedSemaphore}. */
    SEMAPHORE(18, "SharedSemaphore"),
    /** {@code SharedEvent}. */
    EVENT(19, "SharedEvent"),
    /** {@code SharedCondition}. */
    CONDITION(20, "SharedCondition"),
    /** {@code SharedBarrier}. */
    BARRIER(21, "SharedBarrier"),
    /** {@code SharedQueue}. */
    QUEUE(32, "SharedQueue"),
    /** {@code SimpleQueue}. */
    SIMPLE_QUEUE(33, "SimpleQueue"),
    /** {@code JoinableQueue}. */
    JOINABLE_QUEUE(34, "JoinableQueue"),
    /** {@code Pipe}. */
    PIPE(35, "Pipe"),
    /** {@code ProcessPool} control block. */
    POOL(36, "ProcessPool");

    private final int code;
    private final String typeName;

    ObjectKind(int code, String typeName) {
        this.code = code;
        this.typeName = typeName;
    }

    /** @return the number stored in the directory entry */
    public int code() {
        return code;
    }

    /** @return the name of the Java type users know the kind by */
    public String typeName() {
        return typeName;
    }

    /**
     * @param code a code read from a directory entry
     * @return the kind, or {@code null} if no kind has that code
     */
    public static ObjectKind ofCode(int code) {
        for (ObjectKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return typeName;
    }
}
