package io.interproc.sync.internal;

import io.interproc.core.memory.Layout;

/**
 * Layout of a {@link io.interproc.sync.SharedLock}, and the base of
 * {@link ReentrantLockDescriptor}.
 *
 * <pre>
 *  offset  size  field                     written by
 *  ------  ----  ------------------------  ------------------------------------------------
 *       0     4  owner word (futex)        acquirers (CAS 0 -&gt; ownerId, or dead -&gt; ownerId),
 *                                          the holder (getAndSet -&gt; 0 on unlock)
 *       4     4  waiter count              threads about to sleep on the owner word
 *                                          ({@code WaitLoop}); read by the unlocker
 *       8     8  holder thread id          the holder, after acquiring; 0 when free
 *      16     4  recovered flag            the holder: 1 if it took the lock over from a
 *                                          dead owner, cleared before unlock
 *      20     4  spare (zero here; the hold count of a reentrant lock)
 *      24     8  recoveries                the holder, once per take-over (monotonic)
 *      32    96  padding to the end of the line
 *     128        end
 * </pre>
 *
 * <p>The owner word holds the {@linkplain io.interproc.core.Segment#ownerId() owner id} of the
 * holding attachment, 0 when the lock is free. It and the waiter count are 4-byte-aligned ints
 * (the futex word and its count). Every field sits on the object's single padded line
 * ({@link Layout#LINE_PAIR}) on
 * purpose: they are always touched together (an unlock writes the owner word and then reads the
 * waiter count; a waiter increments the count and then reads the word; the holder fields are
 * written right after the owner word is won), so one line costs one cache miss where several
 * lines would cost several. The object is 128-byte aligned by the allocator, so no other
 * object's hot word shares the line.
 */
public final class LockDescriptor {
    /** Offset of the owner word: owner id of the holder, 0 when free. Futex word. */
    public static final int OWNER_OFFSET = 0;
    /** Offset of the int count of threads sleeping (or about to sleep) on the owner word. */
    public static final int WAITERS_OFFSET = OWNER_OFFSET + Integer.BYTES;
    /** Offset of the long id of the holding thread, in the holder's JVM; 0 when free. */
    public static final int HOLDER_THREAD_OFFSET = WAITERS_OFFSET + Integer.BYTES;
    /** Offset of the int flag: 1 while the holder got the lock by taking it over from a dead owner. */
    public static final int RECOVERED_OFFSET = HOLDER_THREAD_OFFSET + Long.BYTES;
    /** Offset of the spare int: zero in a lock, the hold count in a reentrant lock. */
    public static final int SPARE_OFFSET = RECOVERED_OFFSET + Integer.BYTES;
    /** Offset of the long count of take-overs from dead owners since the lock was created. */
    public static final int RECOVERIES_OFFSET = SPARE_OFFSET + Integer.BYTES;
    /** End of the fields: the rest of the line is padding. */
    public static final int FIELDS_END = RECOVERIES_OFFSET + Long.BYTES;
    /** Bytes allocated per lock: one padded line. */
    public static final int SIZE = Layout.nextLinePair(FIELDS_END);

    private LockDescriptor() {
    }
}
