package io.interproc.core;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * {@link Waiter} on the Linux {@code futex(2)} system call, called through a JNA direct
 * mapping of libc's {@code syscall}. Uses the shared (not {@code _PRIVATE}) operations, since
 * the word lives in a file mapped by several processes: the kernel keys such a futex by the
 * file page, so processes that map the same file at different addresses meet on it.
 */
final class FutexWaiter extends Waiter {
    static final FutexWaiter INSTANCE = new FutexWaiter();

    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final long SYS_FUTEX = syscallNumber();

    private static final ThreadLocal<Memory> TIMESPEC = ThreadLocal.withInitial(() -> new Memory(16));

    private FutexWaiter() {
    }

    private static long syscallNumber() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (!os.startsWith("linux")) {
            return -1;
        }
        switch (System.getProperty("os.arch", "")) {
            case "amd64":
            case "x86_64":
                return 202;
            case "aarch64":
            case "arm64":
                return 98;
            default:
                return -1;
        }
    }

    static boolean isSupported() {
        if (SYS_FUTEX < 0) {
            return false;
        }
        try {
            return Libc.LOADED;
        } catch (LinkageError e) {
            return false;
        }
    }

    @Override
    public String name() {
        return "futex";
    }

    @Override
    public void await(SharedBuffer buffer, int offset, int expected, long nanos) {
        long address = buffer.addressOfInt(offset);
        Memory ts = TIMESPEC.get();
        ts.setLong(0, nanos / 1_000_000_000L);
        ts.setLong(8, nanos % 1_000_000_000L);
        // Returns 0 when woken, -1 with EAGAIN (word changed), ETIMEDOUT or EINTR: the caller
        // re-checks its condition in every case, so the result is not needed.
        Libc.syscall(SYS_FUTEX, address, FUTEX_WAIT, expected, Pointer.nativeValue(ts), 0L, 0);
    }

    @Override
    public void wake(SharedBuffer buffer, int offset, int count) {
        Libc.syscall(SYS_FUTEX, buffer.addressOfInt(offset), FUTEX_WAKE, count, 0L, 0L, 0);
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

        static native long syscall(long number, long uaddr, int op, int val, long timeout,
                long uaddr2, int val3);
    }
}
