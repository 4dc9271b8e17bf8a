package io.interproc.sync;

import io.interproc.core.Segment;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.wait.Deadline;
import io.interproc.sync.internal.LockCore;
import io.interproc.sync.internal.ReentrancyPolicy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A reentrant mutual-exclusion lock shared by every process that opens it by name (Python:
 * {@code multiprocessing.RLock}), implementing {@link Lock} with the semantics of
 * {@link java.util.concurrent.locks.ReentrantLock} (non-fair).
 *
 * <p>The lock is held by one thread of one attachment; its hold count lives in shared memory.
 * The holding thread may acquire the lock again without waiting; each acquisition needs a
 * matching {@link #unlock()}, and the lock is free after the last one. Only the holding thread
 * may unlock; anyone else gets an {@link IllegalMonitorStateException} saying who holds it.
 *
 * <p><b>Owner death</b> is handled as for {@link SharedLock}: a waiter notices a dead holding
 * attachment (killed process, or a {@link Segment} closed while holding) when it is notified of
 * the death or detachment, checks once that the owner is dead, takes the lock over with a hold
 * count of 1, and {@link #lockRecovered()} is true until it fully releases the lock;
 * {@link #recoveries()} counts take-overs. {@link #tryLock()} and a timed
 * {@link #tryLock(long, TimeUnit)} about to fail check the owner once too. The uncontended and
 * the nested paths make no system call.
 *
 * <p><b>Memory effects</b>, across processes: acquiring the free lock has the effects of a
 * volatile read, and the last {@link #unlock()} those of a volatile write.
 *
 * <p><b>Conditions</b> need a name: {@link #newCondition(String)}; their waits release all holds
 * and restore them afterwards. {@link #newCondition()} is not supported.
 *
 * <p>Thread-safe. Every method throws {@link IllegalStateException} once the handle's segment is
 * closed, including a thread waiting in {@link #lock()} (at once).
 */
public final class SharedReentrantLock implements ConditionLock {
    /*
     * A handle on a LockCore with the COUNTED reentrancy policy; the layout is
     * ReentrantLockDescriptor's (LockDescriptor's with the hold count in its spare word).
     */
    private final LockCore core;

    private SharedReentrantLock(ObjectRegion region) {
        this.core = new LockCore(region, ReentrancyPolicy.COUNTED);
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
        return new SharedReentrantLock(LockCore.create(segment, name, ReentrancyPolicy.COUNTED));
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
        return new SharedReentrantLock(LockCore.open(segment, name, ReentrancyPolicy.COUNTED));
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
        return new SharedReentrantLock(LockCore.openOrCreate(segment, name, ReentrancyPolicy.COUNTED));
    }

    @Override
    public String name() {
        return core.name();
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
        core.lock();
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
        core.lockInterruptibly();
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
        return core.tryLock();
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
        return core.tryLock(timeout, unit);
    }

    /**
     * As {@link #tryLock(long, TimeUnit)}, with a {@link Duration}. Any thread may call this.
     *
     * @param timeout how long to wait at most; zero or negative tries once, as {@link #tryLock()}
     * @return true if the calling thread now holds the lock, false if the timeout elapsed
     * @throws InterruptedException if the thread is interrupted on entry or while waiting; the
     *     interrupt status is cleared
     * @throws IllegalStateException if the segment is closed, before or while waiting
     * @throws NullPointerException if {@code timeout} is null
     */
    public boolean tryLock(Duration timeout) throws InterruptedException {
        return core.tryLock(Deadline.toNanos(timeout), TimeUnit.NANOSECONDS);
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
        core.unlock();
    }

    /**
     * {@inheritDoc} A wait on the condition releases every hold and restores them afterwards.
     */
    @Override
    public SharedCondition newCondition(String name) {
        return SharedCondition.openOrCreate(core.segment(), name, this);
    }

    /**
     * Not supported: a condition that other processes can use needs a name in the segment.
     *
     * @return never
     * @throws UnsupportedOperationException always, naming {@link #newCondition(String)}
     */
    @Override
    public Condition newCondition() {
        throw core.unnamedConditionRefused();
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
        return core.holdCount();
    }

    @Override
    public boolean isLocked() {
        return core.isLocked();
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return core.isHeldByCurrentThread();
    }

    @Override
    public long holderPid() {
        return core.holderPid();
    }

    @Override
    public long recoveries() {
        return core.recoveries();
    }

    @Override
    public boolean lockRecovered() {
        return core.lockRecovered();
    }

    @Override
    public String toString() {
        return core.toString();
    }

    /** @return the lock's mechanism, for {@link SharedCondition} */
    LockCore core() {
        return core;
    }
}
