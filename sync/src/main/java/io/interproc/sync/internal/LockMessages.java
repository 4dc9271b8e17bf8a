package io.interproc.sync.internal;

import io.interproc.core.Segment;

/**
 * Builds the messages of the {@link IllegalMonitorStateException}s thrown when a thread uses a
 * lock it does not hold ({@link LockCore}, {@code SharedCondition}). Stateless.
 */
public final class LockMessages {
    private LockMessages() {
    }

    /** @return {@code thread '<name>' (threadId=<id>)} for the calling thread */
    public static String currentThread() {
        Thread t = Thread.currentThread();
        return "thread '" + t.getName() + "' (threadId=" + t.getId() + ")";
    }

    /**
     * The exception for an operation that needs the lock held by the calling thread.
     *
     * @param lock the lock, e.g. {@code SharedLock 'orders'}
     * @param operation the method called, e.g. {@code unlock()}
     * @param segment the caller's attachment
     * @param owner the owner word as read
     * @param holderThread the holder thread id as read
     * @return the exception, naming who holds the lock instead
     */
    public static IllegalMonitorStateException notHeld(String lock, String operation, Segment segment, int owner,
            long holderThread) {
        String caller = operation + " called by " + currentThread();
        if (owner == 0) {
            return new IllegalMonitorStateException(lock + " is not locked: " + caller);
        }
        if (owner == segment.ownerId()) {
            return new IllegalMonitorStateException(lock + " is held by another thread: holderThreadId="
                    + holderThread + "; " + caller);
        }
        return new IllegalMonitorStateException(lock + " is held by another process: holderPid="
                + segment.pidOf(owner) + ", holderOwnerId=" + owner + ", ownerId=" + segment.ownerId() + "; "
                + caller);
    }
}
