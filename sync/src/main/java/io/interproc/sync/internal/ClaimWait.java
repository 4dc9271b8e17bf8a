package io.interproc.sync.internal;

import io.interproc.core.Segment;
import io.interproc.core.wait.WaitLoop;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * One arriving party's wait for another that has claimed the entry it needs but not yet arrived
 * (it is between its two CASes, see {@link BarrierDescriptor}): the recovery policy beside the
 * barrier's arrival loop. The wait spins for {@link WaitLoop#SPIN_NANOS}, then parks in growing
 * steps, never past the caller's deadline; every {@link #CHECK_NANOS} it checks whether the
 * claimer is dead (it never arrived: its entry may be taken) or has been stuck for
 * {@link #STALL_NANOS} (taken too). Created by the arrival loop the first time it meets a
 * claimed entry; used by one thread.
 */
public final class ClaimWait {
    /** How long a live party may seem stuck between claiming its entry and arriving. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How often the claimer's liveness is checked. */
    static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Sleeps while another party is between its two CASes grow from this... */
    private static final long PAUSE_MIN_NANOS = TimeUnit.MICROSECONDS.toNanos(10);
    /** ...to this. */
    private static final long PAUSE_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final BarrierState barrier;
    private final Segment segment;
    private final String name;
    private final long timeoutNanos;
    private long since;
    private long lastCheck;
    private long state;
    private long entry;
    private long pauseNanos;

    /**
     * @param barrier the barrier
     * @param segment the caller's attachment
     * @param name the barrier's name, for messages
     * @param timeoutNanos the caller's timeout, for the message of a {@link TimeoutException}
     */
    public ClaimWait(BarrierState barrier, Segment segment, String name, long timeoutNanos) {
        this.barrier = barrier;
        this.segment = segment;
        this.name = name;
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * Waits a little for the claimer of entry k, which holds {@code e} while the state is
     * {@code s}: spins, parks or checks it, as long as the same claim is seen.
     *
     * @param s the state the caller read
     * @param e the claimed entry the caller read
     * @param k the entry's index (the caller's arrival number)
     * @param owner the claimer's owner id
     * @param leftNanos what is left of the caller's timeout
     * @return true if the caller may now try to take the entry over (by CAS from {@code e}):
     *     the claimer is dead or stuck and the state is still {@code s}; false to look again
     * @throws TimeoutException if the caller's deadline passed; the generation is then broken
     */
    public boolean mayTakeOver(long s, long e, int k, int owner, long leftNanos) throws TimeoutException {
        long now = System.nanoTime();
        if (since == 0 || state != s || entry != e) {
            since = now;
            lastCheck = now;
            state = s;
            entry = e;
            pauseNanos = 0;
        }
        if (leftNanos <= 0) {
            if (barrier.current() != s) {
                return false; // our view was stale: the other party had finished arriving; look again
            }
            barrier.breakFilling(BarrierDescriptor.generation(s));
            throw new TimeoutException("barrier '" + name + "' timed out before this thread could arrive:"
                    + " the party arriving as number " + k + " (ownerId=" + owner + ") had not finished"
                    + " arriving; timeoutNanos=" + timeoutNanos + ", parties=" + barrier.parties()
                    + "; the barrier is now broken");
        }
        if (now - since < WaitLoop.SPIN_NANOS) {
            Thread.onSpinWait();
            return false;
        }
        if (now - lastCheck < CHECK_NANOS) {
            pauseNanos = Math.min(Math.max(2 * pauseNanos, PAUSE_MIN_NANOS), PAUSE_MAX_NANOS);
            LockSupport.parkNanos(this, Math.min(pauseNanos, leftNanos));
            return false;
        }
        lastCheck = now;
        return (claimerDead(owner) || now - since > STALL_NANOS) && barrier.current() == s;
    }

    /** The caller claimed an entry: a later claimed entry starts a new wait. */
    public void claimed() {
        since = 0;
    }

    private boolean claimerDead(int owner) {
        return owner != segment.ownerId() && !segment.isAlive(owner);
    }
}
