package io.interproc.sync;

import java.util.concurrent.locks.Lock;

/**
 * A lock shared by every process that opens it by name, to which named {@link SharedCondition}s
 * can be bound: {@link SharedLock} or {@link SharedReentrantLock}. Both are held by one thread of
 * one attachment (a {@link io.interproc.core.Segment} opened by a process), are taken over when
 * their holding attachment dies, and have the memory effects of
 * {@link java.util.concurrent.locks.ReentrantLock} across processes; the class of each says
 * what a nested acquisition does.
 *
 * <pre>{@code
 * SharedLock lock = SharedLock.openOrCreate(segment, "buffer");
 * SharedCondition notEmpty = lock.newCondition("buffer.notEmpty");
 * }</pre>
 *
 * <p>Not for implementation outside this package.
 */
public sealed interface ConditionLock extends Lock permits SharedLock, SharedReentrantLock {
    /**
     * Opens the condition {@code name} in this lock's segment, through this handle's attachment,
     * creating it bound to this lock if it does not exist; processes racing to do this get the
     * same condition. Every process must use it with this lock.
     *
     * @param name the condition's name in the segment
     * @return the condition
     * @throws io.interproc.core.KindMismatchException if the name is another kind of object
     * @throws IllegalArgumentException if the existing condition is bound to another lock
     * @throws io.interproc.core.CorruptSegmentException if the existing condition's stored
     *     binding names no lock of the segment
     * @throws IllegalStateException if the segment is closed
     */
    SharedCondition newCondition(String name);

    /** @return the lock's name in its segment */
    String name();

    /**
     * Whether any thread of any attachment holds the lock. A lock whose owner died stays locked
     * until a waiter takes it over. A snapshot: it may change at once.
     *
     * @return true if the owner word is not 0 (volatile read)
     * @throws IllegalStateException if the segment is closed
     */
    boolean isLocked();

    /**
     * @return true if the calling thread, through this handle's attachment, holds the lock
     * @throws IllegalStateException if the segment is closed
     */
    boolean isHeldByCurrentThread();

    /**
     * The process id of the holder, from the segment's process table. A snapshot.
     *
     * @return the holder's pid, or -1 if the lock is free or its owner's process slot has been
     *     freed or reused (the owner closed its segment, or died and was replaced)
     * @throws IllegalStateException if the segment is closed
     */
    long holderPid();

    /**
     * How many times a thread took this lock over from a dead owner since the lock was created,
     * in any process (stored in shared memory).
     *
     * @return the count (volatile read)
     * @throws IllegalStateException if the segment is closed
     */
    long recoveries();

    /**
     * Whether the current holder got the lock by taking it over from a dead owner, so the data
     * it guards may be half-updated. Set on take-over, cleared when the holder releases the lock
     * (its last hold). Exact when called by the holder; for anyone else a snapshot.
     *
     * @return true while the lock is held by a thread that recovered it (volatile read)
     * @throws IllegalStateException if the segment is closed
     */
    boolean lockRecovered();
}
