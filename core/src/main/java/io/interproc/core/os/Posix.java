package io.interproc.core.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;


/**
 * The few POSIX calls the JDK does not offer, through a JNA direct mapping of libc: {@code open}
 * with {@code O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC}, {@code fstat}, {@code close}, and
 * open-file-description record locks ({@code fcntl} {@code F_OFD_SETLK}, {@code F_OFD_SETLKW},
 * {@code F_OFD_GETLK}, Linux 3.15+). An OFD lock belongs to one open file description (one
 * {@link #open} call), not to the process: it conflicts with locks taken through any other
 * {@code open} of the file, in this process or another, and the kernel drops it when that
 * description is closed or its process dies, in whatever PID namespace.
 *
 * <p>Linux on x86_64 and aarch64 only ({@link #isSupported()}); the constants and structure
 * layouts below are those two architectures'. Errors come back as {@link PosixException}
 * carrying {@code errno}.
 *
 * <p><b>Internal API</b>, thread-safe, no state.
 */
public final class Posix {
    /** {@code errno} EINTR: interrupted system call. */
    public static final int EINTR = 4;
    /** {@code errno} EAGAIN: a conflicting lock is held (non-blocking lock request). */
    public static final int EAGAIN = 11;
    /** {@code errno} EACCES: a conflicting lock is held (some file systems). */
    public static final int EACCES = 13;
    /** {@code errno} ENOENT: no such file. */
    public static final int ENOENT = 2;
    /** {@code errno} ELOOP: the last component is a symbolic link ({@code O_NOFOLLOW}). */
    public static final int ELOOP = 40;
    /** {@code errno} EINVAL: e.g. OFD locks unknown to the kernel, or an empty futex vector. */
    public static final int EINVAL = 22;
    /** {@code errno} ETIMEDOUT: a futex wait reached its timeout. */
    public static final int ETIMEDOUT = 110;

    private static final boolean LINUX = Machine.LINUX;
    private static final boolean X86_64 = Machine.X86_64;
    private static final boolean AARCH64 = Machine.AARCH64;

    /** {@code open} flags: read only. */
    public static final int O_RDONLY = 0;
    /** {@code open} flags: read and write. */
    public static final int O_RDWR = 2;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final int O_NOFOLLOW = AARCH64 ? 0x8000 : 0x20000;

    private static final int F_OFD_GETLK = 36;
    private static final int F_OFD_SETLK = 37;
    private static final int F_OFD_SETLKW = 38;
    private static final short F_RDLCK = 0;
    private static final short F_WRLCK = 1;
    private static final short F_UNLCK = 2;

    /** {@code struct flock}: l_type@0 (short), l_whence@2 (short), l_start@8, l_len@16, l_pid@24. */
    private static final int FLOCK_SIZE = 32;
    /** {@code struct stat} on x86_64 / aarch64: dev@0, ino@8, size@48; mode and uid differ. */
    private static final int STAT_SIZE = 144;
    private static final int STAT_MODE = AARCH64 ? 16 : 24;
    private static final int STAT_UID = AARCH64 ? 24 : 28;
    private static final int STAT_SIZE_OFFSET = 48;
    private static final int S_IFMT = 0xF000;
    private static final int S_IFREG = 0x8000;

    private Posix() {
    }

    /** @return true on Linux x86_64 or aarch64 with libc loadable */
    public static boolean isSupported() {
        if (!LINUX || !(X86_64 || AARCH64)) {
            return false;
        }
        try {
            return Libc.LOADED;
        } catch (LinkageError e) {
            return false;
        }
    }

    /** A failed system call. */
    public static final class PosixException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int errno;

        PosixException(String call, int errno) {
            super(call + " failed: errno=" + errno);
            this.errno = errno;
        }

