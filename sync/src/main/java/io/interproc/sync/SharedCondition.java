package io.interproc.sync;

import static io.interproc.sync.internal.ConditionDescriptor.LOCK_KIND_OFFSET;
import static io.interproc.sync.internal.ConditionDescriptor.LOCK_OFFSET_OFFSET;
import static io.interproc.sync.internal.ConditionDescriptor.SEQUENCE_OFFSET;
import static io.interproc.sync.internal.ConditionDescriptor.SIGNAL_WORD_OFFSET;
import static io.interproc.sync.internal.ConditionDescriptor.SLEEPERS_OFFSET;
import static io.interproc.sync.internal.ConditionDescriptor.UNSIGNALLED_OFFSET;
import static io.interproc.sync.internal.ConditionDescriptor.epoch;
import static io.interproc.sync.internal.ConditionDescriptor.signalWord;
import static io.interproc.sync.internal.ConditionDescriptor.signals;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.Segment;
import io.interproc.core.memory.Layout;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.spi.ObjectInitializer;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.wait.Deadline;
import io.interproc.core.wait.WaitLoop;
import io.interproc.sync.internal.ConditionDescriptor;
import io.interproc.sync.internal.LockCore;
import io.interproc.sync.internal.LockMessages;
import io.interproc.sync.internal.SyncKinds;

import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;

/**
 * A condition variable shared by every process that opens it by name (Python:
 * {@code multiprocessing.Condition}), implementing {@link Condition} over a {@link SharedLock}
 * or a {@link SharedReentrantLock} (a {@link ConditionLock}).
 *
 * <pre>{@code
 * SharedLock lock = SharedLock.openOrCreate(segment, "buffer");
 * SharedCondition notEmpty = lock.newCondition("buffer.notEmpty");
 * lock.lock();
 * try {
 *     notEmpty.awaitUntil(() -> count.get() > 0);   // Python: cv.wait_for(predicate)
 *     ...
 * } finally {
 *     lock.unlock();
 * }
 * }</pre>
 *
 * <p><b>Binding.</b> A condition is bound, when it is created, to one lock in the same segment;
 * every process must open it with that lock ({@link ConditionLock#newCondition(String)}, or
 * {@link #open}; an {@link IllegalArgumentException} names the bound lock otherwise). Every {@code await} and {@code signal} method needs the lock held by the
 * calling thread, else {@link IllegalMonitorStateException}. An {@code await} releases the lock
 * completely (all holds of a {@link SharedReentrantLock}), sleeps, and takes the lock back with
 * the same holds before it returns or throws, ignoring interrupts meanwhile. If the lock's holder
 * dies meanwhile, the waiter takes the lock over as {@link SharedLock#lock()} does, and the
 * lock's {@code lockRecovered()} says so.
 *
 * <p><b>Signals.</b> {@link #signal()} lets one waiting thread return, {@link #signalAll()} every
 * thread waiting at that moment; with no waiter both do nothing. Signals never wait for waiters,
 * so a waiter killed with {@code kill -9} can never block a signaller (Python's {@code notify}
 * can hang on one). Which waiter a {@code signal()} wakes is not specified and is not FIFO: a
 * thread that starts waiting before the woken one has taken the signal may take it instead (as
 * with the semaphore inside Python's {@code multiprocessing.Condition}); the signal is never lost,
 * but when waiters wait for different predicates use {@code signalAll()}.
 *
 * <p><b>Spurious wake-ups</b> are allowed by the {@link Condition} contract, and happen here: a
 * waiter killed while waiting still counts as a waiter until the next {@code signalAll()}, so a
 * later {@code signal()} may be spent on it, or taken by a newly arriving waiter that then returns
 * without a signal meant for it. Always wait in a loop that re-checks the predicate, or use
 * {@link #awaitUntil(BooleanSupplier)}, which does.
 *
 * <p><b>Memory effects</b> are those of the lock: everything a signaller wrote while holding the
 * lock is visible to a waiter once it returns holding the lock.
 *
 * <p>Timeouts are measured with {@link System#nanoTime()}; a timeout {@code <= 0} still releases
 * and re-acquires the lock once. Interrupted waits throw {@link InterruptedException} with the
 * interrupt status cleared, unless a signal arrived first (then the method returns normally with
 * the status set, as in {@code java.util.concurrent}). Thread-safe. Every method throws
 * {@link IllegalStateException} once the segment is closed, a waiting thread at once (without
 * taking the lock back).
 */
