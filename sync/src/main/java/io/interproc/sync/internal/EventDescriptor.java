package io.interproc.sync.internal;

import io.interproc.core.memory.Layout;

/**
 * Layout of a {@link io.interproc.sync.SharedEvent}. Lines are padded lines
 * ({@link Layout#LINE_PAIR}).
 *
 * <pre>
 *  offset  size  field
 *  ------  ----  -------------------------------------------------------------------
 *       0     4  state: bit 0 = set; bits 1..31 = set count (wraps)     FUTEX WORD
 *       4   124  padding: the state word has its line to itself
 *     128     4  waiters: threads asleep on the state word
 *     132   124  padding
 *     256        end
 *
 *   state, 32 bits:  [ set count : 31 | S ]
 *                      incremented by   +-- 1 while the event is set
 *                      every set() of a
 *                      clear event
 * </pre>
 *
 * <p>{@code set()} of a clear event turns {@code 2c} into {@code 2(c+1) | 1}; {@code clear()}
 * drops bit 0. A waiter that saw {@code 2c} is released by any later state whose set bit is on
 * or whose count differs, so a {@code set()} immediately followed by {@code clear()} still
 * releases every thread that was waiting. The count would have to wrap all the way around
 * (2<sup>31</sup> sets) between two looks of one waiter to be missed.
 */
public final class EventDescriptor {
    /** Offset of the state word, the futex word. */
    public static final int STATE_OFFSET = 0;
    /** Offset of the waiter count: line 1. */
    public static final int WAITERS_OFFSET = Layout.nextLinePair(STATE_OFFSET + Integer.BYTES);
    /** Bytes allocated per event: two lines. */
    public static final int SIZE = Layout.nextLinePair(WAITERS_OFFSET + Integer.BYTES);

    /** Bit of the state word that is on while the event is set. */
    public static final int SET_BIT = 1;

    private EventDescriptor() {
    }

    /**
     * @param state a state word
     * @return the word after a {@code set()} of that (clear) state: count + 1, set bit on
     */
    public static int setOf(int state) {
        return ((state & ~SET_BIT) + 2) | SET_BIT;
    }
}