        /** @return the {@code errno} value */
        public int errno() {
            return errno;
        }
    }

    /** What {@link #fstat} reports. */
    public record Stat(long device, long inode, int mode, int uid, long size) {
        /** @return true for a regular file */
        public boolean isRegularFile() {
            return (mode & S_IFMT) == S_IFREG;
        }

        /** @return the permission bits, e.g. {@code 0600} */
        public int permissions() {
            return mode & 07777;
        }
    }

    /**
     * Opens a file without following a symbolic link in its last component and without blocking
     * (a FIFO opens at once instead of waiting for a peer); close-on-exec.
     *
     * @param path the file
     * @param flags {@link #O_RDONLY} or {@link #O_RDWR}
     * @return the file descriptor
     * @throws PosixException with errno, e.g. {@link #ENOENT}, {@link #ELOOP}
     */
    public static int open(String path, int flags) throws PosixException {
        try {
            return Libc.open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new PosixException("open(" + path + ")", e.getErrorCode());
        }
    }

    /** @param fd a descriptor from {@link #open}; errors are ignored */
    public static void close(int fd) {
        try {
            Libc.close(fd);
        } catch (LastErrorException ignored) {
            // nothing useful to do: the descriptor is gone either way
        }
    }

    /**
     * @param fd an open descriptor
     * @return its file's device, inode, mode, owner and size
     * @throws PosixException with errno
     */
    public static Stat fstat(int fd) throws PosixException {
        Memory buf = new Memory(STAT_SIZE);
        buf.clear();
        try {
            Libc.fstat(fd, buf);
        } catch (LastErrorException e) {
            throw new PosixException("fstat(" + fd + ")", e.getErrorCode());
        }
        return new Stat(buf.getLong(0), buf.getLong(8), buf.getInt(STAT_MODE), buf.getInt(STAT_UID),
                buf.getLong(STAT_SIZE_OFFSET));
    }

    /**
     * Takes an exclusive OFD lock on one byte without waiting.
     *
     * @param fd the descriptor that will own the lock
     * @param offset the byte
     * @return true if taken, false if another open file description holds a conflicting lock
     * @throws PosixException for any other failure (e.g. {@link #EINVAL}: no OFD locks here)
     */
    public static boolean tryLockExclusive(int fd, long offset) throws PosixException {
        return lock(fd, F_OFD_SETLK, F_WRLCK, offset);
    }

    /**
     * Waits until a shared OFD lock on one byte can be taken, takes it and drops it at once:
     * returns when no other open file description holds the byte exclusively. A signal does
     * not end the wait early.
     *
     * @param fd a descriptor of the file, not one that holds the byte exclusively
     * @param offset the byte
     * @throws PosixException if the wait fails for another reason than a signal
     */
    public static void awaitUnlocked(int fd, long offset) throws PosixException {
        while (true) {
            try {
                flock(fd, F_OFD_SETLKW, F_RDLCK, offset);
                break;
            } catch (PosixException e) {
                if (e.errno() != EINTR) {
                    throw e;
                }
            }
        }
        unlock(fd, offset);
    }

    /**
     * @param fd a descriptor of the file (its own locks never count as a conflict)
     * @param offset the byte
     * @return true if some other open file description holds an exclusive lock on the byte
     * @throws PosixException if the test cannot be made
     */
    public static boolean isLockedExclusive(int fd, long offset) throws PosixException {
        Memory fl = flock(F_RDLCK, offset);
        try {
            Libc.fcntl(fd, F_OFD_GETLK, fl);
        } catch (LastErrorException e) {
            throw new PosixException("fcntl(F_OFD_GETLK)", e.getErrorCode());
        }
        return fl.getShort(0) == F_WRLCK;
    }

    /**
     * Releases this descriptor's lock on one byte (a no-op if it holds none).
     *
     * @param fd the descriptor
     * @param offset the byte
     * @throws PosixException on failure
     */
    public static void unlock(int fd, long offset) throws PosixException {
        flock(fd, F_OFD_SETLK, F_UNLCK, offset);
    }

    private static boolean lock(int fd, int cmd, short type, long offset) throws PosixException {
        try {
            flock(fd, cmd, type, offset);
            return true;
        } catch (PosixException e) {
            if (e.errno() == EAGAIN || e.errno() == EACCES) {
                return false;
            }
            throw e;
        }
    }

    private static void flock(int fd, int cmd, short type, long offset) throws PosixException {
        try {
            Libc.fcntl(fd, cmd, flock(type, offset));
        } catch (LastErrorException e) {
            throw new PosixException("fcntl(" + cmd + ")", e.getErrorCode());
        }
    }

    private static Memory flock(short type, long offset) {
        Memory fl = new Memory(FLOCK_SIZE);
        fl.clear(); // l_whence = SEEK_SET, l_pid = 0 (required for OFD locks)
        fl.setShort(0, type);
        fl.setLong(8, offset);
        fl.setLong(16, 1);
        return fl;
    }

    /** JNA direct mapping of the libc functions. */
    private static final class Libc {
        static final boolean LOADED;

        static {
            Native.register(Libc.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            LOADED = true;
        }

        private Libc() {
        }

        static native int open(String path, int flags, int mode) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;

        static native int fstat(int fd, Memory buf) throws LastErrorException;

        static native int fcntl(int fd, int cmd, Memory flock) throws LastErrorException;
    }
}
