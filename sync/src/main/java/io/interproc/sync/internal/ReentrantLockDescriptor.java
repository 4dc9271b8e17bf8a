package io.interproc.sync.internal;

/**
 * Layout of a {@link io.interproc.sync.SharedReentrantLock}: the layout of {@link LockDescriptor}
 * plus the hold count, in its spare word. Every offset is {@link LockDescriptor}'s, so the owner-word
 * protocol ({@link OwnerWord}) reads both layouts alike by construction.
 *
 * <pre>
 *  offset  size  field                     written by
 *  ------  ----  ------------------------  ------------------------------------------------
 *       0     4  owner word (futex)        acquirers (CAS 0 -&gt; ownerId, or dead -&gt; ownerId),
 *                                          the holder (getAndSet -&gt; 0 on the last unlock)
 *       4     4  waiter count              threads about to sleep on the owner word
 *       8     8  holder thread id          the holder, after acquiring; 0 when free
 *      16     4  recovered flag            the holder: 1 if it took the lock over from a
 *                                          dead owner, cleared before the last unlock
 *      20     4  hold count                the holder: 1 on acquire (and on take-over),
 *                                          +1 per nested acquire, -1 per unlock
 *      24     8  recoveries                the holder, once per take-over (monotonic)
 *      32    96  padding
 *     128        end
 * </pre>
 *
 * <p>The hold count is only written by the holding thread and is only meaningful while the
 * owner word names a live attachment; a new owner that takes the lock over resets it to 1.
 * One padded line for all fields, for the reason given in {@link LockDescriptor}.
 */
public final class ReentrantLockDescriptor {
    /** Offset of the owner word: owner id of the holder, 0 when free. Futex word. */
    public static final int OWNER_OFFSET = LockDescriptor.OWNER_OFFSET;
    /** Offset of the int count of threads sleeping (or about to sleep) on the owner word. */
    public static final int WAITERS_OFFSET = LockDescriptor.WAITERS_OFFSET;
    /** Offset of the long id of the holding thread, in the holder's JVM; 0 when free. */
    public static final int HOLDER_THREAD_OFFSET = LockDescriptor.HOLDER_THREAD_OFFSET;
    /** Offset of the int flag: 1 while the holder got the lock by taking it over from a dead owner. */
    public static final int RECOVERED_OFFSET = LockDescriptor.RECOVERED_OFFSET;
    /** Offset of the int number of holds of the current holder; 0 when free. The lock's spare word. */
    public static final int HOLD_COUNT_OFFSET = LockDescriptor.SPARE_OFFSET;
    /** Offset of the long count of take-overs from dead owners since the lock was created. */
    public static final int RECOVERIES_OFFSET = LockDescriptor.RECOVERIES_OFFSET;
    /** Bytes allocated per lock, as for {@link LockDescriptor}. */
    public static final int SIZE = LockDescriptor.SIZE;

    private ReentrantLockDescriptor() {
    }
}
