package io.interproc.core;

/**
 * Kernel waits for threads that must not block in native code: virtual threads (JDK 21+), which
 * would pin their carrier inside a {@code futex} call. Such a thread parks; a platform thread of
 * this class does the kernel wait for it and unparks it.
 *
 * <p>STUB: the virtual-thread work replaces this body; until then it blocks in the kernel.
 *
 * <p><b>Internal API</b>, thread-safe.
 */
public final class ParkedWaits {
    private ParkedWaits() {
    }

    /**
     * @param thread a thread
     * @return true if it is a virtual thread (always false before JDK 21)
     */
    public static boolean isVirtual(Thread thread) {
        return false;
    }

    /**
     * Parks the calling thread while the int at {@code offset} equals {@code expected}, for at
     * most {@code nanos}; returns early on a wake-up of the word ({@link Waiter#wake}), a change
     * of the word, an interrupt, a {@link java.util.concurrent.locks.LockSupport#unpark} of the
     * thread, or spuriously. The caller re-checks its condition in every case.
     *
     * @param buffer the mapping holding the word
     * @param offset byte offset of a 4-byte-aligned int
     * @param expected the value the caller last read
     * @param nanos longest wait, positive
     */
    public static void await(SharedBuffer buffer, int offset, int expected, long nanos) {
        Waiter.get().await(buffer, offset, expected, nanos);
    }
}
