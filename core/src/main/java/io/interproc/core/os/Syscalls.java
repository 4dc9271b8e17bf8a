package io.interproc.core.os;

/**
 * Linux system-call numbers interproc calls through libc's {@code syscall}, named per
 * architecture. A number is {@link #UNSUPPORTED} on an operating system or architecture
 * interproc does not know; callers then fall back (see {@code docs/ARCHITECTURE.md}, waiting).
 */
public final class Syscalls {
    /** What a number is where the call is unknown. */
    public static final long UNSUPPORTED = -1;

    /** {@code futex} on x86_64. */
    public static final long X86_64_FUTEX = 202;
    /** {@code futex} on aarch64 (asm-generic table). */
    public static final long AARCH64_FUTEX = 98;
    /** {@code futex_waitv} (Linux 5.16+): the same number on x86_64 and aarch64. */
    public static final long FUTEX_WAITV_ANY = 449;

    /** {@code futex} operation: sleep while the word holds a value. */
    public static final int FUTEX_WAIT = 0;
    /** {@code futex} operation: wake sleepers of a word. */
    public static final int FUTEX_WAKE = 1;
    /** {@code futex} flag: the word is private to this process. */
    public static final int FUTEX_PRIVATE_FLAG = 128;
    /** {@code clockid_t} of the monotonic clock, as {@code futex_waitv} takes it. */
    public static final int CLOCK_MONOTONIC = 1;

    /** {@code futex(2)} on this machine, or {@link #UNSUPPORTED}. */
    public static final long FUTEX;
    /** {@code futex_waitv(2)} on this machine, or {@link #UNSUPPORTED}. */
    public static final long FUTEX_WAITV;

    static {
        if (Machine.LINUX && Machine.X86_64) {
            FUTEX = X86_64_FUTEX;
            FUTEX_WAITV = FUTEX_WAITV_ANY;
        } else if (Machine.LINUX && Machine.AARCH64) {
            FUTEX = AARCH64_FUTEX;
            FUTEX_WAITV = FUTEX_WAITV_ANY;
        } else {
            FUTEX = UNSUPPORTED;
            FUTEX_WAITV = UNSUPPORTED;
        }
    }

    private Syscalls() {
    }
}
