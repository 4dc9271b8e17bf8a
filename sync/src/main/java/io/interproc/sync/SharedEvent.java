package io.interproc.sync;

import io.interproc.core.KindMismatchException;
import io.interproc.core.NoSuchObjectException;
import io.interproc.core.ObjectExistsException;
import io.interproc.core.Segment;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.shared.Event;
import io.interproc.core.spi.ObjectInitializer;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.wait.AsyncWaits;
import io.interproc.core.wait.Deadline;
import io.interproc.core.wait.WaitLoop;
import io.interproc.sync.internal.EventDescriptor;
import io.interproc.sync.internal.SyncKinds;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A flag that threads in any process can wait for — Python's {@code multiprocessing.Event}.
 *
 * <pre>{@code
 * SharedEvent ready = SharedEvent.openOrCreate(segment, "config-loaded");
 * // one process:                     // any number of others:
 * loadConfig();                       if (!ready.await(30, TimeUnit.SECONDS)) {
 * ready.set();                            throw new IllegalStateException("no config");
 *                                     }
 * }</pre>
 *
 * <p>{@link #set()} wakes every thread waiting in every process; {@link #clear()} makes later
 * waits block again. A wait returns {@code true} if the event was set at any moment while it
 * waited — also when it was cleared again before the waiting thread ran — and {@code false} only
 * on timeout. (Python's {@code threading.Event.wait} behaves the same way;
 * {@code multiprocessing.Event.wait} may return {@code False} when a {@code clear()} follows the
 * {@code set()} quickly.)
 *
 * <p><b>Threads and processes.</b> Any thread of any attached process may call any method.
 * Waiting spins briefly, then sleeps in the kernel on the state word, costing no CPU; a
 * {@code set()} with no sleeper makes no system call. Timeouts {@code <= 0} check once;
 * {@link InterruptedException} is thrown with the interrupt status cleared, also when the thread
 * was interrupted on entry. Every method throws {@link IllegalStateException} once the segment is
 * closed; a thread blocked when it is closed gets it at once. The event has no
 * owner: a process that dies leaves it as it was.
 *
 * <p><b>Memory effects:</b> actions in a thread before {@link #set()} happen-before the return of
 * an {@code await} that returns because of that set, and before an {@link #isSet()} that returns
 * {@code true} because of it, in any process (set is a volatile CAS, the checks volatile reads).
 */
public final class SharedEvent implements Event {
    private final Segment segment;
    private final SharedBuffer buffer;
    private final String name;
    private final int stateAt;
    private final int waitersAt;
    private final WaitLoop.SliceCheck sliceCheck;

    private SharedEvent(ObjectRegion region) {
        this.segment = region.segment();
        this.buffer = region.buffer();
        this.name = region.name();
        region.checkStored("length", region.length(), EventDescriptor.SIZE, Integer.MAX_VALUE);
        this.stateAt = region.offset() + EventDescriptor.STATE_OFFSET;
        this.waitersAt = region.offset() + EventDescriptor.WAITERS_OFFSET;
        this.sliceCheck = segment::ensureOpen;
    }

    // ---------------------------------------------------------------- factories

    /**
     * Creates a new event, initially clear. Any thread may call this.
     *
     * @param segment where it lives
     * @param name its name in the segment
     * @return the new event
     * @throws ObjectExistsException if the name exists
     */
    public static SharedEvent create(Segment segment, String name) {
        return new SharedEvent(segment.createObject(name, SyncKinds.EVENT, EventDescriptor.SIZE,
                ObjectInitializer.ZERO));
    }

    /**
     * Opens an existing event. Any thread may call this.
     *
     * @param segment where it lives
     * @param name its name
     * @return the event
     * @throws NoSuchObjectException if there is none
     * @throws KindMismatchException if the name is another kind of object
     */
    public static SharedEvent open(Segment segment, String name) {
        return new SharedEvent(segment.openObject(name, SyncKinds.EVENT));
    }

    /**
     * Opens the event, creating it clear if it does not exist. Processes racing to do this get
     * the same event. Any thread may call this.
     *
     * @param segment where it lives
     * @param name its name
     * @return the event
     * @throws KindMismatchException if the name is another kind of object
     */
    public static SharedEvent openOrCreate(Segment segment, String name) {
        return new SharedEvent(segment.openOrCreateObject(name, SyncKinds.EVENT, EventDescriptor.SIZE,
                ObjectInitializer.ZERO));
    }

    // ---------------------------------------------------------------- operations

    /** @return the object's name in its segment */
    public String name() {
        return name;
    }

    /**
     * Sets the event and wakes every thread waiting for it, in every process. Does nothing if it
     * is already set. Any thread may call this.
     *
     * @throws IllegalStateException if the segment is closed
     */
    public void set() {
        segment.ensureOpen();
        int s = buffer.getIntVolatile(stateAt);
        while ((s & EventDescriptor.SET_BIT) == 0) {
            int seen = buffer.compareAndExchangeInt(stateAt, s, EventDescriptor.setOf(s));
            if (seen == s) {
                WaitLoop.wakeIfWaiting(buffer, stateAt, waitersAt, Integer.MAX_VALUE);
                return;
            }
            s = seen;
        }
    }

    /**
     * Clears the event: later waits block until the next {@link #set()}. Threads already
     * released by a set are not affected. Any thread may call this.
     *
     * @throws IllegalStateException if the segment is closed
     */
    public void clear() {
        segment.ensureOpen();
        int s = buffer.getIntVolatile(stateAt);
        while ((s & EventDescriptor.SET_BIT) != 0) {
            int seen = buffer.compareAndExchangeInt(stateAt, s, s & ~EventDescriptor.SET_BIT);
            if (seen == s) {
                return;
            }
            s = seen;
        }
    }

    /**
     * Any thread may call this.
     *
     * @return true if the event is set now (a volatile read)
     * @throws IllegalStateException if the segment is closed
     */
    public boolean isSet() {
        segment.ensureOpen();
        return (buffer.getIntVolatile(stateAt) & EventDescriptor.SET_BIT) != 0;
    }

    /**
     * Waits until the event is set (returns at once if it is). Any thread may call this.
     *
     * @throws InterruptedException if interrupted before or while waiting (status cleared)
     * @throws IllegalStateException if the segment is or gets closed
     */
    public void await() throws InterruptedException {
        awaitNanos(WaitLoop.FOREVER);
    }

    /**
     * Waits until the event is set, at most {@code timeout}. Any thread may call this.
     *
     * @param timeout longest wait; {@code <= 0} checks once
     * @param unit its unit
     * @return true if the event was set at some moment during the call, false on timeout
     * @throws InterruptedException if interrupted before or while waiting (status cleared)
     * @throws IllegalStateException if the segment is or gets closed
     */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return awaitNanos(WaitLoop.toNanos(timeout, unit));
    }

    /**
     * Waits until the event is set, at most {@code timeout}. Any thread may call this.
     *
     * @param timeout longest wait; zero or negative checks once
     * @return true if the event was set at some moment during the call, false on timeout
     * @throws InterruptedException if interrupted before or while waiting (status cleared)
     * @throws IllegalStateException if the segment is or gets closed
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return await(Deadline.toNanos(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * The asynchronous form of {@link #await()}: returns at once a future that completes with
     * {@code true} when {@code await()} would have returned (the event is set, or was set and
     * cleared again since this call), without a thread waiting for it (see
     * {@code io.interproc.core.wait.AsyncWaits}: one helper thread serves every pending wait).
     * The future fails with {@link IllegalStateException} if the segment is or becomes closed.
     * {@code cancel} (or {@code orTimeout}) deregisters the wait. Any thread may call this.
     *
     * <p>Memory effects: actions of the thread that set the event happen-before the completion
     * of the future (and so before its dependent stages). Dependent stages added without an
     * executor may run on interproc's async-waits thread: they must not block.
     *
     * @return the future; already completed if the event is set now
     */
    public CompletableFuture<Boolean> awaitAsync() {
        return awaitAsyncNanos(WaitLoop.FOREVER);
    }

    /**
     * As {@link #awaitAsync()}, with a timeout: the future completes with {@code false} once it
     * has passed, as {@link #await(long, TimeUnit)} returns.
     *
     * @param timeout how long to wait; {@code <= 0} checks once
     * @param unit its unit
     * @return the future
     * @throws NullPointerException if {@code unit} is null
     */
    public CompletableFuture<Boolean> awaitAsync(long timeout, TimeUnit unit) {
        return awaitAsyncNanos(WaitLoop.toNanos(timeout, unit));
    }

    /**
     * As {@link #awaitAsync(long, TimeUnit)}.
     *
     * @param timeout how long to wait
     * @return the future
     * @throws NullPointerException if {@code timeout} is null
     */
    public CompletableFuture<Boolean> awaitAsync(Duration timeout) {
        return awaitAsyncNanos(Deadline.toNanos(timeout));
    }

    private CompletableFuture<Boolean> awaitAsyncNanos(long timeoutNanos) {
        final int startCount = buffer.getIntVolatile(stateAt) & ~EventDescriptor.SET_BIT;
        return AsyncWaits.await(segment, stateAt, waitersAt, done -> {
            int s = buffer.getIntVolatile(stateAt);
            if ((s & EventDescriptor.SET_BIT) != 0 || (s & ~EventDescriptor.SET_BIT) != startCount) {
                done.accept(Boolean.TRUE);
                return WaitLoop.DONE;
            }
            return s & 0xFFFF_FFFFL;
        }, sliceCheck, timeoutNanos, Boolean.FALSE, () -> { });
    }

    private boolean awaitNanos(long timeoutNanos) throws InterruptedException {
        segment.ensureOpen();
        final int start = buffer.getIntVolatile(stateAt);
        final int startCount = start & ~EventDescriptor.SET_BIT;
        WaitLoop.Attempt released = () -> {
            int s = buffer.getIntVolatile(stateAt);
            if ((s & EventDescriptor.SET_BIT) != 0 || (s & ~EventDescriptor.SET_BIT) != startCount) {
                return WaitLoop.DONE;
            }
            return s & 0xFFFF_FFFFL;
        };
        return WaitLoop.await(segment, stateAt, waitersAt, released, sliceCheck, timeoutNanos);
    }

    @Override
    public String toString() {
        return "SharedEvent[" + segment.name() + "/" + name + "]";
    }
}