public final class SharedCondition implements Condition {
    /*
     * Layout: ConditionDescriptor. A waiter registers under the lock (unsignalled + 1), notes the
     * epoch of the signal word, releases the lock completely and sleeps on the sequence word
     * until it takes one signal of its epoch by CAS (signals - 1) or sees a newer epoch (a
     * signalAll). signal() moves one waiter from unsignalled to signals; signalAll() starts a new
     * epoch with no signals, which releases every waiter of the old one. Both bump the sequence
     * and wake sleepers only if some are counted, and never wait for waiters, so a killed waiter
     * cannot block a signaller: its share only causes spurious wake-ups until the next
     * signalAll(). A waiter that times out or is interrupted withdraws under the lock again, or,
     * if every waiter of its epoch has been signalled meanwhile, takes a signal (it was one of
     * those signalled). The lock's kind and offset are stored so that opening the condition with
     * another lock is refused.
     */
    private final Segment segment;
    private final SharedBuffer buffer;
    private final String name;
    private final String description;
    private final LockCore lock;
    private final int sequenceAt;
    private final int sleepersAt;
    private final int signalWordAt;
    private final int unsignalledAt;

    private SharedCondition(ObjectRegion region, LockCore lock) {
        this.segment = region.segment();
        this.buffer = region.buffer();
        this.name = region.name();
        this.description = "SharedCondition '" + name + "'";
        this.lock = lock;
        int base = region.offset();
        this.sequenceAt = base + SEQUENCE_OFFSET;
        this.sleepersAt = base + SLEEPERS_OFFSET;
        this.signalWordAt = base + SIGNAL_WORD_OFFSET;
        this.unsignalledAt = base + UNSIGNALLED_OFFSET;
        checkBinding(region);
    }

    // ---------------------------------------------------------------- factories

    /**
     * Creates a new condition bound to {@code lock}.
     *
     * @param segment where it lives; must be the segment (file) the lock lives in
     * @param name its name in the segment
     * @param lock the lock every user of the condition holds
     * @return the new condition
     * @throws io.interproc.core.ObjectExistsException if the name exists
     * @throws IllegalArgumentException if the lock lives in another segment
     * @throws IllegalStateException if the segment is closed
     */
    public static SharedCondition create(Segment segment, String name, ConditionLock lock) {
        LockCore core = checkSameSegment(segment, name, lock);
        return new SharedCondition(segment.createObject(name, SyncKinds.CONDITION, ConditionDescriptor.SIZE,
                binding(core)), core);
    }

    /**
     * Opens an existing condition.
     *
     * @param segment where it lives
     * @param name its name
     * @param lock the lock it was created with (this process's handle on it)
     * @return the condition
     * @throws io.interproc.core.NoSuchObjectException if there is none
     * @throws io.interproc.core.KindMismatchException if the name is another kind of object
     * @throws IllegalArgumentException if the condition is bound to another lock
     * @throws CorruptSegmentException if its stored binding names no lock of the segment
     * @throws IllegalStateException if the segment is closed
     */
    public static SharedCondition open(Segment segment, String name, ConditionLock lock) {
        LockCore core = checkSameSegment(segment, name, lock);
        return new SharedCondition(segment.openObject(name, SyncKinds.CONDITION), core);
    }

    /** {@link ConditionLock#newCondition(String)}: opens the condition, creating it bound to {@code lock}. */
    static SharedCondition openOrCreate(Segment segment, String name, ConditionLock lock) {
        LockCore core = checkSameSegment(segment, name, lock);
        return new SharedCondition(segment.openOrCreateObject(name, SyncKinds.CONDITION, ConditionDescriptor.SIZE,
                binding(core)), core);
    }

    private static ObjectInitializer binding(LockCore lock) {
        return (b, offset, length) -> {
            b.setInt(offset + LOCK_KIND_OFFSET, lock.kind().code());
            b.setInt(offset + LOCK_OFFSET_OFFSET, lock.offset());
        };
    }

    /** @return the lock's core, once the condition's segment is known open and the lock's file */
    private static LockCore checkSameSegment(Segment segment, String name, ConditionLock handle) {
        Objects.requireNonNull(handle, "lock");
        LockCore lock = handle instanceof SharedLock ? ((SharedLock) handle).core()
                : ((SharedReentrantLock) handle).core();
        segment.ensureOpen();
        if (!lock.segment().path().equals(segment.path())) {
            throw new IllegalArgumentException("SharedCondition '" + name + "' must live in the segment of its lock: "
                    + "segment='" + segment.name() + "', lock=" + lock.description() + " in segment '"
                    + lock.segment().name() + "'");
        }
        return lock;
    }

