package io.interproc.ipc.ring;

import io.interproc.core.wait.Deadline;
import io.interproc.core.wait.WaitLoop;

/**
 * The deadline of one queue or pipe call, as {@link Deadline} has it, except that a try-once call
 * ({@code offer(e)}, {@code poll()}, timeouts {@code <= 0}) gets {@link #NOW} and never reads the
 * clock: {@link System#nanoTime()} costs more than the rest of a try-once call that fails, and
 * blocking calls ({@link Deadline#NONE}) never read it either. <b>Internal API</b> of the ipc
 * modules; stateless.
 */
public final class CallDeadline {
    /** The deadline of a try-once call: the time left is always 0. */
    public static final long NOW = Long.MIN_VALUE;

    private CallDeadline() {
    }

    /**
     * @param timeoutNanos {@code <= 0} try once, {@link WaitLoop#FOREVER} block, else a timeout
     * @return {@link #NOW}, {@link Deadline#NONE} or {@link Deadline#after(long)}
     */
    public static long of(long timeoutNanos) {
        return timeoutNanos <= 0 ? NOW : Deadline.after(timeoutNanos);
    }

    /**
     * @param deadline from {@link #of}
     * @return nanoseconds left, {@code >= 0} ({@link WaitLoop#FOREVER} for {@link Deadline#NONE})
     */
    public static long left(long deadline) {
        return deadline == NOW ? 0 : Deadline.remainingOrZero(deadline);
    }
}
