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
 * A mutual-exclusion lock shared by every process that opens it by name (Python:
 * {@code multiprocessing.Lock}), implementing {@link Lock}. Layout: {@link LockDescriptor}.
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
 * opened by a process): the owner word holds the attachment's {@linkplain Segment#ownerId()
 * owner id}, and the holding thread's id is recorded beside it. Only that thread may
 * {@link #unlock()}; anyone else gets an {@link IllegalMonitorStateException} saying who holds
 * the lock. (Python lets any process release a {@code Lock}; a {@code SharedSemaphore} of one
 * permit gives that behaviour.) The lock is <em>not reentrant</em>: {@link #lock()} or
 * {@link #lockInterruptibly()} by the thread that already holds it would wait forever, so it
 * throws {@link IllegalMonitorStateException} instead, and the {@code tryLock} forms return
 * {@code false} at once. Use {@link SharedReentrantLock} for nested locking.
 *
 * <p><b>Owner death.</b> If the holding attachment dies (its process is killed, or its
 * {@link Segment} is {@linkplain Segment#close() closed} while holding the lock), a thread that
 * waits for the lock is woken by the death or detachment (a liveness notice, also for a death
 * that came before the wait), makes one liveness check of the owner (a look at {@code /proc}),
 * takes the lock over by CAS, and returns holding it. {@link #lockRecovered()} then reports {@code true} until
 * that holder unlocks, and {@link #recoveries()} counts take-overs; the data the lock guards may
 * be half-updated and is for the new holder to repair. The non-blocking {@link #tryLock()} and a
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
 * <p><b>Conditions.</b> {@link #newCondition()} is not supported, because a condition other
 * processes can use needs a name: use {@link SharedCondition#openOrCreate(Segment, String, SharedLock)}.
 *
 * <p>Thread-safe; any thread of any attached process may use a handle. Every method throws
 * {@link IllegalStateException} once the handle's segment is closed, including a thread waiting
 * in {@link #lock()} (at once).
 */
public final class SharedLock implements Lock {
    private final Segment segment;
    private final String name;
    private final String description;
    private final int offset;
    private final OwnerWord word;
    private final ConditionLock conditionLock = new ConditionAdapter();

    private SharedLock(ObjectRegion region) {
        this.segment = region.segment();
        this.name = region.name();
        this.description = "SharedLock '" + name + "'";
        this.offset = region.offset();
        this.word = new OwnerWord(region, description, -1);
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
        return new SharedLock(segment.createObject(name, ObjectKind.LOCK, LockDescriptor.SIZE, ObjectInitializer.ZERO));
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
        return new SharedLock(segment.openObject(name, ObjectKind.LOCK));
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
        return new SharedLock(segment.openOrCreateObject(name, ObjectKind.LOCK, LockDescriptor.SIZE,
                ObjectInitializer.ZERO));
    }

    /** @return the lock's name in its segment */
    public String name() {
        return name;
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
        segment.ensureOpen();
        long thread = Thread.currentThread().getId();
        if (!word.tryAcquireFree(thread)) {
            checkNotHeldBy(thread, "lock()");
            word.acquireUninterruptibly(thread);
        }
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
        segment.ensureOpen();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long thread = Thread.currentThread().getId();
        if (!word.tryAcquireFree(thread)) {
            checkNotHeldBy(thread, "lockInterruptibly()");
            word.acquire(thread, WaitLoop.FOREVER);
        }
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
        segment.ensureOpen();
        return word.tryAcquireOnce(Thread.currentThread().getId());
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
            return false;
        }
        return word.acquire(thread, nanos);
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
        segment.ensureOpen();
        checkHeld("unlock()");
        word.release();
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
        if (!word.heldBy(Thread.currentThread().getId())) {
            return false;
        }
        word.release();
        return true;
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
     * Whether any thread of any attachment holds the lock. A lock whose owner died stays locked
     * until a waiter takes it over. A snapshot: it may change at once.
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
     *     freed or reused (the owner closed its segment, or died and was replaced)
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
     * Whether the current holder got the lock by taking it over from a dead owner, so the data
     * it guards may be half-updated. Set on take-over, cleared by {@link #unlock()}. Exact when
     * called by the holder; for anyone else a snapshot of the holder's flag.
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
        return "SharedLock[" + segment.name() + "/" + name + "]";
    }

    // ---------------------------------------------------------------- internals

    /** @return the adapter {@link SharedCondition} uses */
    ConditionLock conditionLock() {
        return conditionLock;
    }

    private void checkHeld(String operation) {
        long thread = Thread.currentThread().getId();
        int owner = word.owner();
        long holder = word.holderThread();
        if (owner != segment.ownerId() || holder != thread) {
            throw LockMessages.notHeld(description, operation, segment, owner, holder);
        }
    }

    private void checkNotHeldBy(long thread, String operation) {
        if (word.heldBy(thread)) {
            throw new IllegalMonitorStateException(description + " is not reentrant and is already held by the "
                    + "current thread: " + operation + " called by " + LockMessages.currentThread()
                    + "; use SharedReentrantLock for nested locking");
        }
    }

    /** Lets a {@link SharedCondition} release this lock and take it back. */
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
            return ObjectKind.LOCK;
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
            word.release();
            return 1;
        }

        @Override
        public void reacquireAfterWait(int holds) {
            segment.ensureOpen();
            long thread = Thread.currentThread().getId();
            if (!word.tryAcquireFree(thread)) {
                word.acquireUninterruptibly(thread);
            }
        }
    }
}
