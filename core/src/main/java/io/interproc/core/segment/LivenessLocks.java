package io.interproc.core.segment;

import io.interproc.core.os.Posix;

import java.nio.file.Path;

/**
 * The liveness locks of one segment file, seen through one descriptor of this JVM (the
 * "probe"): tests whether a slot's lock is held, waits until it is released, and takes it
 * briefly to reap a dead slot. See {@link ProcessTableDescriptor} for what the locks mean.
 *
 * <p>Where open-file-description locks are unavailable (not Linux x86_64/aarch64, or a file
 * system that refuses them), {@link #supported()} is false: every holder then counts as alive
 * for ever and nothing is recovered, because a guess could rob a live process.
 *
 * <p>Thread-safe. The descriptor is closed by {@link #close()}; no call may follow it.
 */
public final class LivenessLocks implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LivenessLocks.class.getName());

    private final int fd;
    private final int tableOffset;
    private final String problem;
    private volatile boolean closed;

    private LivenessLocks(int fd, int tableOffset, String problem) {
        this.fd = fd;
        this.tableOffset = tableOffset;
        this.problem = problem;
    }

    /**
     * Opens a probe descriptor of the file.
     *
     * @param path the segment file
     * @param tableOffset offset of its process table
     * @param segmentName for messages
     * @param flags {@link Posix#O_RDWR} to be able to reap dead slots, {@link Posix#O_RDONLY} for tests only
     * @return the locks; unsupported ones if the file cannot be opened or locked here
     */
    static LivenessLocks open(Path path, MappedFile.FileId id, int tableOffset, String segmentName, int flags) {
        if (!Posix.isSupported()) {
            return unsupported(tableOffset, segmentName, "record locks need Linux on x86_64 or aarch64: os.name="
                    + System.getProperty("os.name") + ", os.arch=" + System.getProperty("os.arch"));
        }
        int fd;
        try {
            fd = MappedFile.reopen(path, id, segmentName, flags);
        } catch (Posix.PosixException e) {
            return unsupported(tableOffset, segmentName, "cannot open " + path + " for liveness tests: " + e.getMessage());
        }
        try {
            Posix.isLockedExclusive(fd, ProcessTableDescriptor.lockByte(tableOffset, 0));
        } catch (Posix.PosixException e) {
            Posix.close(fd);
            return unsupported(tableOffset, segmentName, "the file system refuses record locks on " + path + ": "
                    + e.getMessage());
        }
        return new LivenessLocks(fd, tableOffset, null);
    }

    private static LivenessLocks unsupported(int tableOffset, String segmentName, String why) {
        LOG.log(System.Logger.Level.WARNING, "segment '" + segmentName + "': liveness cannot be tested (" + why
                + "); a process that dies holding a lock of this segment will not be recovered");
        return new LivenessLocks(-1, tableOffset, why);
    }

    /** @return true if the locks can be tested here */
    boolean supported() {
        return problem == null;
    }

    /** @return why they cannot, or null */
    String problem() {
        return problem;
    }

    /**
     * @param slot a slot index
     * @return true if some attachment (of any process, this one included) holds the slot's lock,
     *     or if that cannot be tested
     */
    boolean isHeld(int slot) {
        return onSlotLock(slot, Posix::isLockedExclusive, true);
    }

    /**
     * Blocks until nobody holds the slot's lock exclusively (its attachment detached or its
     * process died).
     *
     * @param slot a slot index
     * @throws Posix.PosixException if the wait fails
     * @throws IllegalStateException if the locks are unsupported or closed
     */
    void awaitReleased(int slot) throws Posix.PosixException {
        if (problem != null || closed) {
            throw new IllegalStateException("liveness locks unavailable: " + (closed ? "closed" : problem));
        }
        Posix.awaitUnlocked(fd, ProcessTableDescriptor.lockByte(tableOffset, slot));
    }

    /**
     * Takes the slot's lock through the probe descriptor, to reap a dead slot: while held, no
     * attachment can claim the slot.
     *
     * @param slot a slot index
     * @return true if taken; false if someone else holds it (or locks are unsupported)
     */
    boolean tryTake(int slot) {
        return onSlotLock(slot, Posix::tryLockExclusive, false);
    }

    /** @param slot a slot taken with {@link #tryTake} */
    void release(int slot) {
        try {
            Posix.unlock(fd, ProcessTableDescriptor.lockByte(tableOffset, slot));
        } catch (Posix.PosixException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot release the reaper's lock on slot " + slot + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (fd >= 0 && !closed) {
            closed = true;
            Posix.close(fd);
        }
    }

    /** A non-blocking record-lock call on one byte of the probe descriptor. */
    @FunctionalInterface
    private interface LockCall {
        boolean apply(int fd, long offset) throws Posix.PosixException;
    }

    /** @return {@code call} on the slot's lock byte, or {@code unavailable} if locks cannot be used or it fails */
    private boolean onSlotLock(int slot, LockCall call, boolean unavailable) {
        if (problem != null || closed) {
            return unavailable;
        }
        try {
            return call.apply(fd, ProcessTableDescriptor.lockByte(tableOffset, slot));
        } catch (Posix.PosixException e) {
            return unavailable;
        }
    }
}
