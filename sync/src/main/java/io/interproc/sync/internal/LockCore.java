package io.interproc.sync.internal;

import io.interproc.core.Segment;
import io.interproc.core.spi.ObjectInitializer;
import io.interproc.core.spi.ObjectKind;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.wait.WaitLoop;

import java.util.concurrent.TimeUnit;

/**
 * The lock behind {@link io.interproc.sync.SharedLock} and
 * {@link io.interproc.sync.SharedReentrantLock} (the JDK's {@code ReentrantLock.Sync}): every
 * acquisition, release, wait and take-over, once, with a {@link ReentrancyPolicy} deciding what
 * a nested acquisition does. The public lock classes delegate each method here;
 * {@code SharedCondition} uses {@link #releaseForWait()} and {@link #reacquireAfterWait(int)}.
 * Thread-safe; immutable.
 */
public final class LockCore {
    /*
     * Every public operation checks that the handle's segment is open, then works on the owner
     * word (OwnerWord): the fast path is one CAS 0 -> owner id with no system call; a thread that
     * already holds the word asks the policy (refuse or count one more hold); anyone else waits in
     * WaitLoop, taking the word over if a liveness notice shows its owner dead. An unlock clears
     * the holder fields, frees the word and wakes one sleeper only if one is counted.
     */
    private final Segment segment;
    private final String name;
    private final String description;
    private final int offset;
    private final ReentrancyPolicy policy;
    private final OwnerWord word;

    /**
     * @param region the lock's object (or a part of another object, for an embedded lock)
     * @param policy the lock's type
     */
    public LockCore(ObjectRegion region, ReentrancyPolicy policy) {
        this.segment = region.segment();
        this.name = region.name();
        this.description = policy.kind() + " '" + name + "'";
        this.offset = region.offset();
        this.policy = policy;
        this.word = new OwnerWord(region, description, policy == ReentrancyPolicy.COUNTED);
    }

    /**
     * @return a new, free lock's object
     * @see io.interproc.sync.SharedLock#create
     */
    public static ObjectRegion create(Segment segment, String name, ReentrancyPolicy policy) {
        return segment.createObject(name, policy.kind(), ReentrancyPolicy.SIZE, ObjectInitializer.ZERO);
    }

    /**
     * @return an existing lock's object
     * @see io.interproc.sync.SharedLock#open
     */
    public static ObjectRegion open(Segment segment, String name, ReentrancyPolicy policy) {
        return segment.openObject(name, policy.kind());
    }

    /**
     * @return the lock's object, created free if missing
     * @see io.interproc.sync.SharedLock#openOrCreate
     */
    public static ObjectRegion openOrCreate(Segment segment, String name, ReentrancyPolicy policy) {
        return segment.openOrCreateObject(name, policy.kind(), ReentrancyPolicy.SIZE, ObjectInitializer.ZERO);
    }

    // ---------------------------------------------------------------- identity

    /** @return the attachment the lock handle was opened through */
    public Segment segment() {
        return segment;
    }

    /** @return the lock's name in its segment */
    public String name() {
        return name;
    }

    /** @return e.g. {@code SharedLock 'orders'}, for messages */
    public String description() {
        return description;
    }

    /** @return the lock's kind, recorded by a condition bound to it */
    public ObjectKind kind() {
        return policy.kind();
    }

    /** @return the offset of the lock's object in the segment, recorded by a condition bound to it */
    public int offset() {
        return offset;
    }

    // ---------------------------------------------------------------- Lock

    /** {@link java.util.concurrent.locks.Lock#lock()}: waits uninterruptibly, takes over from the dead. */
    public void lock() {
        segment.ensureOpen();
        long thread = Thread.currentThread().getId();
        if (!acquiredAtOnce(thread, "lock()")) {
            word.acquireUninterruptibly(thread);
        }
    }

    /** {@link java.util.concurrent.locks.Lock#lockInterruptibly()}; interrupted on entry throws. */
    public void lockInterruptibly() throws InterruptedException {
        segment.ensureOpen();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long thread = Thread.currentThread().getId();
        if (!acquiredAtOnce(thread, "lockInterruptibly()")) {
            word.acquire(thread, WaitLoop.FOREVER);
        }
    }

    /** The blocking acquisitions before they wait: the fast path, or a nested acquisition. */
    private boolean acquiredAtOnce(long thread, String operation) {
        if (word.tryAcquireFree(thread)) {
            return true;
        }
        if (word.heldBy(thread)) {
            policy.reenter(this, operation, true);
            return true;
        }
        return false;
    }

