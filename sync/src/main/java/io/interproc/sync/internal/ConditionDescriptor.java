package io.interproc.sync.internal;

import io.interproc.core.ObjectInfo;
import io.interproc.core.Segment;
import io.interproc.core.memory.Layout;

/**
 * Layout of a {@link io.interproc.sync.SharedCondition}.
 *
 * <pre>
 *  offset  size  field                     written by
 *  ------  ----  ------------------------  ------------------------------------------------
 *       0     4  sequence (futex)          signallers: +1 per signal/signalAll (getAndAdd)
 *       4     4  sleeper count             threads about to sleep on the sequence
 *                                          ({@code WaitLoop}); read by signallers
 *       8     8  signal word               bits 63..32  epoch: +1 per signalAll that finds
 *                                                       waiters (getAndSet, under the lock)
 *                                          bits 31..0   signals issued in this epoch and
 *                                                       not yet taken: +1 per signal
 *                                                       (getAndAdd, under the lock), -1 by
 *                                                       a waking waiter (CAS, without the
 *                                                       lock, only if the epoch still
 *                                                       matches), 0 on signalAll
 *      16     4  unsignalled               under the lock: waiters registered in this epoch
 *                                          and not yet signalled (+1 per await, -1 per
 *                                          signal and per timed-out or interrupted waiter,
 *                                          0 on signalAll)
 *      20     4  lock kind code            the creator: kind of the bound lock
 *      24     4  lock offset               the creator: offset of the bound lock's object
 *                                          in the segment
 *      28   100  padding
 *     128        end
 * </pre>
 *
 * <p>Invariant, within one epoch: {@code unsignalled + signals} equals the number of threads
 * registered in that epoch that have not yet left {@code await}, plus waiters that were killed
 * (their share only ever causes spurious wake-ups, and the next {@code signalAll} starts a new
 * epoch at zero). The epoch and the signal count share one word so that a waiter registered in
 * an earlier epoch can never take a signal meant for a later one. The sequence and the sleeper
 * count are the futex word and its count. One padded line for all fields: a signal touches all
 * of the hot ones at once (see {@link LockDescriptor}).
 */
public final class ConditionDescriptor {
    /** Offset of the int sequence word the waiters sleep on. Futex word. */
    public static final int SEQUENCE_OFFSET = 0;
    /** Offset of the int count of threads sleeping (or about to sleep) on the sequence. */
    public static final int SLEEPERS_OFFSET = SEQUENCE_OFFSET + Integer.BYTES;
    /** Offset of the long signal word: epoch in the high half, pending signals in the low half. */
    public static final int SIGNAL_WORD_OFFSET = SLEEPERS_OFFSET + Integer.BYTES;
    /** Offset of the int number of waiters registered in this epoch and not yet signalled. */
    public static final int UNSIGNALLED_OFFSET = SIGNAL_WORD_OFFSET + Long.BYTES;
    /** Offset of the int {@code ObjectKind} code of the lock the condition is bound to. */
    public static final int LOCK_KIND_OFFSET = UNSIGNALLED_OFFSET + Integer.BYTES;
    /** Offset of the int segment offset of the lock the condition is bound to. */
    public static final int LOCK_OFFSET_OFFSET = LOCK_KIND_OFFSET + Integer.BYTES;
    /** End of the fields: the rest of the line is padding. */
    public static final int FIELDS_END = LOCK_OFFSET_OFFSET + Integer.BYTES;
    /** Bytes allocated per condition: one padded line. */
    public static final int SIZE = Layout.nextLinePair(FIELDS_END);

    private ConditionDescriptor() {
    }

    /** @param signalWord a signal word @return its epoch */
    public static int epoch(long signalWord) {
        return (int) (signalWord >>> 32);
    }

    /** @param signalWord a signal word @return its count of pending signals */
    public static int signals(long signalWord) {
        return (int) signalWord;
    }

    /** @param epoch an epoch @param signals pending signals, {@code >= 0} @return the signal word */
    public static long signalWord(int epoch, int signals) {
        return ((long) epoch << 32) | (signals & 0xFFFF_FFFFL);
    }

    /**
     * Finds the lock a condition's binding names in its segment's directory.
     *
     * @param segment the condition's segment
     * @param kindCode the bound lock's kind code, as stored
     * @param lockOffset the bound lock's offset, as stored
     * @return {@code "<kind> '<name>'"} of the object at that offset with that kind, or null if none
     */
    public static String boundLock(Segment segment, int kindCode, int lockOffset) {
        for (ObjectInfo info : segment.objects()) {
            if (info.offset() == lockOffset && info.kind().code() == kindCode) {
                return info.kind() + " '" + info.name() + "'";
            }
        }
        return null;
    }
}
