package io.interproc.sync;

import io.interproc.core.ObjectKind;
import io.interproc.core.Segment;

/**
 * What a {@link SharedCondition} needs from the lock it is bound to: to check that the calling
 * thread holds it, to release it completely before sleeping and to take it back afterwards.
 * Implemented by {@link SharedLock} and {@link SharedReentrantLock} through package-private
 * adapters, so none of this is public API.
 */
interface ConditionLock {
    /** @return the attachment the lock handle was opened through */
    Segment segment();

    /** @return e.g. {@code SharedLock 'orders'}, for messages */
    String description();

    /** @return the lock's kind, recorded in the condition */
    ObjectKind kind();

    /** @return the offset of the lock's object in the segment, recorded in the condition */
    int offset();

    /** @return true if the calling thread holds the lock */
    boolean isHeldByCurrentThread();

    /**
     * Releases the lock completely; the caller holds it.
     *
     * @return the holds to restore (1 for a non-reentrant lock)
     */
    int releaseForWait();

    /**
     * Takes the lock back with {@code holds} holds, ignoring interrupts (the interrupt status is
     * kept) and taking it over from a dead owner if need be.
     *
     * @param holds the value {@link #releaseForWait()} returned
     */
    void reacquireAfterWait(int holds);
}
