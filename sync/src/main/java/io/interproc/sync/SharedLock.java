package io.interproc.sync;

import io.interproc.core.Segment;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.wait.Deadline;
import io.interproc.sync.internal.LockCore;
import io.interproc.sync.internal.LockDescriptor;
import io.interproc.sync.internal.ReentrancyPolicy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A mutual-exclusion lock shared by every process that opens it by name (Python:
 * {@code multiprocessing.Lock}), implementing {@link Lock}.
 *
 * <pre>{@code
 * SharedLock lock = SharedLock.openOrCreate(segment, "orders");
 * lock.lock();
 * try {
 *     ... // exclusive across every thread of every process
 * } finally {
 *     lock.unlock();
 * }
 * }</pre>
 *
 * <p><b>Ownership.</b> The lock is held by one thread of one attachment (a {@link Segment}
 * opened by a process), identified by the attachment's {@linkplain Segment#ownerId() owner id}
 * and the thread's id. Only that thread may {@link #unlock()}; anyone else gets an
 * {@link IllegalMonitorStateException} saying who holds the lock. (Python lets any process
 * release a {@code Lock}; a {@code SharedSemaphore} of one permit gives that behaviour.) The lock
 * is <em>not reentrant</em>: {@link #lock()} or {@link #lockInterruptibly()} by the thread that
 * already holds it would wait forever, so it throws {@link IllegalMonitorStateException} instead,
 * and the {@code tryLock} forms return {@code false} at once. Use {@link SharedReentrantLock} for
 * nested locking.
 *
 * <p><b>Owner death.</b> If the holding attachment dies (its process is killed, or its
 * {@link Segment} is {@linkplain Segment#close() closed} while holding the lock), a thread that
 * waits for the lock is woken by the death or detachment (also for a death that came before the
 * wait), checks once that the owner is dead, takes the lock over and returns holding it.
 * {@link #lockRecovered()} then reports {@code true} until that holder unlocks, and
 * {@link #recoveries()} counts take-overs; the data the lock guards may be half-updated and is
 * for the new holder to repair. The non-blocking {@link #tryLock()} and a
 * {@link #tryLock(long, TimeUnit)} about to return {@code false} check the owner's liveness once
 * too, so polling callers recover a dead lock as well; an uncontended acquisition or release
 * never makes a system call. Death of a <em>thread</em> holding the lock inside a live process
 * is not detected (as with {@code java.util.concurrent} locks).
 *
 * <p><b>Memory effects</b>, across processes as within one: a successful acquisition has the
 * effects of a volatile read and {@link #unlock()} of a volatile write, so everything a holder
 * wrote before unlocking is visible to the next holder. The lock is not fair: a thread arriving
 * while the lock is free may take it before a sleeping waiter.
 *
 * <p><b>Conditions</b> need a name, so that other processes can open them:
 * {@link #newCondition(String)}; {@link #newCondition()} is not supported.
 *
 * <p>Thread-safe; any thread of any attached process may use a handle. Every method throws
 * {@link IllegalStateException} once the handle's segment is closed, including a thread waiting
 * in {@link #lock()} (at once).
 */
public final class SharedLock implements ConditionLock {
    /*
     * A handle on a LockCore with the REFUSED reentrancy policy; the layout is LockDescriptor's.
     * The mechanism (owner word, waiting, take-over) is described in LockCore and OwnerWord.
     */
    private final LockCore core;

    private SharedLock(ObjectRegion region) {
        this.core = new LockCore(region, ReentrancyPolicy.REFUSED);
    }

    // ---------------------------------------------------------------- factories

    /**
     * A lock laid out inside another object (a queue's producer and consumer locks), not named in
     * the segment's directory. <b>Internal API</b> for the ipc module: the part must be
     * {@link LockDescriptor#SIZE} bytes of zeroed or lock-formatted memory owned by that object.
     *
     * @param part the lock's bytes, from {@link ObjectRegion#part}
     * @return a lock handle over them
     * @throws IllegalArgumentException if the part is smaller than a lock
     */
    public static SharedLock embedded(ObjectRegion part) {
        if (part.length() < LockDescriptor.SIZE) {
            throw new IllegalArgumentException("embedded lock needs " + LockDescriptor.SIZE + " bytes: length="
                    + part.length());
        }
        return new SharedLock(part);
    }

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
    public static SharedLock create(Segment segment, String name) {
        return new SharedLock(LockCore.create(segment, name, ReentrancyPolicy.REFUSED));
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
    public static SharedLock open(Segment segment, String name) {
        return new SharedLock(LockCore.open(segment, name, ReentrancyPolicy.REFUSED));
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
    public static SharedLock openOrCreate(Segment segment, String name) {
        return new SharedLock(LockCore.openOrCreate(segment, name, ReentrancyPolicy.REFUSED));
    }

    @Override
    public String name() {
        return core.name();
    }

    // ---------------------------------------------------------------- Lock

    /**
     * Acquires the lock, waiting as long as it takes; interrupts do not stop the wait (the
     * interrupt status is kept). Takes the lock over if its owner is found dead.
     *
     * @throws IllegalMonitorStateException if the calling thread already holds the lock (it is
     *     not reentrant, so waiting would never end)
     * @throws IllegalStateException if the segment is closed, before or while waiting
     */
    @Override
    public void lock() {
        core.lock();
    }

    /**
     * Acquires the lock unless the thread is interrupted, waiting as long as it takes. Takes the
     * lock over if its owner is found dead.
     *
     * @throws InterruptedException if the thread is interrupted on entry or while waiting; the
     *     interrupt status is cleared
     * @throws IllegalMonitorStateException if the calling thread already holds the lock
     * @throws IllegalStateException if the segment is closed, before or while waiting
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        core.lockInterruptibly();
    }

    /**
     * Acquires the lock if it is free, without waiting. If it is held by another attachment, checks
     * once whether that owner is dead (one look at {@code /proc}) and if so takes the lock over.
     * The uncontended path makes no system call.
     *
     * @return true if the calling thread now holds the lock; false if it is held by a live owner,
     *     including the calling thread itself
     * @throws IllegalStateException if the segment is closed
     */
    @Override
    public boolean tryLock() {
        return core.tryLock();
    }

    /**
     * Acquires the lock if it becomes free within the timeout. A timeout {@code <= 0} tries once,
     * as {@link #tryLock()}. The owner's liveness is checked on each liveness notice and once more
     * before returning {@code false}, and a dead owner's lock is taken over.
     *
     * @param timeout how long to wait at most
     * @param unit its unit
     * @return true if the calling thread now holds the lock, false if the timeout elapsed (at once
     *     if the calling thread already holds it, since it could never become free)
     * @throws InterruptedException if the thread is interrupted on entry or while waiting; the
     *     interrupt status is cleared
     * @throws IllegalStateException if the segment is closed, before or while waiting
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
     * Releases the lock and wakes one waiting thread if any (no system call when none waits).
     * Clears {@link #lockRecovered()}.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock; the
     *     message says whether it is free, held by another thread of this attachment
     *     ({@code holderThreadId}) or by another process or attachment ({@code holderPid},
     *     {@code holderOwnerId})
     * @throws IllegalStateException if the segment is closed
     */
    @Override
    public void unlock() {
        core.unlock();
    }

    /**
     * Releases the lock if the calling thread holds it through this handle's attachment, even if
     * the attachment has been closed since the lock was taken. <b>Internal API</b> for objects
     * that embed a lock and hold it only between {@link Segment#beginOperation()} and
     * {@link Segment#endOperation()} (a queue's producer and consumer locks): until that operation
     * ends, {@link Segment#close()} keeps this attachment's process slot, so the lock is still
     * this attachment's to release and nobody has taken it over. Same memory effects as
     * {@link #unlock()}: everything the holder wrote happens-before the next acquisition.
     *
     * @return true if the lock was held by the calling thread and is now released; false if it was
     *     not held (nothing changes)
     */
    public boolean unlockAfterOperation() {
        return core.unlockAfterOperation();
    }

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

    /**
     * {@inheritDoc} Cleared by {@link #unlock()}.
     */
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
