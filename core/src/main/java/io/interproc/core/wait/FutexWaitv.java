package io.interproc.core.wait;

import static io.interproc.core.os.Posix.EAGAIN;
import static io.interproc.core.os.Posix.EINTR;
import static io.interproc.core.os.Posix.EINVAL;
import static io.interproc.core.os.Syscalls.CLOCK_MONOTONIC;
import static io.interproc.core.os.Syscalls.FUTEX_PRIVATE_FLAG;
import static io.interproc.core.os.Syscalls.FUTEX_WAKE;

import io.interproc.core.os.Syscalls;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The Linux {@code futex_waitv(2)} system call (Linux 5.16+, number 449 on x86_64 and aarch64),
 * plus {@code FUTEX_WAKE} on a process-private word, through a JNA direct mapping of libc's
 * {@code syscall}. Used only by {@link WaitvHelper}.
 *
 * <pre>
 * struct futex_waitv, 24 bytes, native byte order:
 * +0   u64 val       the value the word must hold (zero-extended u32)
 * +8   u64 uaddr     the word's address, 4-byte aligned
 * +16  u32 flags     FUTEX2_SIZE_U32 (2), | FUTEX2_PRIVATE (128) for a private word
 * +20  u32 reserved  0
 * </pre>
 */
final class FutexWaitv {
    static final int ENTRY_SIZE = 24;
    /** Most entries one call accepts (the kernel's {@code FUTEX_WAITV_MAX}). */
    static final int MAX_ENTRIES = 128;
    static final int FUTEX2_SIZE_U32 = 2;
    static final int FUTEX2_PRIVATE = FUTEX_PRIVATE_FLAG;

    private static final long SYS_FUTEX_WAITV = Syscalls.FUTEX_WAITV;
    private static final long SYS_FUTEX = Syscalls.FUTEX;

    private static final boolean SUPPORTED = probe();

    private FutexWaitv() {
    }

    /**
     * Asks the kernel with an empty vector: a kernel that has the call answers EINVAL; an older
     * one ENOSYS, a seccomp filter (containers) EPERM or ENOSYS.
     */
    private static boolean probe() {
        if (SYS_FUTEX_WAITV == Syscalls.UNSUPPORTED) {
            return false;
        }
        try {
            long r = Libc.syscall(SYS_FUTEX_WAITV, 0L, 0L, 0L, 0L, CLOCK_MONOTONIC);
            return r == -1 && Native.getLastError() == EINVAL;
        } catch (LinkageError e) {
            return false;
        }
    }

    /** @return true if {@code futex_waitv} works on this machine */
    static boolean isSupported() {
        return SUPPORTED;
    }

    /**
     * Sleeps until one of the words is woken, with no timeout.
     *
     * @param vector address of {@code count} {@code struct futex_waitv}
     * @param count entries, 1 to {@value #MAX_ENTRIES}
     * @return the index of the (last) entry woken, or minus the errno (EAGAIN: a word did not hold
     *     its value; EINTR: a signal)
     */
    static int waitv(long vector, int count) {
        long r = Libc.syscall(SYS_FUTEX_WAITV, vector, count, 0L, 0L, CLOCK_MONOTONIC);
        return r >= 0 ? (int) r : -Native.getLastError();
    }

    /**
     * {@code FUTEX_WAKE_PRIVATE}: wakes up to {@code count} waiters of a word of this process.
     *
     * @param address the word
     * @param count how many
     */
    static void wakePrivate(long address, int count) {
        Libc.syscall(SYS_FUTEX, address, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, count, 0L, 0L);
    }

    /** JNA direct mapping of {@code long syscall(long number, ...)} with five long arguments. */
    private static final class Libc {
        static {
            Native.register(Libc.class, NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME));
        }

        private Libc() {
        }

        static native long syscall(long number, long a1, long a2, long a3, long a4, long a5);
    }
}