    private void checkBinding(ObjectRegion region) {
        int kindCode = buffer.getInt(region.offset() + LOCK_KIND_OFFSET);
        int lockOffset = buffer.getInt(region.offset() + LOCK_OFFSET_OFFSET);
        if (kindCode == lock.kind().code() && lockOffset == lock.offset()) {
            return;
        }
        String bound = ConditionDescriptor.boundLock(segment, kindCode, lockOffset);
        if (bound == null || (kindCode != SyncKinds.LOCK.code() && kindCode != SyncKinds.REENTRANT_LOCK.code())) {
            // The binding names no lock of the segment: the bytes are damaged, not the caller wrong.
            throw new CorruptSegmentException(description + " in segment '" + segment.name() + "' is corrupt: its"
                    + " bound lock (kind code=" + kindCode + ", offset=" + lockOffset + ") is not a SharedLock or"
                    + " SharedReentrantLock of the segment");
        }
        throw new IllegalArgumentException(description + " is bound to " + bound + ", not to " + lock.description());
    }

    /** @return the condition's name in its segment */
    public String name() {
        return name;
    }

    // ---------------------------------------------------------------- waiting

    /**
     * Releases the lock, waits until signalled or interrupted (or spuriously woken), and takes the
     * lock back.
     *
     * @throws InterruptedException if the thread is interrupted on entry or while waiting, and no
     *     signal arrived first; the lock is held again and the interrupt status cleared
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws IllegalStateException if the segment is closed
     */
    @Override
    public void await() throws InterruptedException {
        await(WaitLoop.FOREVER, true, "await()");
    }

