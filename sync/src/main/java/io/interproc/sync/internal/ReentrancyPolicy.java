package io.interproc.sync.internal;

import io.interproc.core.spi.ObjectKind;

/**
 * What sets the two locks apart, for {@link LockCore}: what a thread that already holds the lock
 * gets when it acquires it again, how an unlock and a condition wait give the lock up, and the
 * kind of the object. {@link #REFUSED} is {@link io.interproc.sync.SharedLock} (layout
 * {@link LockDescriptor}), {@link #COUNTED} is {@link io.interproc.sync.SharedReentrantLock}
 * (layout {@link ReentrantLockDescriptor}). Every method is called by the holding thread only.
 */
public enum ReentrancyPolicy {
    /** Not reentrant: a nested blocking acquisition throws, a nested try fails. */
    REFUSED(SyncKinds.LOCK) {
        @Override
        boolean reenter(LockCore lock, String operation, boolean wouldWait) {
            if (wouldWait) {
                throw new IllegalMonitorStateException(lock.description() + " is not reentrant and is already held by "
                        + "the current thread: " + operation + " called by " + LockMessages.currentThread()
                        + "; use SharedReentrantLock for nested locking");
            }
            return false;
        }

        @Override
        void unlockOnce(OwnerWord word) {
            word.release();
        }

        @Override
        int releaseAll(LockCore lock, OwnerWord word) {
            word.release();
            return 1;
        }

        @Override
        void restoreHolds(OwnerWord word, int holds) {
            // one hold, set by the acquisition
        }
    },

    /** Reentrant: the hold count in shared memory goes up per nested acquisition, down per unlock. */
    COUNTED(SyncKinds.REENTRANT_LOCK) {
        @Override
        boolean reenter(LockCore lock, String operation, boolean wouldWait) {
            OwnerWord word = lock.word();
            int holds = word.holds();
            if (holds == Integer.MAX_VALUE) {
                throw new IllegalStateException(lock.description() + " hold count would overflow: holdCount=" + holds
                        + "; " + operation + " called by " + LockMessages.currentThread());
            }
            word.setHolds(holds + 1);
            return true;
        }

        @Override
        void unlockOnce(OwnerWord word) {
            int holds = word.holds();
            if (holds > 1) {
                word.setHolds(holds - 1);
            } else {
                word.release();
            }
        }

        @Override
        int releaseAll(LockCore lock, OwnerWord word) {
            lock.segment().ensureOpen();
            lock.checkHeld("releaseForWait()");
            int holds = Math.max(1, word.holds());
            word.release();
            return holds;
        }

        @Override
        void restoreHolds(OwnerWord word, int holds) {
            word.setHolds(holds);
        }
    };

    /** Both layouts have this size: the reentrant one is the plain one with its spare word used. */
    static final int SIZE = LockDescriptor.SIZE;

    private final ObjectKind kind;

    ReentrancyPolicy(ObjectKind kind) {
        this.kind = kind;
    }

    /** @return the kind of the lock's object; its name is the public class's, for messages */
    public ObjectKind kind() {
        return kind;
    }

    /**
     * The calling thread holds the lock and acquires it again.
     *
     * @param wouldWait true for {@code lock()} and {@code lockInterruptibly()}, which would wait
     *     forever on a lock that refuses nesting
     * @return true if the thread now holds the lock once more
     */
    abstract boolean reenter(LockCore lock, String operation, boolean wouldWait);

    /** {@code unlock()} by the holder: give up one hold, freeing the word after the last. */
    abstract void unlockOnce(OwnerWord word);

    /** @return the holds given up for a condition wait, freeing the word */
    abstract int releaseAll(LockCore lock, OwnerWord word);

    /** After a condition wait: the word is held again with one hold; set {@code holds}. */
    abstract void restoreHolds(OwnerWord word, int holds);
}
