package io.interproc.core.wait;

import static io.interproc.core.os.Posix.EAGAIN;
import static io.interproc.core.os.Posix.EINTR;
import static io.interproc.core.os.Posix.EINVAL;
import static io.interproc.core.os.Posix.ETIMEDOUT;
import static io.interproc.core.os.Syscalls.CLOCK_MONOTONIC;
import static io.interproc.core.os.Syscalls.FUTEX_PRIVATE_FLAG;
import static io.interproc.core.os.Syscalls.FUTEX_WAIT;
import static io.interproc.core.os.Syscalls.FUTEX_WAKE;

import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.os.Syscalls;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * {@link Waiter} on the Linux {@code futex(2)} system call, called through a JNA direct
 * mapping of libc's {@code syscall}. Uses the shared (not {@code _PRIVATE}) operations on the
 * shared word, since it lives in a file mapped by several processes: the kernel keys such a
 * futex by the file page, so processes that map the same file at different addresses meet on it.
 *
 * <p><b>{@link WaitLoop}'s sleep</b> uses {@code futex_waitv} (Linux 5.16 and later, system call
 * 449 on x86_64 and aarch64) on two words at once: the shared word, and the sleeping thread's
 * private kick word ({@link Sleeper}), with {@code FUTEX2_SIZE_U32} (plus {@code FUTEX2_PRIVATE}
 * for the kick word). A {@link #kick} increments the kick word, then {@code FUTEX_WAKE_PRIVATE}s
 * it; since the sleeper read the kick word before its last check and the kernel compares both
 * words with what the sleeper read before it sleeps, a kick can never be lost. The deadline is
 * absolute on {@code CLOCK_MONOTONIC}, as {@code futex_waitv} requires (never the wall clock).
 *
 * <p><b>Fallback.</b> Where {@code futex_waitv} is missing ({@code ENOSYS}, or refused by a
 * seccomp filter), or with {@code -Dinterproc.wait.futexWaitv=false}, the sleep is a plain
 * {@code FUTEX_WAIT} on the shared word for at most {@link WaitLoop#SLICE_NANOS}; a kick then
 * wakes every sleeper of that word (in every process: they re-check and sleep again). A kick
 * that lands between the sleeper's last look at its kick word and its entry into the kernel is
 * only seen when the slice ends.
 */
public final class FutexWaiter extends Waiter {
    static final FutexWaiter INSTANCE = new FutexWaiter();

    /** System property: {@code false} to never use {@code futex_waitv} (tests of the fallback). */
    public static final String WAITV_PROPERTY = "interproc.wait.futexWaitv";

    private static final int FUTEX2_SIZE_U32 = 0x02;
    private static final int FUTEX2_PRIVATE = FUTEX_PRIVATE_FLAG;
    private static final long SYS_FUTEX = Syscalls.FUTEX;
    private static final long SYS_FUTEX_WAITV = Syscalls.FUTEX_WAITV;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final System.Logger LOG = System.getLogger(FutexWaiter.class.getName());

    // Layout of a sleeper's scratch memory (Sleeper.scratch, Sleeper.SCRATCH_SIZE bytes): its kick
    // word at Sleeper.KICK_AT, then two struct futex_waitv {u64 val; u64 uaddr; u32 flags;
    // u32 reserved} and a struct timespec {i64 tv_sec; i64 tv_nsec}.
    private static final int KICK_AT = Sleeper.KICK_AT;
    private static final int WAITV_AT = 8;
    private static final int WAITV_SIZE = 24;
    private static final int TIMESPEC_AT = WAITV_AT + 2 * WAITV_SIZE;

    static {
        if (TIMESPEC_AT + 16 > Sleeper.SCRATCH_SIZE) {
            throw new AssertionError("Sleeper.SCRATCH_SIZE too small");
        }
    }

    private static final ThreadLocal<Memory> TIMESPEC = ThreadLocal.withInitial(() -> new Memory(16));

    /** Whether WaitLoop's sleeps use futex_waitv; cleared for good if the kernel refuses it. */
    private static volatile boolean waitv = !"false".equals(System.getProperty(WAITV_PROPERTY)) && probeWaitv();

    private FutexWaiter() {
    }

    static boolean isSupported() {
        if (SYS_FUTEX == Syscalls.UNSUPPORTED) {
            return false;
        }
        try {
            return Libc.LOADED;
        } catch (LinkageError e) {
            return false;
        }
    }

    /** @return true if the kernel has futex_waitv: a call with no futexes fails with EINVAL, not ENOSYS */
    private static boolean probeWaitv() {
        if (!isSupported()) {
            return false;
        }
        long r = Libc.syscall(SYS_FUTEX_WAITV, 0L, 0, 0, 0L, 0L, 0);
        return r == -1 && Native.getLastError() == EINVAL;
    }

    /** @return true if WaitLoop's sleeps wait on the shared word and the kick word at once */
    static boolean usesWaitv() {
        return waitv;
    }

    @Override
    public String name() {
        return "futex";
    }

    @Override
    public void await(SharedBuffer buffer, int offset, int expected, long nanos) {
        long address = buffer.addressOfInt(offset);
        Memory ts = TIMESPEC.get();
        ts.setLong(0, nanos / NANOS_PER_SECOND);
        ts.setLong(8, nanos % NANOS_PER_SECOND);
        // Returns 0 when woken, -1 with EAGAIN (word changed), ETIMEDOUT or EINTR: the caller
        // re-checks its condition in every case, so the result is not needed.
        Libc.syscall(SYS_FUTEX, address, FUTEX_WAIT, expected, Pointer.nativeValue(ts), 0L, 0);
    }

    @Override
    public int wake(SharedBuffer buffer, int offset, int count) {
        long woken = Libc.syscall(SYS_FUTEX, buffer.addressOfInt(offset), FUTEX_WAKE, count, 0L, 0L, 0);
        return woken < 0 ? -1 : (int) woken;
    }

    @Override
    void await(SharedBuffer buffer, int offset, int expected, Sleeper sleeper, int kicksSeen, long nanos) {
        long address = buffer.addressOfInt(offset);
        if (waitv) {
            SharedBuffer scratch = sleeper.scratch();
            long base = scratch.addressOfInt(0);
            scratch.setLong(WAITV_AT, expected & 0xFFFF_FFFFL);
            scratch.setLong(WAITV_AT + 8, address);
            scratch.setInt(WAITV_AT + 16, FUTEX2_SIZE_U32);
            scratch.setInt(WAITV_AT + 20, 0);
            scratch.setLong(WAITV_AT + WAITV_SIZE, kicksSeen & 0xFFFF_FFFFL);
            scratch.setLong(WAITV_AT + WAITV_SIZE + 8, base + KICK_AT);
            scratch.setInt(WAITV_AT + WAITV_SIZE + 16, FUTEX2_SIZE_U32 | FUTEX2_PRIVATE);
            scratch.setInt(WAITV_AT + WAITV_SIZE + 20, 0);
            long timeout = 0L; // NULL: no timeout
            if (nanos != Long.MAX_VALUE) {
                timeout = base + TIMESPEC_AT;
                Libc.clock_gettime(CLOCK_MONOTONIC, timeout);
                long sec = scratch.getLong(TIMESPEC_AT) + nanos / NANOS_PER_SECOND;
                long nsec = scratch.getLong(TIMESPEC_AT + 8) + nanos % NANOS_PER_SECOND;
                if (nsec >= NANOS_PER_SECOND) {
                    sec++;
                    nsec -= NANOS_PER_SECOND;
                }
                scratch.setLong(TIMESPEC_AT, sec);
                scratch.setLong(TIMESPEC_AT + 8, nsec);
            }
            // >= 0 (index of the word woken), or -1 with EAGAIN (a word differs), ETIMEDOUT or
            // EINTR: the caller re-checks in every case. Anything else means the kernel refuses
            // the call (a seccomp filter, say): fall back to slices from now on.
            long r = Libc.syscall(SYS_FUTEX_WAITV, base + WAITV_AT, 2, 0, timeout, CLOCK_MONOTONIC, 0);
            if (r == -1) {
                int errno = Native.getLastError();
                if (errno != EAGAIN && errno != ETIMEDOUT && errno != EINTR) {
                    waitv = false;
                    LOG.log(System.Logger.Level.WARNING, () -> "futex_waitv failed with errno " + errno
                            + ": waits fall back to FUTEX_WAIT in slices of "
                            + java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(WaitLoop.SLICE_NANOS) + " ms");
                }
            }
            return;
        }
        // Fallback: a kick wakes the word itself (see kick), so publish it before the last look.
        sleeper.setSleepingAddress(address);
        try {
            if (sleeper.kicks() != kicksSeen) {
                return;
            }
            await(buffer, offset, expected, Math.min(nanos, WaitLoop.SLICE_NANOS));
        } finally {
            sleeper.setSleepingAddress(0L);
        }
    }

    @Override
    void kick(Sleeper sleeper) {
        // Always, not only while waitv is on: it may have been turned off during this sleep.
        Libc.syscall(SYS_FUTEX, sleeper.scratch().addressOfInt(KICK_AT), FUTEX_WAKE | FUTEX_PRIVATE_FLAG,
                Integer.MAX_VALUE, 0L, 0L, 0);
        long address = sleeper.sleepingAddress();
        if (address != 0L) {
            Libc.syscall(SYS_FUTEX, address, FUTEX_WAKE, Integer.MAX_VALUE, 0L, 0L, 0);
        }
    }

    @Override
    boolean needsInterruptKick() {
        return true;
    }

    /** JNA direct mapping of {@code long syscall(long number, ...)} with futex's arguments. */
    private static final class Libc {
        static final boolean LOADED;

        static {
            Native.register(Libc.class, NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME));
            LOADED = true;
        }

        private Libc() {
        }

        /*
         * futex(uaddr, op, val, timeout, uaddr2, val3); and futex_waitv(waiters, nr_futexes,
         * flags, timeout, clockid) with nr_futexes and flags in the int slots and clockid in
         * uaddr2 (the kernel truncates each argument to its declared type).
         */
        static native long syscall(long number, long uaddr, int op, int val, long timeout,
                long uaddr2, int val3);

        static native int clock_gettime(int clockId, long timespec);
    }
}