    /**
     * As {@link #await()}, but interrupts do not stop the wait; the interrupt status is set on
     * return if the thread was interrupted.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws IllegalStateException if the segment is closed
     */
    @Override
    public void awaitUninterruptibly() {
        try {
            await(WaitLoop.FOREVER, false, "awaitUninterruptibly()");
        } catch (InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * As {@link #await()}, for at most {@code nanosTimeout}.
     *
     * @param nanosTimeout the longest wait; {@code <= 0} releases and re-takes the lock once
     * @return an estimate of {@code nanosTimeout} minus the time spent waiting; {@code <= 0} means
     *     no time remains
     * @throws InterruptedException if interrupted (see {@link #await()})
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws IllegalStateException if the segment is closed
     */
    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long deadline = Deadline.deadline(nanosTimeout, TimeUnit.NANOSECONDS);
        await(nanosTimeout, true, "awaitNanos(long)");
        return nanosTimeout <= 0 ? nanosTimeout : Deadline.remaining(deadline);
    }

    /**
     * As {@link #await()}, for at most the given time.
     *
     * @param time the longest wait; {@code <= 0} releases and re-takes the lock once
     * @param unit its unit
     * @return true if a signal (or a spurious wake-up) ended the wait, false if the time elapsed
     *     first
     * @throws InterruptedException if interrupted (see {@link #await()})
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws IllegalStateException if the segment is closed
     * @throws NullPointerException if {@code unit} is null
     */
    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return await(WaitLoop.toNanos(time, unit), true, "await(long, TimeUnit)");
    }

    /**
     * As {@link #await(long, TimeUnit)}, with a {@link Duration}. Called by the thread that holds
     * the lock.
     *
     * @param timeout the longest wait; zero or negative releases and re-takes the lock once
     * @return true if a signal (or a spurious wake-up) ended the wait, false if the time elapsed
     *     first
     * @throws InterruptedException if interrupted (see {@link #await()})
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws IllegalStateException if the segment is closed
     * @throws NullPointerException if {@code timeout} is null
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return await(Deadline.toNanos(timeout), true, "await(Duration)");
    }

    /**
     * As {@link #await()}, until a wall-clock deadline; the deadline is turned into a relative
     * timeout once, on entry.
     *
     * @param deadline when to stop waiting
     * @return true if a signal (or a spurious wake-up) ended the wait, false if the deadline
     *     passed first
     * @throws InterruptedException if interrupted (see {@link #await()})
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws IllegalStateException if the segment is closed
     * @throws NullPointerException if {@code deadline} is null
     */
    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        long millis = Objects.requireNonNull(deadline, "deadline").getTime() - System.currentTimeMillis();
        return await(WaitLoop.toNanos(millis, TimeUnit.MILLISECONDS), true, "awaitUntil(Date)");
    }

    /**
     * Waits until {@code predicate} is true (Python: {@code wait_for(predicate)}): evaluates it,
     * and while it is false, {@link #await()}s and evaluates it again. The predicate runs with
     * the lock held.
     *
     * @param predicate the state to wait for
     * @throws InterruptedException if interrupted while waiting; the lock is held again
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws IllegalStateException if the segment is closed
     */
    public void awaitUntil(BooleanSupplier predicate) throws InterruptedException {
        Objects.requireNonNull(predicate, "predicate");
        checkHeld("awaitUntil(BooleanSupplier)");
        while (!predicate.getAsBoolean()) {
            await(WaitLoop.FOREVER, true, "awaitUntil(BooleanSupplier)");
        }
    }

    /**
     * Waits until {@code predicate} is true or the timeout elapses (Python:
     * {@code wait_for(predicate, timeout)}). The predicate runs with the lock held: once on
     * entry, and after every wake-up, including the last one.
     *
     * @param predicate the state to wait for
     * @param timeout the longest wait in total; {@code <= 0} evaluates the predicate once
     * @param unit its unit
     * @return the predicate's last value: false only if the timeout elapsed first
     * @throws InterruptedException if interrupted while waiting; the lock is held again
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws IllegalStateException if the segment is closed
     */
    public boolean awaitUntil(BooleanSupplier predicate, long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(predicate, "predicate");
        return awaitUntil(predicate, WaitLoop.toNanos(timeout, unit), "awaitUntil(BooleanSupplier, long, TimeUnit)");
    }

    /**
     * As {@link #awaitUntil(BooleanSupplier, long, TimeUnit)} with a {@link Duration}.
     *
     * @param predicate the state to wait for
     * @param timeout the longest wait in total; zero or negative evaluates the predicate once
     * @return the predicate's last value: false only if the timeout elapsed first
     * @throws InterruptedException if interrupted while waiting; the lock is held again
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws IllegalStateException if the segment is closed
     */
    public boolean awaitUntil(BooleanSupplier predicate, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(predicate, "predicate");
        return awaitUntil(predicate, Deadline.toNanos(timeout), "awaitUntil(BooleanSupplier, Duration)");
    }

    private boolean awaitUntil(BooleanSupplier predicate, long nanos, String operation) throws InterruptedException {
        checkHeld(operation);
        long deadline = Deadline.deadline(nanos, TimeUnit.NANOSECONDS);
        boolean result = predicate.getAsBoolean();
        if (nanos <= 0) {
            return result;
        }
        while (!result) {
            long left = Deadline.remaining(deadline);
            if (left <= 0) {
                break;
            }
            await(left, true, operation);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    // ---------------------------------------------------------------- signalling

    /**
     * Lets one waiting thread return (see the class comment for which one). Does nothing if no
     * thread waits. Never blocks; makes a system call only if a thread sleeps on the condition.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws IllegalStateException if the segment is closed
     */
    @Override
    public void signal() {
        checkHeld("signal()");
        int unsignalled = buffer.getIntVolatile(unsignalledAt);
        if (unsignalled <= 0) {
            return;
        }
        buffer.setIntVolatile(unsignalledAt, unsignalled - 1);
        buffer.getAndAddLong(signalWordAt, 1);
        buffer.getAndAddInt(sequenceAt, 1); // volatile: ordered before the read of the sleeper count
        WaitLoop.wakeIfWaiting(buffer, sequenceAt, sleepersAt, 1);
    }

    /**
     * Lets every thread waiting at this moment return. Does nothing if no thread waits. Never
     * blocks; makes one system call if a thread sleeps on the condition. Also forgets waiters
     * that were killed while waiting.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws IllegalStateException if the segment is closed
     */
    @Override
    public void signalAll() {
        checkHeld("signalAll()");
        long word = buffer.getLongVolatile(signalWordAt);
        if (buffer.getIntVolatile(unsignalledAt) <= 0 && signals(word) <= 0) {
            return;
        }
        buffer.setIntVolatile(unsignalledAt, 0);
        // Only the signal count changes concurrently (waiters taking signals), and it is reset.
        buffer.getAndSetLong(signalWordAt, signalWord(epoch(word) + 1, 0));
        buffer.getAndAddInt(sequenceAt, 1);
        WaitLoop.wakeIfWaiting(buffer, sequenceAt, sleepersAt, Integer.MAX_VALUE);
    }

    /**
     * The number of threads registered as waiting and not yet signalled: a snapshot, exact only
     * while the caller holds the lock. Counts a waiter killed while waiting until the next
     * {@link #signal()} spends itself on it or {@link #signalAll()} forgets it.
     *
     * @return the count (volatile read)
     * @throws IllegalStateException if the segment is closed
     */
    public int waiterCount() {
        segment.ensureOpen();
        return Math.max(0, buffer.getIntVolatile(unsignalledAt));
    }

    @Override
    public String toString() {
        return "SharedCondition[" + segment.name() + "/" + name + ", lock=" + lock.description() + "]";
    }

    // ---------------------------------------------------------------- internals

    private void checkHeld(String operation) {
        segment.ensureOpen();
        lock.segment().ensureOpen();
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException(description + " requires " + lock.description()
                    + " to be held by the current thread: " + operation + " called by "
                    + LockMessages.currentThread());
        }
    }

    /**
     * The wait: register (under the lock), release the lock, sleep until a signal of this epoch
     * is taken or a signalAll starts a new epoch, take the lock back, and on a timeout or
     * interrupt withdraw the registration (under the lock again).
     *
     * @return true if a signal ended the wait, false on timeout
     */
    private boolean await(long nanos, boolean interruptible, String operation) throws InterruptedException {
        checkHeld(operation);
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        int epoch = epoch(buffer.getLongVolatile(signalWordAt));
        buffer.getAndAddInt(unsignalledAt, 1);
        int holds = lock.releaseForWait();
        Wakeup wakeup = new Wakeup(epoch);
        boolean signalled;
        boolean interrupted = false;
        try {
            signalled = interruptible
                    ? WaitLoop.await(segment, sequenceAt, sleepersAt, wakeup, wakeup, nanos)
                    : WaitLoop.awaitUninterruptibly(segment, sequenceAt, sleepersAt, wakeup, wakeup, nanos);
        } catch (InterruptedException e) {
            signalled = false;
            interrupted = true;
        }
        lock.reacquireAfterWait(holds);
        if (!signalled) {
            signalled = withdraw(epoch);
        }
        if (interrupted) {
            if (!signalled) {
                Thread.interrupted(); // re-set meanwhile by the uninterruptible re-acquisition
                throw new InterruptedException();
            }
            Thread.currentThread().interrupt();
        }
        return signalled;
    }

    /**
     * After a timeout or interrupt, with the lock held again: leave the count of unsignalled
     * waiters, or, if every waiter of the epoch has been signalled, take one of the signals (this
     * thread was one of those signalled).
     *
     * @return true if the thread counts as signalled
     */
    private boolean withdraw(int epoch) {
        while (true) {
            long word = buffer.getLongVolatile(signalWordAt);
            if (epoch(word) != epoch) {
                return true; // a signalAll released this thread
            }
            int unsignalled = buffer.getIntVolatile(unsignalledAt);
            if (unsignalled > 0) {
                buffer.setIntVolatile(unsignalledAt, unsignalled - 1);
                if (signals(word) > 0) {
                    // This thread may have absorbed the wake-up meant for a signal: hand it on.
                    WaitLoop.wakeIfWaiting(buffer, sequenceAt, sleepersAt, signals(word));
                }
                return false;
            }
            if (signals(word) <= 0) {
                return false; // counts out of step (a holder died mid-update): nothing to take
            }
            if (buffer.compareAndSetLong(signalWordAt, word, word - 1)) {
                return true;
            }
        }
    }

    /** One wait: take a signal of the waiter's epoch, or notice a newer epoch. */
    private final class Wakeup implements WaitLoop.Attempt, WaitLoop.SliceCheck {
        private final int epoch;

        Wakeup(int epoch) {
            this.epoch = epoch;
        }

        @Override
        public long attempt() {
            int sequence = buffer.getIntVolatile(sequenceAt); // read first: a later signal changes it
            long word = buffer.getLongVolatile(signalWordAt);
            while (true) {
                if (epoch(word) != epoch) {
                    return WaitLoop.DONE;
                }
                if (signals(word) <= 0) {
                    return sequence & 0xFFFF_FFFFL;
                }
                long witness = buffer.compareAndExchangeLong(signalWordAt, word, word - 1);
                if (witness == word) {
                    return WaitLoop.DONE;
                }
                word = witness;
            }
        }

        @Override
        public void afterSlice() {
            segment.ensureOpen();
            lock.segment().ensureOpen();
        }
    }
}
