package io.interproc.sync;

import io.interproc.core.ObjectInitializer;
import io.interproc.core.ObjectKind;
import io.interproc.core.ObjectRegion;
import io.interproc.core.Segment;
import io.interproc.core.WaitLoop;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A reentrant mutual-exclusion lock shared by every process that opens it by name (Python:
 * {@code multiprocessing.RLock}), implementing {@link Lock} with the semantics of
 * {@link java.util.concurrent.locks.ReentrantLock} (non-fair). Layout:
 * {@link ReentrantLockDescriptor}.
 *
 * <p>The owner id of the holding attachment, the holding thread's id and the hold count live in
 * shared memory. The holding thread may acquire the lock again without waiting; each acquisition
 * needs a matching {@link #unlock()}, and the lock is free after the last one. Only the holding
 * thread may unlock; anyone else gets an {@link IllegalMonitorStateException} saying who holds it.
 *
 * <p><b>Owner death</b> is handled as for {@link SharedLock}: a waiter notices a dead holding
 * attachment (killed process, or a {@link Segment} closed while holding) when it is notified of
 * the death or detachment, makes one liveness check, takes the lock over with a hold count of 1, and {@link #lockRecovered()} is true until it fully
 * releases the lock; {@link #recoveries()} counts take-overs. {@link #tryLock()} and a timed
 * {@link #tryLock(long, TimeUnit)} about to fail check the owner once too. The uncontended and
 * the nested paths make no system call.
 *
 * <p><b>Memory effects</b>, across processes: acquiring the free lock has the effects of a
 * volatile read, and the last {@link #unlock()} those of a volatile write.
 *
 * <p>{@link #newCondition()} is not supported (a shared condition needs a name): use
 * {@link SharedCondition#openOrCreate(Segment, String, SharedReentrantLock)}, whose waits
 * release all holds and restore them afterwards.
 *
 * <p>Thread-safe. Every method throws {@link IllegalStateException} once the handle's segment is
 * closed, including a thread waiting in {@link #lock()} (at once).
 */
public final class SharedReentrantLock implements Lock {
    private final Segment segment;
    private final String name;
    private final String description;
    private final int offset;
    private final OwnerWord word;
    private final ConditionLock conditionLock = new ConditionAdapter();

    private SharedReentrantLock(ObjectRegion region) {
        this.segment = region.segment();
        this.name = region.name();
        this.description = "SharedReentrantLock '" + name + "'";
        this.offset = region.offset();
        this.word = new OwnerWord(region, description, ReentrantLockDescriptor.HOLD_COUNT_OFFSET);
    }

    // ---------------------------------------------------------------- factories

    /**
     * Creates a new, free lock.
     *
     * @param segment where it lives
     * @param name its name in the segment
     * @return the new lock
     * @throws io.interproc.core.ObjectExistsException if the name exists
     * @throws io.interproc.core.SegmentFullException if there is no room
     * @throws IllegalStateException if the segment is closed
     */
    public static SharedReentrantLock create(Segment segment, String name) {
        return new SharedReentrantLock(segment.createObject(name, ObjectKind.REENTRANT_LOCK,
                ReentrantLockDescriptor.SIZE, ObjectInitializer.ZERO));
    }

    /**
     * Opens an existing lock.
     *
     * @param segment where it lives
     * @param name its name
     * @return the lock
     * @throws io.interproc.core.NoSuchObjectException if there is none
     * @throws io.interproc.core.KindMismatchException if the name is another kind of object
     * @throws IllegalStateException if the segment is closed
     */
    public static SharedReentrantLock open(Segment segment, String name) {
        return new SharedReentrantLock(segment.openObject(name, ObjectKind.REENTRANT_LOCK));
    }

    /**
     * Opens the lock, creating it (free) if it does not exist. Processes racing to do this get the
     * same lock.
     *
     * @param segment where it lives
     * @param name its name
     * @return the lock
     * @throws io.interproc.core.KindMismatchException if the name is another kind of object
     * @throws IllegalStateException if the segment is closed
     */
    public static SharedReentrantLock openOrCreate(Segment segment, String name) {
        return new SharedReentrantLock(segment.openOrCreateObject(name, ObjectKind.REENTRANT_LOCK,
                ReentrantLockDescriptor.SIZE, ObjectInitializer.ZERO));
    }

    /** @return the lock's name in its segment */
    public String name() {
        return name;
    }

    // ---------------------------------------------------------------- Lock

    /**
     * Acquires the lock: at once if the calling thread already holds it (one more hold), otherwise
     * waiting as long as it takes; interrupts do not stop the wait (the interrupt status is kept).
     * Takes the lock over if its owner is found dead.
     *
     * @throws IllegalStateException if the segment is closed, before or while waiting, or if the
     *     hold count would exceed {@link Integer#MAX_VALUE}
     */
    @Override
    public void lock() {
        segment.ensureOpen();
        long thread = Thread.currentThread().getId();
        if (word.tryAcquireFree(thread)) {
            return;
        }
        if (word.heldBy(thread)) {
            addHold("lock()");
            return;
        }
        word.acquireUninterruptibly(thread);
    }

    /**
     * As {@link #lock()}, but the wait stops if the thread is interrupted.
     *
     * @throws InterruptedException if the thread is interrupted on entry (even if it holds the
     *     lock, as in {@code ReentrantLock}) or while waiting; the interrupt status is cleared
     * @throws IllegalStateException if the segment is closed, or the hold count would overflow
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        segment.ensureOpen();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long thread = Thread.currentThread().getId();
        if (word.tryAcquireFree(thread)) {
            return;
        }
        if (word.heldBy(thread)) {
            addHold("lockInterruptibly()");
            return;
        }
        word.acquire(thread, WaitLoop.FOREVER);
    }

    /**
     * Acquires the lock if it is free or already held by the calling thread, without waiting. If
     * another attachment holds it, checks once whether that owner is dead (one look at
     * {@code /proc}) and if so takes the lock over.
     *
     * @return true if the calling thread now holds the lock (one more hold)
     * @throws IllegalStateException if the segment is closed, or the hold count would overflow
     */
    @Override
    public boolean tryLock() {
        segment.ensureOpen();
        long thread = Thread.currentThread().getId();
        if (word.heldBy(thread)) {
            addHold("tryLock()");
            return true;
        }
        return word.tryAcquireOnce(thread);
    }

    /**
     * Acquires the lock if it is free or held by the calling thread, or if it becomes free within
     * the timeout. A timeout {@code <= 0} tries once, as {@link #tryLock()}. The owner's liveness
     * is checked on each liveness notice and once more before returning {@code false}.
     *
     * @param timeout how long to wait at most
     * @param unit its unit
     * @return true if the calling thread now holds the lock, false if the timeout elapsed
     * @throws InterruptedException if the thread is interrupted on entry or while waiting; the
     *     interrupt status is cleared
     * @throws IllegalStateException if the segment is closed, or the hold count would overflow
     * @throws NullPointerException if {@code unit} is null
     */
    @Override
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
            addHold("tryLock(long, TimeUnit)");
            return true;
        }
        return word.acquire(thread, nanos);
    }

    /**
     * Removes one hold; the last one frees the lock, clears {@link #lockRecovered()} and wakes one
     * waiting thread if any (no system call when none waits).
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock; the
     *     message says whether it is free, held by another thread of this attachment or by
     *     another process or attachment
     * @throws IllegalStateException if the segment is closed
     */
    @Override
    public void unlock() {
        segment.ensureOpen();
        checkHeld("unlock()");
        int holds = word.holds();
        if (holds > 1) {
            word.setHolds(holds - 1);
        } else {
            word.release();
        }
    }

    /**
     * Not supported: a condition that other processes can use needs a name in the segment.
     *
     * @return never
     * @throws UnsupportedOperationException always, naming {@link SharedCondition}
     */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException(description + " cannot create an unnamed condition: use "
                + "SharedCondition.openOrCreate(segment, name, lock) so that other processes can open it by name");
    }

    // ---------------------------------------------------------------- state

    /**
     * The number of holds the calling thread has on this lock, as
     * {@link java.util.concurrent.locks.ReentrantLock#getHoldCount()}.
     *
     * @return the hold count, 0 if the calling thread does not hold the lock
     * @throws IllegalStateException if the segment is closed
     */
    public int getHoldCount() {
        segment.ensureOpen();
        return word.heldBy(Thread.currentThread().getId()) ? word.holds() : 0;
    }

    /**
     * Whether any thread of any attachment holds the lock. A lock whose owner died stays locked
     * until a waiter takes it over. A snapshot.
     *
     * @return true if the owner word is not 0 (volatile read)
     * @throws IllegalStateException if the segment is closed
     */
    public boolean isLocked() {
        segment.ensureOpen();
        return word.owner() != 0;
    }

    /**
     * @return true if the calling thread, through this handle's attachment, holds the lock
     * @throws IllegalStateException if the segment is closed
     */
    public boolean isHeldByCurrentThread() {
        segment.ensureOpen();
        return word.heldBy(Thread.currentThread().getId());
    }

    /**
     * The process id of the holder, from the segment's process table. A snapshot.
     *
     * @return the holder's pid, or -1 if the lock is free or its owner's process slot has been
     *     freed or reused
     * @throws IllegalStateException if the segment is closed
     */
    public long holderPid() {
        segment.ensureOpen();
        return word.holderPid();
    }

    /**
     * How many times a thread took this lock over from a dead owner since the lock was created,
     * in any process (stored in shared memory).
     *
     * @return the count (volatile read)
     * @throws IllegalStateException if the segment is closed
     */
    public long recoveries() {
        segment.ensureOpen();
        return word.recoveries();
    }

    /**
     * Whether the current holder got the lock by taking it over from a dead owner. Set on
     * take-over, cleared when the holder releases its last hold. Exact when called by the holder.
     *
     * @return true while the lock is held by a thread that recovered it (volatile read)
     * @throws IllegalStateException if the segment is closed
     */
    public boolean lockRecovered() {
        segment.ensureOpen();
        return word.recovered();
    }

    @Override
    public String toString() {
        return "SharedReentrantLock[" + segment.name() + "/" + name + "]";
    }

    // ---------------------------------------------------------------- condition support

    /**
     * Releases every hold of the calling thread at once, for a condition wait. Package-private:
     * used by {@link SharedCondition}.
     *
     * @return the holds to give back to {@link #restoreHolds(int)}
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    int releaseFully() {
        segment.ensureOpen();
        checkHeld("releaseFully()");
        int holds = Math.max(1, word.holds());
        word.release();
        return holds;
    }

    /**
     * Waits (ignoring interrupts, keeping the interrupt status) until the calling thread holds the
     * lock again, then sets its hold count to {@code holds}. Takes the lock over from a dead owner
     * if need be. Package-private: used by {@link SharedCondition}.
     *
     * @param holds what {@link #releaseFully()} returned
     */
    void restoreHolds(int holds) {
        segment.ensureOpen();
        long thread = Thread.currentThread().getId();
        if (!word.tryAcquireFree(thread)) {
            word.acquireUninterruptibly(thread);
        }
        word.setHolds(holds);
    }

    /** @return the adapter {@link SharedCondition} uses */
    ConditionLock conditionLock() {
        return conditionLock;
    }

    private void addHold(String operation) {
        int holds = word.holds();
        if (holds == Integer.MAX_VALUE) {
            throw new IllegalStateException(description + " hold count would overflow: holdCount=" + holds
                    + "; " + operation + " called by " + LockMessages.currentThread());
        }
        word.setHolds(holds + 1);
    }

    private void checkHeld(String operation) {
        long thread = Thread.currentThread().getId();
        int owner = word.owner();
        long holder = word.holderThread();
        if (owner != segment.ownerId() || holder != thread) {
            throw LockMessages.notHeld(description, operation, segment, owner, holder);
        }
    }

    /** Lets a {@link SharedCondition} release this lock completely and restore its holds. */
    private final class ConditionAdapter implements ConditionLock {
        @Override
        public Segment segment() {
            return segment;
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public ObjectKind kind() {
            return ObjectKind.REENTRANT_LOCK;
        }

        @Override
        public int offset() {
            return offset;
        }

        @Override
        public boolean isHeldByCurrentThread() {
            return word.heldBy(Thread.currentThread().getId());
        }

        @Override
        public int releaseForWait() {
            return releaseFully();
        }

        @Override
        public void reacquireAfterWait(int holds) {
            restoreHolds(holds);
        }
    }
}
