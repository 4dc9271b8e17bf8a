package io.interproc.sync.internal;

import io.interproc.core.memory.Layout;

/**
 * Layout of a {@link io.interproc.sync.SharedSemaphore}. Lines are padded lines
 * ({@link Layout#LINE_PAIR}).
 *
 * <pre>
 *  offset  size  field
 *  ------  ----  -------------------------------------------------------------------
 *       0     4  flags: bit 0 = bounded            } written once by the creator,
 *       4     4  maxPermits (bounded: the initial  } read once by each opener
 *                permits; unbounded: 0)
 *       8   120  reserved (zero)
 *     128     4  permits: the available permits, never negative    FUTEX WORD
 *     132   124  padding: permits has its 128-byte line to itself
 *     256     4  waiters: threads asleep wanting exactly one permit
 *     260     4  multiWaiters: threads asleep wanting more than one permit
 *     264   120  padding
 *     384        end
 * </pre>
 *
 * <p>Every acquirer and releaser CASes {@code permits}; only sleepers write the waiter counts
 * (around each sleep), so the two hot words sit on separate lines. Two counts let a
 * release wake exactly as many sleepers as it released permits when every sleeper wants one
 * permit, and wake them all when some sleeper wants more (a sleeper needing three permits
 * must not swallow the only wake-up of one permit).
 */
public final class SemaphoreDescriptor {
    /** Offset of the flags word. */
    public static final int FLAGS_OFFSET = 0;
    /** Offset of the maximum permits of a bounded semaphore. */
    public static final int MAX_PERMITS_OFFSET = FLAGS_OFFSET + Integer.BYTES;
    /** Offset of the permit count, the futex word: line 1. */
    public static final int PERMITS_OFFSET = Layout.nextLinePair(MAX_PERMITS_OFFSET + Integer.BYTES);
    /** Offset of the count of sleepers wanting one permit: line 2. */
    public static final int WAITERS_OFFSET = Layout.nextLinePair(PERMITS_OFFSET + Integer.BYTES);
    /** Offset of the count of sleepers wanting more than one permit. */
    public static final int MULTI_WAITERS_OFFSET = WAITERS_OFFSET + Integer.BYTES;
    /** Bytes allocated per semaphore: three lines. */
    public static final int SIZE = Layout.nextLinePair(MULTI_WAITERS_OFFSET + Integer.BYTES);

    /** Flag bit: the semaphore refuses releases above its initial permits. */
    public static final int FLAG_BOUNDED = 1;

    private SemaphoreDescriptor() {
    }
}
