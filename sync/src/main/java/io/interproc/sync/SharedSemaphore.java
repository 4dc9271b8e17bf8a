package io.interproc.sync;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.KindMismatchException;
import io.interproc.core.NoSuchObjectException;
import io.interproc.core.ObjectExistsException;
import io.interproc.core.Segment;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.shared.Permits;
import io.interproc.core.spi.ObjectInitializer;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.wait.AsyncWaits;
import io.interproc.core.wait.Deadline;
import io.interproc.core.wait.WaitLoop;
import io.interproc.sync.internal.SemaphoreDescriptor;
import io.interproc.sync.internal.SyncKinds;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A counting semaphore shared by every process that opens it by name, with the methods of
 * {@link java.util.concurrent.Semaphore} (non-fair) — Python's {@code multiprocessing.Semaphore},
 * and, created with {@link #createBounded}/{@link #openOrCreateBounded}, its
 * {@code BoundedSemaphore}.
 *
 * <pre>{@code
 * SharedSemaphore slots = SharedSemaphore.openOrCreate(segment, "db-connections", 4);
 * slots.acquire();
 * try {
 *     ... at most 4 threads, over all processes, are here at once ...
 * } finally {
 *     slots.release();
 * }
 * }</pre>
 *
 * <p><b>Permits are not owned.</b> As in {@code java.util.concurrent} and Python, any thread of
 * any process may release permits it never acquired, and a process that dies (or closes its
 * segment) while holding permits does <em>not</em> give them back: a semaphore of {@code n}
 * permits whose holders keep dying ends up with fewer available permits, down to none, and
 * acquirers then wait forever (or time out). If that matters, release in {@code finally} and
 * supervise the processes; where mutual exclusion with recovery from a dead holder is wanted, use
 * a {@code SharedLock}, which is owned and is taken over when its owner dies.
 *
 * <p><b>Bounded semaphores</b> remember their initial permits as {@link #maxPermits()} and refuse,
 * with an {@link IllegalStateException} that gives the numbers, a release that would raise the
 * available permits above it; the count is left unchanged. An unbounded semaphore refuses only a
 * release that would overflow an {@code int}.
 *
 * <p><b>Threads and processes.</b> Any thread of any attached process may call any method.
 * Acquisition barges (non-fair). Blocking methods spin briefly, then sleep in the kernel on the
 * permit word; a release wakes sleepers only when some are registered, so uncontended
 * {@code acquire}/{@code release} make no system call. Timeouts {@code <= 0} try once; an
 * {@link InterruptedException} is thrown with the interrupt status cleared, also when the thread
 * was interrupted on entry. Every method throws {@link IllegalStateException} once the segment is
 * closed; a thread blocked when it is closed gets it at once.
 *
 * <p><b>Memory effects</b>, as for {@code java.util.concurrent.Semaphore} but across processes:
 * actions in a thread before it releases happen-before actions that follow a successful acquire
 * that obtained one of those permits, in any process (every change is a volatile CAS).
 */
public final class SharedSemaphore implements Permits {
    private final Segment segment;
    private final SharedBuffer buffer;
    private final ObjectRegion region;
    private final String name;
    private final boolean bounded;
    private final int maxPermits;
    private final int permitsAt;
    private final int waitersAt;
    private final int multiWaitersAt;
    private final WaitLoop.SliceCheck sliceCheck;

    private SharedSemaphore(ObjectRegion region) {
        this.region = region;
        this.segment = region.segment();
        this.buffer = region.buffer();
        this.name = region.name();
        int base = region.offset();
        region.checkStored("length", region.length(), SemaphoreDescriptor.SIZE, Integer.MAX_VALUE);
        int flags = (int) region.checkStored("flags", buffer.getInt(base + SemaphoreDescriptor.FLAGS_OFFSET),
                0, SemaphoreDescriptor.FLAG_BOUNDED);
        this.bounded = (flags & SemaphoreDescriptor.FLAG_BOUNDED) != 0;
        this.maxPermits = (int) region.checkStored("maxPermits",
                buffer.getInt(base + SemaphoreDescriptor.MAX_PERMITS_OFFSET), 0, bounded ? Integer.MAX_VALUE : 0);
        this.permitsAt = base + SemaphoreDescriptor.PERMITS_OFFSET;
        this.waitersAt = base + SemaphoreDescriptor.WAITERS_OFFSET;
        this.multiWaitersAt = base + SemaphoreDescriptor.MULTI_WAITERS_OFFSET;
        this.sliceCheck = segment::ensureOpen;
    }

    private static ObjectInitializer initial(int permits, boolean bounded) {
        return (b, offset, length) -> {
            b.setInt(offset + SemaphoreDescriptor.FLAGS_OFFSET, bounded ? SemaphoreDescriptor.FLAG_BOUNDED : 0);
            b.setInt(offset + SemaphoreDescriptor.MAX_PERMITS_OFFSET, bounded ? permits : 0);
            b.setInt(offset + SemaphoreDescriptor.PERMITS_OFFSET, permits);
        };
    }

    private static int checkInitial(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("initial permits must be >= 0: permits=" + permits);
        }
        return permits;
    }

    // ---------------------------------------------------------------- factories

    /**
     * Creates a new unbounded semaphore. Any thread may call this.
     *
     * @param segment where it lives
     * @param name its name in the segment
     * @param permits initial available permits, {@code >= 0}
     * @return the new semaphore
     * @throws IllegalArgumentException if {@code permits < 0}
     * @throws ObjectExistsException if the name exists
     */
    public static SharedSemaphore create(Segment segment, String name, int permits) {
        return new SharedSemaphore(segment.createObject(name, SyncKinds.SEMAPHORE, SemaphoreDescriptor.SIZE,
                initial(checkInitial(permits), false)));
    }

    /**
     * Creates a new bounded semaphore (Python's {@code BoundedSemaphore}): {@code permits} is
     * also its {@link #maxPermits()}. Any thread may call this.
     *
     * @param segment where it lives
     * @param name its name in the segment
     * @param permits initial and maximum available permits, {@code >= 0}
     * @return the new semaphore
     * @throws IllegalArgumentException if {@code permits < 0}
     * @throws ObjectExistsException if the name exists
     */
    public static SharedSemaphore createBounded(Segment segment, String name, int permits) {
        return new SharedSemaphore(segment.createObject(name, SyncKinds.SEMAPHORE, SemaphoreDescriptor.SIZE,
                initial(checkInitial(permits), true)));
    }

    /**
     * Opens an existing semaphore, bounded or not as it was created. Any thread may call this.
     *
     * @param segment where it lives
     * @param name its name
     * @return the semaphore
     * @throws NoSuchObjectException if there is none
     * @throws KindMismatchException if the name is another kind of object
     * @throws CorruptSegmentException if its stored configuration is invalid
     */
    public static SharedSemaphore open(Segment segment, String name) {
        return new SharedSemaphore(segment.openObject(name, SyncKinds.SEMAPHORE));
    }

    /**
     * Opens the semaphore, creating it unbounded with {@code permits} if it does not exist. If it
     * exists, {@code permits} is ignored and it stays as it was created (bounded or not, see
     * {@link #isBounded()}). Processes racing to do this get the same semaphore. Any thread may
     * call this.
     *
     * @param segment where it lives
     * @param name its name
     * @param permits initial permits if created, {@code >= 0}
     * @return the semaphore
     * @throws IllegalArgumentException if {@code permits < 0}
     * @throws KindMismatchException if the name is another kind of object
     */
    public static SharedSemaphore openOrCreate(Segment segment, String name, int permits) {
        return new SharedSemaphore(segment.openOrCreateObject(name, SyncKinds.SEMAPHORE, SemaphoreDescriptor.SIZE,
                initial(checkInitial(permits), false)));
    }

    /**
     * Opens the semaphore, creating it bounded with {@code permits} if it does not exist. If it
     * exists, {@code permits} is ignored and it stays as it was created: check
     * {@link #isBounded()} if another process may have created it unbounded. Any thread may call
     * this.
     *
     * @param segment where it lives
     * @param name its name
     * @param permits initial and maximum permits if created, {@code >= 0}
     * @return the semaphore
     * @throws IllegalArgumentException if {@code permits < 0}
     * @throws KindMismatchException if the name is another kind of object
     */
    public static SharedSemaphore openOrCreateBounded(Segment segment, String name, int permits) {
        return new SharedSemaphore(segment.openOrCreateObject(name, SyncKinds.SEMAPHORE, SemaphoreDescriptor.SIZE,
                initial(checkInitial(permits), true)));
    }

    // ---------------------------------------------------------------- description

    /** @return the object's name in its segment */
    public String name() {
        return name;
    }

    /** @return true if releases above {@link #maxPermits()} are refused (fixed at creation) */
    public boolean isBounded() {
        return bounded;
    }

    /**
     * @return the most permits a bounded semaphore can hold: its initial permits
     * @throws IllegalStateException if the semaphore is not bounded
     */
    public int maxPermits() {
        if (!bounded) {
            throw new IllegalStateException("semaphore '" + name + "' is not bounded: maxPermits is undefined");
        }
        return maxPermits;
    }

    /**
     * The permits available now (a volatile read; stale as soon as it returns). Any thread may
     * call this.
     *
     * @return available permits, {@code >= 0}
     * @throws IllegalStateException if the segment is closed
     */
    public int availablePermits() {
        segment.ensureOpen();
        return checkedPermits(buffer.getIntVolatile(permitsAt));
    }

    // ---------------------------------------------------------------- acquire

    /**
     * Acquires one permit, waiting until one is available. Any thread may call this.
     *
     * @throws InterruptedException if interrupted before or while waiting (status cleared)
     * @throws IllegalStateException if the segment is or gets closed
     */
    public void acquire() throws InterruptedException {
        acquire(1);
    }

    /**
     * Acquires {@code permits} permits at once, waiting until that many are available. Any
     * thread may call this.
     *
     * @param permits number of permits, {@code >= 0}
     * @throws InterruptedException if interrupted before or while waiting (status cleared)
     * @throws IllegalArgumentException if {@code permits < 0}, or above {@link #maxPermits()} of
     *     a bounded semaphore (it could never succeed)
     * @throws IllegalStateException if the segment is or gets closed
     */
    public void acquire(int permits) throws InterruptedException {
        awaitPermits(checkRequest(permits), WaitLoop.FOREVER);
    }

    /**
     * Acquires one permit, waiting until one is available; an interrupt does not stop the wait
     * (the interrupt status is set again on return). Any thread may call this.
     *
     * @throws IllegalStateException if the segment is or gets closed
     */
    public void acquireUninterruptibly() {
        acquireUninterruptibly(1);
    }

    /**
     * Acquires {@code permits} permits, waiting uninterruptibly. Any thread may call this.
     *
     * @param permits number of permits, {@code >= 0}
     * @throws IllegalArgumentException if {@code permits < 0} or above a bounded semaphore's
     *     {@link #maxPermits()}
     * @throws IllegalStateException if the segment is or gets closed
     */
    public void acquireUninterruptibly(int permits) {
        int n = checkRequest(permits);
        segment.ensureOpen();
        try {
            WaitLoop.awaitUninterruptibly(segment, permitsAt, waitersFor(n), () -> attempt(n), sliceCheck,
                    WaitLoop.FOREVER);
        } catch (RuntimeException | Error e) {
            passOnWakeUp();
            throw e;
        }
    }

    /**
     * Takes one permit if one is available now, without waiting (and regardless of other
     * waiting threads). Any thread may call this.
     *
     * @return true if a permit was taken
     * @throws IllegalStateException if the segment is closed
     */
    public boolean tryAcquire() {
        return tryAcquire(1);
    }

    /**
     * Takes {@code permits} permits if that many are available now, without waiting. Any thread
     * may call this.
     *
     * @param permits number of permits, {@code >= 0}
     * @return true if they were taken; false leaves the count unchanged
     * @throws IllegalArgumentException if {@code permits < 0} or above a bounded semaphore's
     *     {@link #maxPermits()}
     * @throws IllegalStateException if the segment is closed
     */
    public boolean tryAcquire(int permits) {
        int n = checkRequest(permits);
        segment.ensureOpen();
        return attempt(n) == WaitLoop.DONE;
    }

    /**
     * Acquires one permit, waiting at most {@code timeout}. Any thread may call this.
     *
     * @param timeout longest wait; {@code <= 0} tries once
     * @param unit its unit
     * @return true if a permit was taken, false on timeout
     * @throws InterruptedException if interrupted before or while waiting (status cleared)
     * @throws IllegalStateException if the segment is or gets closed
     */
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return tryAcquire(1, timeout, unit);
    }

    /**
     * Acquires {@code permits} permits at once, waiting at most {@code timeout}. Any thread may
     * call this.
     *
     * @param permits number of permits, {@code >= 0}
     * @param timeout longest wait; {@code <= 0} tries once
     * @param unit its unit
     * @return true if they were taken, false on timeout (nothing taken)
     * @throws InterruptedException if interrupted before or while waiting (status cleared)
     * @throws IllegalArgumentException if {@code permits < 0} or above a bounded semaphore's
     *     {@link #maxPermits()}
     * @throws IllegalStateException if the segment is or gets closed
     */
    public boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException {
        int n = checkRequest(permits);
        return awaitPermits(n, WaitLoop.toNanos(timeout, unit));
    }

    /**
     * Acquires one permit, waiting at most {@code timeout}. Any thread may call this.
     *
     * @param timeout longest wait; zero or negative tries once
     * @return true if a permit was taken, false on timeout
     * @throws InterruptedException if interrupted before or while waiting (status cleared)
     * @throws IllegalStateException if the segment is or gets closed
     */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return tryAcquire(1, timeout);
    }

    /**
     * Acquires {@code permits} permits at once, waiting at most {@code timeout}. Any thread may
     * call this.
     *
     * @param permits number of permits, {@code >= 0}
     * @param timeout longest wait; zero or negative tries once
     * @return true if they were taken, false on timeout
     * @throws InterruptedException if interrupted before or while waiting (status cleared)
     * @throws IllegalArgumentException if {@code permits < 0} or above a bounded semaphore's
     *     {@link #maxPermits()}
     * @throws IllegalStateException if the segment is or gets closed
     */
    public boolean tryAcquire(int permits, Duration timeout) throws InterruptedException {
        return tryAcquire(permits, Deadline.toNanos(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * Takes every available permit at once. Any thread may call this.
     *
     * @return the number of permits taken
     * @throws IllegalStateException if the segment is closed
     */
    public int drainPermits() {
        segment.ensureOpen();
        return checkedPermits(buffer.getAndSetInt(permitsAt, 0));
    }

    // ---------------------------------------------------------------- asynchronous acquire

    /**
     * The asynchronous form of {@link #acquire()}: {@code acquireAsync(1)}.
     *
     * @return a future that completes with {@code true} once the permit is acquired
     */
    public CompletableFuture<Boolean> acquireAsync() {
        return acquireAsync(1);
    }

    /**
     * The asynchronous form of {@link #acquire(int)}: returns at once a future that completes
     * with {@code true} once the permits are acquired (for the future's owner, who must release
     * them), without a thread waiting for it (see {@code io.interproc.core.wait.AsyncWaits}: one
     * helper thread serves every pending wait). The future fails with
     * {@link IllegalStateException} if the segment is or becomes closed.
     *
     * <p><b>Cancellation never loses a permit.</b> The permits are taken only at a moment when
     * the future can still complete: {@code cancel} (or {@code complete}, {@code orTimeout})
     * either ends the wait before it took anything (and returns {@code true}), or finds the
     * future completed with {@code true}, returns {@code false}, and the caller owns the permits
     * and must release them. A wait that ends without the permits passes on a wake-up it may
     * have consumed, as the blocking form does.
     *
     * <p>Any thread may call this. Memory effects: as for {@link #acquire(int)}, actions before a
     * {@code release} happen-before the completion of a future that acquires what it released.
     * Dependent stages added without an executor may run on interproc's async-waits thread: they
     * must not block.
     *
     * @param permits how many, {@code >= 0}
     * @return the future; already completed if the permits were available now
     * @throws IllegalArgumentException if {@code permits} is negative, or above a bounded
     *     semaphore's maximum
     */
    public CompletableFuture<Boolean> acquireAsync(int permits) {
        return acquireAsyncNanos(checkRequest(permits), WaitLoop.FOREVER);
    }

    /**
     * As {@link #acquireAsync(int)} for one permit, with a timeout: the future completes with
     * {@code false} (having acquired nothing) once the timeout has passed.
     *
     * @param timeout how long to wait; {@code <= 0} tries once
     * @param unit its unit
     * @return the future
     * @throws NullPointerException if {@code unit} is null
     */
    public CompletableFuture<Boolean> tryAcquireAsync(long timeout, TimeUnit unit) {
        return tryAcquireAsync(1, timeout, unit);
    }

    /**
     * As {@link #acquireAsync(int)}, with a timeout: the future completes with {@code false}
     * (having acquired nothing) once the timeout has passed.
     *
     * @param permits how many, {@code >= 0}
     * @param timeout how long to wait; {@code <= 0} tries once
     * @param unit its unit
     * @return the future
     * @throws IllegalArgumentException if {@code permits} is out of range
     * @throws NullPointerException if {@code unit} is null
     */
    public CompletableFuture<Boolean> tryAcquireAsync(int permits, long timeout, TimeUnit unit) {
        int n = checkRequest(permits);
        return acquireAsyncNanos(n, WaitLoop.toNanos(timeout, unit));
    }

    /**
     * As {@link #tryAcquireAsync(long, TimeUnit)}.
     *
     * @param timeout how long to wait
     * @return the future
     * @throws NullPointerException if {@code timeout} is null
     */
    public CompletableFuture<Boolean> tryAcquireAsync(Duration timeout) {
        return tryAcquireAsync(1, timeout);
    }

    /**
     * As {@link #tryAcquireAsync(int, long, TimeUnit)}.
     *
     * @param permits how many, {@code >= 0}
     * @param timeout how long to wait
     * @return the future
     * @throws IllegalArgumentException if {@code permits} is out of range
     * @throws NullPointerException if {@code timeout} is null
     */
    public CompletableFuture<Boolean> tryAcquireAsync(int permits, Duration timeout) {
        int n = checkRequest(permits);
        return acquireAsyncNanos(n, Deadline.toNanos(timeout));
    }

    private CompletableFuture<Boolean> acquireAsyncNanos(int n, long timeoutNanos) {
        return AsyncWaits.await(segment, permitsAt, waitersFor(n), done -> {
            long r = attempt(n);
            if (r == WaitLoop.DONE) {
                done.accept(Boolean.TRUE);
            }
            return r;
        }, sliceCheck, timeoutNanos, Boolean.FALSE, this::passOnWakeUp);
    }

    // ---------------------------------------------------------------- release

    /**
     * Returns one permit. Any thread of any process may call this, whether or not it acquired a
     * permit. Wakes a sleeping acquirer if one is registered.
     *
     * @throws IllegalStateException if a bounded semaphore already holds {@link #maxPermits()}
     *     (count unchanged), on {@code int} overflow, or if the segment is closed
     */
    public void release() {
        release(1);
    }

    /**
     * Returns {@code permits} permits at once. Any thread of any process may call this. Wakes as
     * many sleeping acquirers as can use them (all of them if some wait for several permits),
     * making no system call when none sleeps.
     *
     * @param permits number of permits, {@code >= 0}
     * @throws IllegalArgumentException if {@code permits < 0}
     * @throws IllegalStateException if a bounded semaphore would then hold more than
     *     {@link #maxPermits()} (count unchanged), on {@code int} overflow, or if the segment is
     *     closed
     */
    public void release(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must be >= 0: permits=" + permits);
        }
        segment.ensureOpen();
        int p = buffer.getIntVolatile(permitsAt);
        while (true) {
            checkedPermits(p);
            long next = (long) p + permits;
            if (bounded && next > maxPermits) {
                throw new IllegalStateException("bounded semaphore '" + name + "' released too many times: "
                        + "availablePermits=" + p + ", permits=" + permits + ", maxPermits=" + maxPermits);
            }
            if (next > Integer.MAX_VALUE) {
                throw new IllegalStateException("semaphore '" + name + "' permit count would overflow: "
                        + "availablePermits=" + p + ", permits=" + permits + ", max=" + Integer.MAX_VALUE);
            }
            int seen = buffer.compareAndExchangeInt(permitsAt, p, (int) next);
            if (seen == p) {
                break;
            }
            p = seen;
        }
        if (permits > 0) {
            wake(permits);
        }
    }

    // ---------------------------------------------------------------- internals

    private boolean awaitPermits(int n, long timeoutNanos) throws InterruptedException {
        segment.ensureOpen();
        try {
            return WaitLoop.await(segment, permitsAt, waitersFor(n), () -> attempt(n), sliceCheck, timeoutNanos);
        } catch (InterruptedException | RuntimeException | Error e) {
            passOnWakeUp();
            throw e;
        }
    }

    /** One try: take {@code n} permits, or report the permit word that made it fail. */
    private long attempt(int n) {
        int p = buffer.getIntVolatile(permitsAt);
        while (true) {
            if (p < n) {
                return checkedPermits(p) & 0xFFFF_FFFFL;
            }
            int seen = buffer.compareAndExchangeInt(permitsAt, p, p - n);
            if (seen == p) {
                return WaitLoop.DONE;
            }
            p = seen;
        }
    }

    private int waitersFor(int n) {
        return n > 1 ? multiWaitersAt : waitersAt;
    }

    /** After publishing {@code released} new permits with a CAS. */
    private void wake(int released) {
        if (buffer.getIntVolatile(multiWaitersAt) > 0) {
            WaitLoop.waiter().wake(buffer, permitsAt, Integer.MAX_VALUE);
        } else {
            WaitLoop.wakeIfWaiting(buffer, permitsAt, waitersAt, released);
        }
    }

    /**
     * A thread leaving a wait without a permit (interrupt, closed segment) may have consumed a
     * wake-up meant for a permit that is still there: hand it on so no sleeper misses it.
     */
    private void passOnWakeUp() {
        int p = buffer.getIntVolatile(permitsAt);
        if (p > 0) {
            wake(p);
        }
    }

    private int checkRequest(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must be >= 0: permits=" + permits);
        }
        if (bounded && permits > maxPermits) {
            throw new IllegalArgumentException("bounded semaphore '" + name + "' can never have that many permits: "
                    + "permits=" + permits + ", maxPermits=" + maxPermits);
        }
        return permits;
    }

    private int checkedPermits(int p) {
        if (p < 0 || (bounded && p > maxPermits)) {
            region.checkStored("permits", p, 0, bounded ? maxPermits : Integer.MAX_VALUE);
        }
        return p;
    }

    @Override
    public String toString() {
        return "SharedSemaphore[" + segment.name() + "/" + name + (bounded ? ", bounded, maxPermits=" + maxPermits : "")
                + "]";
    }
}
