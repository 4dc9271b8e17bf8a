package io.interproc.sync.internal;

import io.interproc.core.Segment;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.wait.WaitLoop;

/**
 * The owner-word protocol of both locks ({@link LockCore}): acquiring the word (CAS 0 → owner
 * id), waiting for it with {@link WaitLoop}, taking it over from a dead owner, and releasing it.
 * It reads {@link LockDescriptor}'s layout; a reentrant lock's layout,
 * {@link ReentrantLockDescriptor}, is that layout with the hold count in its spare word, so the
 * offsets agree by construction. With a hold count this class sets it to 1 on every acquisition.
 *
 * <p>Package-private. Thread-safe; holds no mutable state of its own. None of these methods calls
 * {@link Segment#ensureOpen()} on entry: the callers do, and the waits re-check it on each
 * liveness notice (closing the segment sends one).
 */
final class OwnerWord {
    private static final System.Logger LOG = System.getLogger(OwnerWord.class.getName());

    private final Segment segment;
    private final SharedBuffer buffer;
    private final String description;
    private final int ownerAt;
    private final int waitersAt;
    private final int holderAt;
    private final int recoveredAt;
    private final int recoveriesAt;
    private final int holdsAt;
    private final int me;

    /**
     * @param region the lock's object
     * @param description e.g. {@code SharedLock 'orders'}, for messages
     * @param counted true for the layout of {@link ReentrantLockDescriptor}, which has a hold count
     */
    OwnerWord(ObjectRegion region, String description, boolean counted) {
        this.segment = region.segment();
        this.buffer = region.buffer();
        this.description = description;
        int base = region.offset();
        this.ownerAt = base + LockDescriptor.OWNER_OFFSET;
        this.waitersAt = base + LockDescriptor.WAITERS_OFFSET;
        this.holderAt = base + LockDescriptor.HOLDER_THREAD_OFFSET;
        this.recoveredAt = base + LockDescriptor.RECOVERED_OFFSET;
        this.recoveriesAt = base + LockDescriptor.RECOVERIES_OFFSET;
        this.holdsAt = counted ? base + ReentrantLockDescriptor.HOLD_COUNT_OFFSET : -1;
        this.me = segment.ownerId();
    }

    /** @return the owner word: owner id of the holder, 0 when free (volatile read) */
    int owner() {
        return buffer.getIntVolatile(ownerAt);
    }

    /** @return threads sleeping (or about to sleep) on the owner word (volatile read) */
    int waiters() {
        return buffer.getIntVolatile(waitersAt);
    }

    /** @return the id of the holding thread in the holder's JVM, 0 when free (opaque read) */
    long holderThread() {
        return buffer.getLongOpaque(holderAt);
    }

    /**
     * @param thread a thread id of this JVM
     * @return true if that thread holds the lock through this attachment
     */
    boolean heldBy(long thread) {
        return buffer.getIntVolatile(ownerAt) == me && buffer.getLongOpaque(holderAt) == thread;
    }

    /** @return the hold count (opaque read); only meaningful for the holder */
    int holds() {
        return buffer.getIntOpaque(holdsAt);
    }

    /** @param holds the new hold count; only the holder may call this */
    void setHolds(int holds) {
        buffer.setIntOpaque(holdsAt, holds);
    }

    /** @return the recovered flag (volatile read) */
    boolean recovered() {
        return buffer.getIntVolatile(recoveredAt) != 0;
    }

    /** @return the take-over count (volatile read) */
    long recoveries() {
        return buffer.getLongVolatile(recoveriesAt);
    }

    /** @return the pid of the holder's process, -1 if free or its slot moved on */
    long holderPid() {
        int owner = owner();
        return owner == 0 ? -1 : segment.pidOf(owner);
    }

    /**
     * The fast path: one CAS 0 → owner id, no system call.
     *
     * @param thread the calling thread's id
     * @return true if the calling thread now holds the lock
     */
    boolean tryAcquireFree(long thread) {
        if (buffer.compareAndSetInt(ownerAt, 0, me)) {
            acquired(thread);
            return true;
        }
        return false;
    }

    /**
     * {@code tryLock()}: the fast path, then, if another attachment holds the word, one liveness
     * check of that owner and a take-over if it is dead.
     *
     * @param thread the calling thread's id
     * @return true if the calling thread now holds the lock
     */
    boolean tryAcquireOnce(long thread) {
        int seen = buffer.compareAndExchangeInt(ownerAt, 0, me);
        if (seen == 0) {
            acquired(thread);
            return true;
        }
        return takeOverIfDead(seen, thread);
    }