    /** {@link java.util.concurrent.locks.Lock#tryLock()}, with one liveness check of a foreign owner. */
    public boolean tryLock() {
        segment.ensureOpen();
        long thread = Thread.currentThread().getId();
        if (word.tryAcquireFree(thread)) {
            return true; // the uncontended path: one CAS, as in tryLock(long, TimeUnit)
        }
        if (word.heldBy(thread)) {
            return policy.reenter(this, "tryLock()", false);
        }
        return word.tryAcquireOnce(thread);
    }

    /** {@link java.util.concurrent.locks.Lock#tryLock(long, TimeUnit)}; a last liveness check before false. */
    public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = WaitLoop.toNanos(timeout, unit);
        segment.ensureOpen();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long thread = Thread.currentThread().getId();
        if (word.tryAcquireFree(thread)) {
            return true;
        }
        if (word.heldBy(thread)) {
            return policy.reenter(this, "tryLock(long, TimeUnit)", false);
        }
        return word.acquire(thread, nanos);
    }

    /** {@link java.util.concurrent.locks.Lock#unlock()}: one hold; the last frees and wakes one sleeper. */
    public void unlock() {
        segment.ensureOpen();
        checkHeld("unlock()");
        policy.unlockOnce(word);
    }

    /**
     * Releases the lock if the calling thread holds it, even if the handle's segment has been
     * closed since (see {@code SharedLock.unlockAfterOperation()}).
     *
     * @return true if it was held by the calling thread and is now released
     */
    public boolean unlockAfterOperation() {
        if (!word.heldBy(Thread.currentThread().getId())) {
            return false;
        }
        word.release();
        return true;
    }

    /** @return the refusal of {@link java.util.concurrent.locks.Lock#newCondition()}, naming the way out */
    public UnsupportedOperationException unnamedConditionRefused() {
        return new UnsupportedOperationException(description + " cannot create an unnamed condition: use "
                + "newCondition(name) so that other processes can open it by name");
    }

    // ---------------------------------------------------------------- state

    /** @return true if any thread of any attachment holds the lock (a snapshot) */
    public boolean isLocked() {
        segment.ensureOpen();
        return word.owner() != 0;
    }

    /** @return true if the calling thread holds the lock through this attachment */
    public boolean isHeldByCurrentThread() {
        segment.ensureOpen();
        return word.heldBy(Thread.currentThread().getId());
    }

    /** @return the calling thread's holds, 0 if it does not hold the lock */
    public int holdCount() {
        segment.ensureOpen();
        return word.heldBy(Thread.currentThread().getId()) ? word.holds() : 0;
    }

    /** @return the holder's pid, -1 if free or its process slot moved on */
    public long holderPid() {
        segment.ensureOpen();
        return word.holderPid();
    }

    /** @return take-overs from dead owners since the lock was created */
    public long recoveries() {
        segment.ensureOpen();
        return word.recoveries();
    }

    /** @return true while the holder is one that took the lock over from a dead owner */
    public boolean lockRecovered() {
        segment.ensureOpen();
        return word.recovered();
    }

    // ---------------------------------------------------------------- condition support

    /**
     * Releases the lock completely for a condition wait; the calling thread holds it.
     *
     * @return the holds to give back to {@link #reacquireAfterWait(int)}
     * @throws IllegalMonitorStateException if a reentrant lock is not held by the calling thread
     */
    public int releaseForWait() {
        return policy.releaseAll(this, word);
    }

    /**
     * Takes the lock back after a condition wait, ignoring interrupts (the status is kept) and
     * taking it over from a dead owner if need be, with the holds it had.
     *
     * @param holds what {@link #releaseForWait()} returned
     */
    public void reacquireAfterWait(int holds) {
        segment.ensureOpen();
        long thread = Thread.currentThread().getId();
        if (!word.tryAcquireFree(thread)) {
            word.acquireUninterruptibly(thread);
        }
        policy.restoreHolds(word, holds);
    }

    /** @return e.g. {@code SharedLock[segment/orders]} */
    @Override
    public String toString() {
        return policy.kind() + "[" + segment.name() + "/" + name + "]";
    }

    // ---------------------------------------------------------------- internals

    OwnerWord word() {
        return word;
    }

    void checkHeld(String operation) {
        long thread = Thread.currentThread().getId();
        int owner = word.owner();
        long holder = word.holderThread();
        if (owner != segment.ownerId() || holder != thread) {
            throw LockMessages.notHeld(description, operation, segment, owner, holder);
        }
    }
}
