package io.interproc.ipc.queue;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.shared.JoinableBlockingQueue;
import io.interproc.core.wait.Deadline;
import io.interproc.core.wait.WaitLoop;
import io.interproc.ipc.IpcKinds;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SharedQueue} that also counts unfinished tasks (Python:
 * {@code multiprocessing.JoinableQueue}): every message put is a task; a consumer calls
 * {@link #taskDone()} when it has finished one; {@link #join()} waits until every task put so far
 * is done. Layout: {@link QueueDescriptor} (joinable flag set).
 *
 * <p>Unfinished tasks are the messages put, less those lost mid-stream, less the
 * {@code taskDone} calls. A producer killed mid-put never leaves a phantom task for {@code join}
 * to wait for. A message lost mid-stream ({@link #messagesLost()}) can never be marked done and
 * is not waited for. A consumer that dies after taking a task and before calling
 * {@code taskDone} leaves it unfinished forever (as in Python): use the timed {@code join}.
 *
 * <p>Every removal is a take of a task, whichever method makes it: {@code take}, {@code poll},
 * {@code drainTo}, {@code clear}, a completed {@code takeAsync}. Each needs its {@code taskDone()}
 * before {@code join()} returns.
 *
 * <p>Memory effects: actions before a {@code taskDone} happen-before the return of a
 * {@code join} that it completes. Any thread of any attached process may call any method.
 *
 * @param <E> the type of element
 */
public final class JoinableQueue<E> extends AbstractSharedQueue<E> implements JoinableBlockingQueue<E> {
    /*
     * All three counters live in shared memory (QueueDescriptor, RingDescriptor). A producer
     * killed after counting a message and before publishing it has its count set back by the next
     * put, or by a waiting join, which takes the dead producer's lock over to do it
     * (QueueCore.afterJoinSlice, ByteRing.reconcilePutCount).
     */
    private JoinableQueue(QueueCore core, Codec<E> codec) {
        super(core, codec);
    }

    /**
     * Creates a new queue.
     *
     * @param segment where it lives
     * @param name its name in the segment
     * @param capacity ring size in bytes, rounded up to a power of two (at least 256)
     * @param codec how elements become bytes
     * @param <E> the type of element
     * @return the new queue
     * @throws io.interproc.core.ObjectExistsException if the name exists
     */
    public static <E> JoinableQueue<E> create(Segment segment, String name, long capacity, Codec<E> codec) {
        return new JoinableQueue<>(
                QueueCore.create(segment, name, IpcKinds.JOINABLE_QUEUE, capacity), codec);
    }

    /**
     * Opens an existing queue.
     *
     * @param segment where it lives
     * @param name its name
     * @param codec how elements become bytes
     * @param <E> the type of element
     * @return the queue
     * @throws io.interproc.core.NoSuchObjectException if there is none
     * @throws io.interproc.core.KindMismatchException if the name is another kind of object
     */
    public static <E> JoinableQueue<E> open(Segment segment, String name, Codec<E> codec) {
        return new JoinableQueue<>(QueueCore.open(segment, name, IpcKinds.JOINABLE_QUEUE),
                codec);
    }

    /**
     * Opens the queue, creating it if it does not exist; {@code capacity} is ignored if it exists.
     *
     * @param segment where it lives
     * @param name its name
     * @param capacity ring size in bytes if created
     * @param codec how elements become bytes
     * @param <E> the type of element
     * @return the queue
     */
    public static <E> JoinableQueue<E> openOrCreate(Segment segment, String name, long capacity, Codec<E> codec) {
        return new JoinableQueue<>(
                QueueCore.openOrCreate(segment, name, IpcKinds.JOINABLE_QUEUE, capacity),
                codec);
    }

    /**
     * Marks one taken task as finished. Any thread of any process may call it.
     *
     * @throws IllegalStateException if called more times than items were taken; nothing changes
     */
    public void taskDone() {
        core.taskDone();
    }

    /**
     * Any thread of any attached process may call this; a volatile snapshot.
     *
     * @return tasks put and not yet marked done, less messages lost mid-stream
     */
    public long unfinishedTasks() {
        return core.unfinishedTasks();
    }

    /**
     * Waits until every task put so far is done.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void join() throws InterruptedException {
        core.join(WaitLoop.FOREVER);
    }

    /**
     * Waits until every task put so far is done, up to the timeout.
     *
     * @param timeout how long to wait; {@code <= 0} checks once
     * @param unit its unit
     * @return true if all were done, false on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        return core.join(WaitLoop.toNanos(timeout, unit));
    }

    /**
     * As {@link #join(long, TimeUnit)}.
     *
     * @param timeout how long to wait
     * @return true if all were done, false on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean join(Duration timeout) throws InterruptedException {
        return core.join(Deadline.toNanos(timeout));
    }
}