    /**
     * Waits until the calling thread holds the lock, ignoring interrupts (the interrupt status is
     * kept). Call after the fast path failed.
     *
     * @param thread the calling thread's id
     * @throws IllegalStateException if the segment is closed while waiting
     */
    void acquireUninterruptibly(long thread) {
        Acquisition acquisition = new Acquisition(thread);
        try {
            WaitLoop.awaitUninterruptibly(segment, ownerAt, waitersAt, acquisition, acquisition, WaitLoop.FOREVER);
        } catch (RuntimeException e) {
            passOnWakeUp();
            throw e;
        }
    }

    /**
     * Waits until the calling thread holds the lock or the timeout elapses; before giving up it
     * checks the owner's liveness once more. Call after the fast path failed.
     *
     * @param thread the calling thread's id
     * @param nanos {@code <= 0} to try once, {@link WaitLoop#FOREVER} for no deadline
     * @return true if the calling thread now holds the lock
     * @throws InterruptedException if interrupted; the status is cleared
     * @throws IllegalStateException if the segment is closed while waiting
     */
    boolean acquire(long thread, long nanos) throws InterruptedException {
        Acquisition acquisition = new Acquisition(thread);
        boolean acquired;
        try {
            acquired = WaitLoop.await(segment, ownerAt, waitersAt, acquisition, acquisition, nanos);
        } catch (InterruptedException | RuntimeException e) {
            passOnWakeUp();
            throw e;
        }
        return acquired || acquisition.lastChance();
    }

    /**
     * Frees the word and wakes one waiter if any is registered (no system call otherwise). Only
     * the holder may call this. Clears the holder thread, the hold count and the recovered flag
     * first; the getAndSet of the owner word publishes them and everything the holder wrote, and
     * is ordered before the read of the waiter count.
     */
    void release() {
        buffer.setLongOpaque(holderAt, 0);
        buffer.setIntOpaque(recoveredAt, 0);
        if (holdsAt >= 0) {
            buffer.setIntOpaque(holdsAt, 0);
        }
        buffer.getAndSetInt(ownerAt, 0);
        WaitLoop.wakeIfWaiting(buffer, ownerAt, waitersAt, 1);
    }

    private void acquired(long thread) {
        buffer.setLongOpaque(holderAt, thread);
        if (holdsAt >= 0) {
            buffer.setIntOpaque(holdsAt, 1);
        }
    }

    /**
     * A waiter that leaves without the lock (interrupt, closed segment) may have taken the
     * wake-up an unlock meant for another waiter: hand it on.
     */
    private void passOnWakeUp() {
        if (buffer.getIntVolatile(ownerAt) == 0) {
            WaitLoop.wakeIfWaiting(buffer, ownerAt, waitersAt, 1);
        }
    }

    /**
     * Takes the word over from {@code owner} if that attachment is dead: CAS owner → our id, then
     * sets the recovered flag and counts the recovery.
     *
     * @return true if the calling thread now holds the lock
     */
    private boolean takeOverIfDead(int owner, long thread) {
        if (owner == 0 || owner == me || segment.isAlive(owner)) {
            return false;
        }
        long deadPid = segment.pidOf(owner);
        if (!buffer.compareAndSetInt(ownerAt, owner, me)) {
            return false;
        }
        acquired(thread);
        buffer.setIntVolatile(recoveredAt, 1);
        long count = buffer.getAndAddLong(recoveriesAt, 1) + 1;
        LOG.log(System.Logger.Level.INFO, () -> description + " in segment '" + segment.name()
                + "' taken over from a dead owner: deadOwnerId=" + owner + ", deadPid=" + deadPid
                + ", pid=" + ProcessHandle.current().pid() + ", recoveries=" + count);
        return true;
    }

    /** One blocking acquisition: the attempt, and the owner check on each liveness notice. */
    private final class Acquisition implements WaitLoop.Attempt, WaitLoop.SliceCheck {
        private final long thread;
        private boolean checkOwner;

        Acquisition(long thread) {
            this.thread = thread;
        }

        @Override
        public long attempt() {
            int seen = buffer.getIntVolatile(ownerAt);
            if (seen == 0) {
                seen = buffer.compareAndExchangeInt(ownerAt, 0, me);
                if (seen == 0) {
                    acquired(thread);
                    return WaitLoop.DONE;
                }
            }
            if (checkOwner) {
                checkOwner = false;
                if (takeOverIfDead(seen, thread)) {
                    return WaitLoop.DONE;
                }
            }
            return seen & 0xFFFF_FFFFL;
        }

        /** Runs on a liveness notice (a process died or detached): the next attempt checks whether the owner is alive. */
        @Override
        public void afterSlice() {
            segment.ensureOpen();
            checkOwner = true;
        }

        /** The try before giving up on a timeout: one more attempt with a liveness check. */
        boolean lastChance() {
            checkOwner = true;
            return attempt() == WaitLoop.DONE;
        }
    }
}
