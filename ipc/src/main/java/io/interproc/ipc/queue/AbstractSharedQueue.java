package io.interproc.ipc.queue;

import io.interproc.core.BufferTooSmallException;
import io.interproc.core.Codec;
import io.interproc.core.CodecException;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.spi.ObjectKind;
import io.interproc.core.wait.AsyncWaits;
import io.interproc.core.wait.Deadline;
import io.interproc.core.wait.WaitLoop;
import io.interproc.ipc.CodecCalls;
import io.interproc.ipc.IpcKinds;
import io.interproc.ipc.ring.DrainTarget;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The operations of {@link SharedQueue}, {@link JoinableQueue} and {@link SimpleQueue}: a
 * bounded, multi-producer, multi-consumer FIFO of variable-length messages in shared memory, with
 * the {@link java.util.concurrent.BlockingQueue} table of insert and remove methods, and
 * asynchronous removes ({@link #takeAsync()}, {@link #pollAsync(long, TimeUnit)}) that return a
 * {@link CompletableFuture} without a thread waiting per call.
 *
 * <table class="striped">
 *   <caption>Insert and remove</caption>
 *   <tr><th></th><th>throws</th><th>special value</th><th>blocks</th><th>times out</th></tr>
 *   <tr><td>insert</td><td>{@link #add}</td><td>{@link #offer(Object)}</td><td>{@link #put}</td>
 *       <td>{@link #offer(Object, long, TimeUnit)}</td></tr>
 *   <tr><td>remove</td><td>{@link #remove()}</td><td>{@link #poll()}</td><td>{@link #take}</td>
 *       <td>{@link #poll(long, TimeUnit)}</td></tr>
 * </table>
 *
 * <p><b>Bounded by bytes.</b> The ring holds {@link #capacity()} bytes; each message costs its
 * size rounded up to 8, plus 8. A message larger than the ring is streamed through it in
 * fragments, so any size up to 2 GiB - 1 can be sent; the guarantees for those are weaker (below).
 *
 * <p><b>{@link BlockingQueue}.</b> The class implements {@code BlockingQueue<E>}, so a queue can
 * be handed to any API that takes one. Where the contract speaks of elements and this queue
 * counts bytes, or where a method cannot be offered, it says so:
 * <ul>
 *   <li>nulls are refused ({@link NullPointerException}) by every insert, as the contract asks;</li>
 *   <li>{@link #remainingCapacity()} is how many more messages <em>of the size of the last one
 *       this handle inserted or removed</em> fit in the free bytes now (an estimate, exact for
 *       messages of one size; {@link #freeBytes()} gives the bytes);</li>
 *   <li>{@link #drainTo(Collection, int)} removes a batch of the messages there now under one
 *       hold of the consumer lock, publishing the head once per batch;
 *       {@link #drainTo(Collection)} is {@code drainTo(c, Integer.MAX_VALUE)}, which stops when
 *       the queue is found empty;</li>
 *   <li>{@link #clear()} removes (without decoding) the messages there now; {@link #addAll}
 *       adds one by one with {@link #add};</li>
 *   <li>the examine methods ({@link #peek()}, {@link #element()}) and the {@code Collection}
 *       view ({@link #iterator()}, {@link #contains}, {@link #remove(Object)}, {@link #toArray()},
 *       {@code containsAll}, {@code removeAll}, {@code retainAll}) throw
 *       {@link UnsupportedOperationException}: a streamed message is never wholly inside the
 *       ring, and reading or removing elements other than the head of a ring that other
 *       processes consume at the same time would need a non-consuming read under the consumer
 *       lock, which the ring does not offer. Stream and {@code forEach} use the iterator, so
 *       they throw too;</li>
 *   <li>{@code equals} and {@code hashCode} are identity, as for the JDK's queues.</li>
 * </ul>
 *
 * <p><b>Try-once forms.</b> {@code offer(e)}, {@code poll()}, {@code add}, {@code remove} and
 * the timed forms with a timeout {@code <= 0} do not wait for room or data, but do wait up to 1 ms
 * for the producer (or consumer) lock when another thread or process holds it for its own copy, so
 * that two overlapping calls do not make each other fail; {@code false} / {@code null} then means
 * full / empty, as in {@code BlockingQueue}.
 *
 * <p><b>Ordering.</b> Messages are FIFO: one producer at a time writes (the producer lock), one
 * consumer at a time reads (the consumer lock), so messages from one producer thread arrive in the
 * order it put them, and every message is taken at most once.
 *
 * <p><b>Crash safety.</b> A message is published only after it is wholly copied in, and removed
 * only after it is wholly copied out. A producer killed mid-put leaves nothing visible; a consumer
 * killed mid-take leaves the message for the next consumer. The dead process's lock is taken over
 * by the next producer or consumer within about one wait slice (100 ms). For a streamed message
 * (larger than {@link #maxWholeMessage()}): a producer killed, timed out, interrupted or closed
 * mid-stream leaves nothing a consumer returns (the part is discarded and counted,
 * {@link #partialsDiscarded()}); its insert returns normally only if the whole message was
 * published. A consumer killed, interrupted or closed mid-stream, or whose timeout passes there
 * with no fragment arriving for one wait slice, gives that one message up: the rest is skipped
 * by the next remove and counted in {@link #messagesLost()}, never silently.
 *
 * <p><b>Closing.</b> {@link io.interproc.core.Segment#close()} while threads of the attachment
 * are inside a method of this queue makes them stop at the next fragment or wait slice (with
 * {@link IllegalStateException}) and release the producer or consumer lock themselves; the
 * attachment's process slot is freed only after that, so no other process takes a lock over
 * while this one still writes.
 *
 * <p><b>Codecs.</b> Objects go through the queue's {@link Codec}. A value the codec cannot encode
 * fails the insert in the calling thread with a {@link CodecException} and changes nothing. Bytes
 * the codec cannot decode fail the remove with a {@link CodecException}; that message has been
 * removed (so it cannot block the queue) and is counted in {@link #undecodable()}. The bytes
 * methods ({@link #offerBytes(ByteBuffer)}, {@link #pollBytes(ByteBuffer)} …) bypass the codec and allocate
 * nothing per message.
 *
 * <p><b>Memory effects.</b> Actions of a thread before it puts a message happen-before the actions
 * of the thread that takes it, in any process. Every method throws {@link IllegalStateException}
 * once the segment is closed, including a thread blocked in one (after at most one wait slice).
 * Blocking methods honour interrupts ({@link InterruptedException} clears the status); a timeout
 * {@code <= 0} means try once. Any thread of any attached process may call any method.
 *
 * @param <E> the type of element
 */
public abstract sealed class AbstractSharedQueue<E> implements BlockingQueue<E>
        permits SharedQueue, JoinableQueue, SimpleQueue {
    final QueueCore core;
    private final Codec<E> codec;
    /**
     * Bytes a record of the last message this handle inserted or removed takes in the ring:
     * the unit of {@link #remainingCapacity()}. A racy hint, hence plain volatile.
     */
    private volatile int lastRecordBytes = RECORD_HEADER_BYTES;
    /** Where asynchronous takes sleep; found on the first one. */
    private volatile QueueWaitWords waitWords;

    /** A record's header in the ring ({@code ipc.ring.RingDescriptor}): length and total. */
    private static final int RECORD_HEADER_BYTES = 8;

    AbstractSharedQueue(QueueCore core, Codec<E> codec) {
        this.core = core;
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** @return the queue's name in its segment */
    public String name() {
        return core.name();
    }

    /** @return the codec used for elements */
    public Codec<E> codec() {
        return codec;
    }

    // ---------------------------------------------------------------- insert

    /**
     * Inserts if there is room now, else throws.
     *
     * @param e the element
     * @return true
     * @throws IllegalStateException if there is no room
     * @throws NullPointerException if {@code e} is null
     * @throws CodecException if {@code e} cannot be encoded
     */
    @Override
    public boolean add(E e) {
        if (!offer(e)) {
            throw new IllegalStateException("queue full: " + core + ", free bytes=" + core.freeBytes());
        }
        return true;
    }

    /**
     * Inserts if there is room now (and the producer lock is free now).
     *
     * @param e the element
     * @return true if inserted, false if there was no room
     * @throws NullPointerException if {@code e} is null
     * @throws CodecException if {@code e} cannot be encoded
     */
    @Override
    public boolean offer(E e) {
        ByteBuffer src = encode(e);
        try {
            return core.offer(src, 0);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt(); // a try-once never waits; keep the status
            return false;
        }
    }

    /**
     * Inserts, waiting for room as long as it takes.
     *
     * @param e the element
     * @throws InterruptedException if interrupted before or while waiting
     * @throws NullPointerException if {@code e} is null
     * @throws CodecException if {@code e} cannot be encoded
     */
    @Override
    public void put(E e) throws InterruptedException {
        core.offer(encode(e), WaitLoop.FOREVER);
    }

    /**
     * Inserts, waiting for room up to the timeout.
     *
     * @param e the element
     * @param timeout how long to wait; {@code <= 0} tries once
     * @param unit its unit
     * @return true if inserted, false on timeout
     * @throws InterruptedException if interrupted before or while waiting
     * @throws NullPointerException if {@code e} or {@code unit} is null
     * @throws CodecException if {@code e} cannot be encoded
     */
    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        return core.offer(encode(e), WaitLoop.toNanos(timeout, unit));
    }

    /**
     * As {@link #offer(Object, long, TimeUnit)}.
     *
     * @param e the element
     * @param timeout how long to wait
     * @return true if inserted, false on timeout
     * @throws InterruptedException if interrupted before or while waiting
     * @throws NullPointerException if {@code e} or {@code timeout} is null
     */
    public boolean offer(E e, Duration timeout) throws InterruptedException {
        return core.offer(encode(e), Deadline.toNanos(timeout));
    }

    /**
     * Adds every element of {@code c} with {@link #add}, in its iteration order; stops at the
     * first that does not fit (those before it stay added).
     *
     * @param c the elements
     * @return true if any was added
     * @throws NullPointerException if {@code c} or an element is null
     * @throws IllegalArgumentException if {@code c} is this queue
     * @throws IllegalStateException if an element does not fit now
     */
    @Override
    public boolean addAll(Collection<? extends E> c) {
        Objects.requireNonNull(c, "c");
        if (c == this) {
            throw new IllegalArgumentException("cannot add a queue to itself: " + core);
        }
        boolean changed = false;
        for (E e : c) {
            add(e);
            changed = true;
        }
        return changed;
    }

    private ByteBuffer encode(E e) {
        ByteBuffer src = CodecCalls.encode(codec, e); // NullPointerException for null
        lastRecordBytes = recordBytes(src.remaining());
        return src;
    }

    // ---------------------------------------------------------------- remove

    /**
     * Removes the head if there is one now, else throws.
     *
     * @return the element
     * @throws NoSuchElementException if the queue is empty
     * @throws CodecException if the message cannot be decoded (it is removed)
     */
    @Override
    public E remove() {
        E e = poll();
        if (e == null) {
            throw new NoSuchElementException("queue empty: " + core);
        }
        return e;
    }

    /**
     * Removes the head if there is one now (and the consumer lock is free now).
     *
     * @return the element, or {@code null} if empty
     * @throws CodecException if the message cannot be decoded (it is removed)
     */
    @Override
    public E poll() {
        try {
            return decode(core.poll(0));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Removes the head, waiting for one as long as it takes.
     *
     * @return the element
     * @throws InterruptedException if interrupted before or while waiting
     * @throws CodecException if the message cannot be decoded (it is removed)
     */
    @Override
    public E take() throws InterruptedException {
        return decode(core.poll(WaitLoop.FOREVER));
    }

    /**
     * Removes the head, waiting for one up to the timeout.
     *
     * @param timeout how long to wait; {@code <= 0} tries once
     * @param unit its unit
     * @return the element, or {@code null} on timeout (in the middle of a streamed message: once the
     *     timeout has passed and no fragment has come for one wait slice; see the class doc)
     * @throws InterruptedException if interrupted before or while waiting
     * @throws NullPointerException if {@code unit} is null
     * @throws CodecException if the message cannot be decoded (it is removed)
     */
    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        return decode(core.poll(WaitLoop.toNanos(timeout, unit)));
    }

    /**
     * As {@link #poll(long, TimeUnit)}.
     *
     * @param timeout how long to wait
     * @return the element, or {@code null} on timeout (in the middle of a streamed message: once the
     *     timeout has passed and no fragment has come for one wait slice; see the class doc)
     * @throws InterruptedException if interrupted before or while waiting
     */
    public E poll(Duration timeout) throws InterruptedException {
        return decode(core.poll(Deadline.toNanos(timeout)));
    }

    /**
     * Removes every element there now into {@code target}: {@code drainTo(target, Integer.MAX_VALUE)}.
     *
     * @param target where to add them
     * @return how many were removed
     * @throws NullPointerException if {@code target} is null
     * @throws IllegalArgumentException if {@code target} is this queue
     * @throws CodecException if a message cannot be decoded (it is removed; those before it are
     *     in {@code target})
     */
    @Override
    public int drainTo(Collection<? super E> target) {
        return drainTo(target, Integer.MAX_VALUE);
    }

    /**
     * Removes up to {@code max} elements that are there now into {@code target}, in queue order,
     * without waiting ({@link java.util.concurrent.BlockingQueue#drainTo(Collection, int)}). Any
     * thread. Takes the consumer lock once and publishes the queue's head once per batch of
     * whole messages rather than once per element, so it is the fast way to consume: a consumer
     * killed in the middle leaves the whole batch in the queue for the next consumer. Memory
     * effects: as for {@link #poll()}, per element. An exception from {@code target.add} leaves
     * the element that failed removed from the queue and lost, as for the JDK's queues.
     *
     * @param target where to add them
     * @param max the most to remove; {@code <= 0} removes none
     * @return how many were removed
     * @throws NullPointerException if {@code target} is null
     * @throws IllegalArgumentException if {@code target} is this queue
     * @throws CodecException if a message cannot be decoded: it is removed (and counted in
     *     {@link #undecodable()}), the elements before it are in {@code target}, the rest stay
     * @throws IllegalStateException if the segment is closed
     */
    @Override
    public int drainTo(Collection<? super E> target, int max) {
        Objects.requireNonNull(target, "target");
        if ((Object) target == this) {
            throw new IllegalArgumentException("cannot drain " + core + " into itself");
        }
        DrainTarget decoder = new DrainTarget() {
            @Override
            public ByteBuffer bufferFor(int length) {
                return ByteBuffer.wrap(new byte[length]);
            }

            @Override
            public void accept(ByteBuffer message) {
                target.add(decode(message.array()));
            }
        };
        try {
            return core.drain(decoder, max, 0);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt(); // it never waits; keep the status
            return 0;
        }
    }

    /**
     * Removes, without decoding them, the messages that are in the queue now (stops at the first
     * empty try: messages put meanwhile may stay or go).
     */
    @Override
    public void clear() {
        try {
            while (core.poll(0) != null) {
                // discarded
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    E decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        lastRecordBytes = recordBytes(bytes.length);
        try {
            return CodecCalls.decode(codec, bytes, core.description(), "removed from the queue");
        } catch (CodecException e) {
            core.countUndecodable();
            throw e;
        }
    }

    // ---------------------------------------------------------------- asynchronous remove

    /**
     * The asynchronous form of {@link #take()}: returns at once a future that completes with the
     * head element when {@code take()} would have returned it, without a thread waiting for it
     * (see {@code io.interproc.core.wait.AsyncWaits}: one helper thread serves every pending
     * wait, however many queues and futures there are). It fails with what {@code take()} would
     * throw: {@link CodecException} if the message cannot be decoded (it is removed and
     * counted), {@link IllegalStateException} if the segment is or becomes closed.
     *
     * <p><b>Cancellation never loses a message.</b> A message is removed only at a moment when
     * the future can still complete: {@code cancel} (or {@code complete}, {@code orTimeout})
     * either ends the wait before it removed anything (and returns {@code true}), or finds the
     * future completed with the element and returns {@code false}. Each removal is one try-once
     * {@link #poll()}, with its guarantees: a message larger than {@link #maxWholeMessage()} that
     * is still streaming in when the try starts is read as far as its producer keeps up, as
     * {@code poll()} reads it (see the class doc).
     *
     * <p>Ordering: pending asynchronous takes and blocking takes of any process compete for
     * each message; each message goes to exactly one of them. Any thread may call this. Memory
     * effects: actions of a thread before it puts a message happen-before the completion of the
     * future that receives it. Dependent stages added without an executor may run on interproc's
     * async-waits thread: they must not block.
     *
     * @return the future; already completed if a message was there now
     */
    public CompletableFuture<E> takeAsync() {
        return removeAsync(WaitLoop.FOREVER);
    }

    /**
     * As {@link #takeAsync()}, with a timeout: the future completes with {@code null} once the
     * timeout has passed with no message, as {@link #poll(long, TimeUnit)} returns.
     *
     * @param timeout how long to wait; {@code <= 0} tries once
     * @param unit its unit
     * @return the future
     * @throws NullPointerException if {@code unit} is null
     */
    public CompletableFuture<E> pollAsync(long timeout, TimeUnit unit) {
        return removeAsync(WaitLoop.toNanos(timeout, unit));
    }

    /**
     * As {@link #pollAsync(long, TimeUnit)}.
     *
     * @param timeout how long to wait
     * @return the future
     * @throws NullPointerException if {@code timeout} is null
     */
    public CompletableFuture<E> pollAsync(Duration timeout) {
        return removeAsync(Deadline.toNanos(timeout));
    }

    private CompletableFuture<E> removeAsync(long timeoutNanos) {
        QueueWaitWords words;
        try {
            words = waitWords();
        } catch (IllegalStateException closed) {
            return CompletableFuture.failedFuture(closed); // as a wait on a closed segment fails
        }
        SharedBuffer buffer = core.segment().buffer();
        return AsyncWaits.await(core.segment(), words.notEmptyWord(), words.notEmptyWaiters(), done -> {
            int seen = buffer.getIntVolatile(words.notEmptyWord());
            if (core.isEmpty()) {
                return seen & 0xFFFF_FFFFL;
            }
            byte[] bytes;
            try {
                bytes = core.poll(0);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt(); // the caller's thread, on the first try
                return AsyncWaits.RETRY_SOON;
            }
            if (bytes == null) {
                return AsyncWaits.RETRY_SOON; // another consumer held the consumer lock
            }
            done.accept(decode(bytes)); // a CodecException fails the future, as take() throws
            return WaitLoop.DONE;
        }, WaitLoop.SliceCheck.NONE, timeoutNanos, null, () -> { });
    }

    private QueueWaitWords waitWords() {
        QueueWaitWords w = waitWords;
        if (w == null) {
            w = QueueWaitWords.of(core.segment(), core.name(), kind());
            waitWords = w;
        }
        return w;
    }

    private ObjectKind kind() {
        if (this instanceof JoinableQueue) {
            return IpcKinds.JOINABLE_QUEUE;
        }
        return this instanceof SimpleQueue ? IpcKinds.SIMPLE_QUEUE : IpcKinds.QUEUE;
    }

    // ---------------------------------------------------------------- not offered

    /**
     * Not offered (see the class doc: the ring has no non-consuming read).
     *
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public E peek() {
        throw unsupported("peek()");
    }

    /**
     * Not offered (see the class doc: the ring has no non-consuming read).
     *
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public E element() {
        throw unsupported("element()");
    }

    /**
     * Not offered (see the class doc).
     *
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public Iterator<E> iterator() {
        throw unsupported("iterator()");
    }

    /**
     * Not offered (see the class doc).
     *
     * @param o ignored
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public boolean contains(Object o) {
        throw unsupported("contains(Object)");
    }

    /**
     * Not offered (see the class doc).
     *
     * @param o ignored
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public boolean remove(Object o) {
        throw unsupported("remove(Object)");
    }

    /**
     * Not offered (see the class doc).
     *
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public Object[] toArray() {
        throw unsupported("toArray()");
    }

    /**
     * Not offered (see the class doc).
     *
     * @param a ignored
     * @param <T> ignored
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public <T> T[] toArray(T[] a) {
        throw unsupported("toArray(T[])");
    }

    /**
     * Not offered (see the class doc).
     *
     * @param c ignored
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public boolean containsAll(Collection<?> c) {
        throw unsupported("containsAll(Collection)");
    }

    /**
     * Not offered (see the class doc).
     *
     * @param c ignored
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public boolean removeAll(Collection<?> c) {
        throw unsupported("removeAll(Collection)");
    }

    /**
     * Not offered (see the class doc).
     *
     * @param c ignored
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public boolean retainAll(Collection<?> c) {
        throw unsupported("retainAll(Collection)");
    }

    /**
     * Not offered (see the class doc); so {@code stream()} throws too.
     *
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public Spliterator<E> spliterator() {
        throw unsupported("spliterator()");
    }

    private UnsupportedOperationException unsupported(String method) {
        return new UnsupportedOperationException(method + " is not offered by " + core.description()
                + ": a shared ring can only be read by removing its head (see AbstractSharedQueue)");
    }

    // ---------------------------------------------------------------- bytes path

    /**
     * Inserts the remaining bytes of {@code src} as one message if there is room now. Allocates
     * nothing. On success the buffer's position moves to its limit; otherwise it is unchanged.
     *
     * @param src the message
     * @return true if inserted
     */
    public boolean offerBytes(ByteBuffer src) {
        try {
            return core.offer(src, 0);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Inserts the remaining bytes of {@code src} as one message, waiting up to the timeout.
     *
     * @param src the message
     * @param timeout how long to wait; {@code <= 0} tries once
     * @param unit its unit
     * @return true if inserted, false on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean offerBytes(ByteBuffer src, long timeout, TimeUnit unit) throws InterruptedException {
        return core.offer(src, WaitLoop.toNanos(timeout, unit));
    }

    /**
     * As {@link #offerBytes(ByteBuffer, long, TimeUnit)} with a {@link Duration}.
     *
     * @param src the message
     * @param timeout how long to wait; zero or negative tries once
     * @return true if inserted, false on timeout
     * @throws InterruptedException if interrupted before or while waiting
     * @throws NullPointerException if {@code src} or {@code timeout} is null
     */
    public boolean offerBytes(ByteBuffer src, Duration timeout) throws InterruptedException {
        return offerBytes(src, Deadline.toNanos(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * Inserts the remaining bytes of {@code src} as one message, waiting as long as it takes.
     *
     * @param src the message
     * @throws InterruptedException if interrupted while waiting
     */
    public void putBytes(ByteBuffer src) throws InterruptedException {
        core.offer(src, WaitLoop.FOREVER);
    }

    /**
     * Inserts {@code messages[offset .. offset+length)}, the remaining bytes of each as one
     * message, in order, as many as there is room for now: the producer's batch put. One hold of
     * the producer lock for the whole batch, and the tail, the put count and the check for sleeping
     * consumers once per run of messages that fit the room the producer already knows of, instead
     * of once per message (the producer's counterpart of {@link #drainBytes(MessageHandler, int)}).
     * Consumers see a run whole or not at all; messages larger than {@link #maxWholeMessage()} are
     * streamed on their own, as {@link #offerBytes(ByteBuffer)} does. Each message put has its
     * position moved to its limit; the others' are unchanged. A producer killed in the middle of a
     * batch leaves its published runs in the queue, whole, and nothing of the rest.
     * Memory effects: as for {@link #offerBytes(ByteBuffer)}, per message.
     *
     * @param messages the messages
     * @param offset index of the first
     * @param length how many
     * @return how many were put, the first {@code n} of them
     * @throws NullPointerException if {@code messages} or one of the {@code length} elements is
     *     null (then none is put)
     * @throws IndexOutOfBoundsException if the range is not within the array
     * @throws IllegalStateException if the segment is closed
     */
    public int offerAllBytes(ByteBuffer[] messages, int offset, int length) {
        try {
            return offerAllBytes(messages, offset, length, 0, TimeUnit.NANOSECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /**
     * As {@link #offerAllBytes(ByteBuffer[], int, int)}, waiting up to the timeout for room (the
     * timeout is for the whole batch; what was put before it passed stays put).
     *
     * @param messages the messages
     * @param offset index of the first
     * @param length how many
     * @param timeout how long to wait in all; {@code <= 0} puts what fits now
     * @param unit its unit
     * @return how many were put, the first {@code n} of them; if the thread is interrupted while
     *     waiting after some were put, their count, with the interrupt status set again
     * @throws InterruptedException if interrupted before anything was put
     * @throws NullPointerException if {@code messages}, one of its {@code length} elements or
     *     {@code unit} is null (then none is put)
     * @throws IndexOutOfBoundsException if the range is not within the array
     * @throws IllegalStateException if the segment is closed
     */
    public int offerAllBytes(ByteBuffer[] messages, int offset, int length, long timeout, TimeUnit unit)
            throws InterruptedException {
        checkBatch(messages, offset, length);
        return core.offerAll(messages, offset, offset + length, WaitLoop.toNanos(timeout, unit));
    }

    /**
     * As {@link #offerAllBytes(ByteBuffer[], int, int, long, TimeUnit)} with a {@link Duration}.
     *
     * @param messages the messages
     * @param offset index of the first
     * @param length how many
     * @param timeout how long to wait in all; zero or negative puts what fits now
     * @return how many were put, the first {@code n} of them (as the {@code TimeUnit} form when
     *     interrupted after some were put)
     * @throws InterruptedException if interrupted before anything was put
     * @throws NullPointerException if {@code messages}, an element or {@code timeout} is null
     * @throws IndexOutOfBoundsException if the range is not within the array
     */
    public int offerAllBytes(ByteBuffer[] messages, int offset, int length, Duration timeout)
            throws InterruptedException {
        return offerAllBytes(messages, offset, length, Deadline.toNanos(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * As {@link #offerAllBytes(ByteBuffer[], int, int)}, waiting as long as it takes until every
     * message is put.
     *
     * @param messages the messages
     * @param offset index of the first
     * @param length how many
     * @return {@code length}, or, if the thread is interrupted while waiting after some messages
     *     were put, how many were (the first {@code n}), with the interrupt status set again
     * @throws InterruptedException if interrupted before anything was put
     * @throws NullPointerException if {@code messages} or one of its {@code length} elements is null
     * @throws IndexOutOfBoundsException if the range is not within the array
     * @throws IllegalStateException if the segment is closed
     */
    public int putAllBytes(ByteBuffer[] messages, int offset, int length) throws InterruptedException {
        checkBatch(messages, offset, length);
        return core.offerAll(messages, offset, offset + length, WaitLoop.FOREVER);
    }

    private static void checkBatch(ByteBuffer[] messages, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(messages, "messages").length);
        for (int i = offset; i < offset + length; i++) {
            if (messages[i] == null) {
                throw new NullPointerException("messages[" + i + "] is null");
            }
        }
    }

    /**
     * Removes the head message into {@code dst} if there is one now. Allocates nothing.
     *
     * @param dst where the bytes go, from its position; the position advances by the size
     * @return the message's size, or -1 if the queue is empty
     * @throws BufferTooSmallException if {@code dst} has less room than the message, which stays
     *     at the head of the queue
     */
    public int pollBytes(ByteBuffer dst) {
        try {
            return core.poll(dst, 0);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Removes the head message into {@code dst}, waiting up to the timeout.
     *
     * @param dst where the bytes go
     * @param timeout how long to wait; {@code <= 0} tries once
     * @param unit its unit
     * @return the message's size, or -1 on timeout
     * @throws InterruptedException if interrupted while waiting
     * @throws BufferTooSmallException if {@code dst} has less room than the message (left queued)
     */
    public int pollBytes(ByteBuffer dst, long timeout, TimeUnit unit) throws InterruptedException {
        return core.poll(dst, WaitLoop.toNanos(timeout, unit));
    }

    /**
     * As {@link #pollBytes(ByteBuffer, long, TimeUnit)} with a {@link Duration}.
     *
     * @param dst where the bytes go
     * @param timeout how long to wait; zero or negative tries once
     * @return the message's size, or -1 on timeout
     * @throws InterruptedException if interrupted before or while waiting
     * @throws NullPointerException if {@code dst} or {@code timeout} is null
     */
    public int pollBytes(ByteBuffer dst, Duration timeout) throws InterruptedException {
        return pollBytes(dst, Deadline.toNanos(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * As {@link #pollBytes(ByteBuffer, long, TimeUnit)}, but a message that has started to arrive
     * is read to its end however long its producer takes: the timeout bounds only the wait for a
     * message to start, and a message is never given up half-read while its producer lives (so
     * nothing is counted in {@link #messagesLost()} because of this call's timeout). A producer
     * that dies, gives up or closes mid-stream still makes this call discard the part, as
     * {@link #pollBytes(ByteBuffer, long, TimeUnit)} does. Meant for a collector that must not
     * lose a result it has started to read (the process pool's).
     *
     * @param dst where the bytes go, from its position; the position advances by the size
     * @param timeout how long to wait for a message to start; {@code <= 0} tries once
     * @param unit its unit
     * @return the message's size, or -1 if none started before the timeout
     * @throws InterruptedException if interrupted while waiting
     * @throws BufferTooSmallException if {@code dst} has less room than the message (left queued)
     */
    public int pollWholeBytes(ByteBuffer dst, long timeout, TimeUnit unit) throws InterruptedException {
        return core.poll(dst, WaitLoop.toNanos(timeout, unit), true);
    }

    /**
     * As {@link #pollWholeBytes(ByteBuffer, long, TimeUnit)} with a {@link Duration}.
     *
     * @param dst where the bytes go, from its position; the position advances by the size
     * @param timeout how long to wait for a message to start; zero or negative tries once
     * @return the message's size, or -1 if none started before the timeout
     * @throws InterruptedException if interrupted before or while waiting
     * @throws NullPointerException if {@code dst} or {@code timeout} is null
     */
    public int pollWholeBytes(ByteBuffer dst, Duration timeout) throws InterruptedException {
        return pollWholeBytes(dst, Deadline.toNanos(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * Removes the head message into {@code dst}, waiting as long as it takes.
     *
     * @param dst where the bytes go
     * @return the message's size
     * @throws InterruptedException if interrupted while waiting
     * @throws BufferTooSmallException if {@code dst} has less room than the message (left queued)
     */
    public int takeBytes(ByteBuffer dst) throws InterruptedException {
        return core.poll(dst, WaitLoop.FOREVER);
    }

    /**
     * Hands up to {@code max} messages that are there now to {@code handler}, in queue order,
     * without waiting and without decoding or allocating: Agrona's {@code read(handler, limit)}.
     * Any thread. Takes the consumer lock once and publishes the queue's head once per batch of
     * whole messages (a message larger than the ring is handed over alone, as the first of a
     * call). A consumer killed in the middle of a batch leaves all of it in the queue for the
     * next consumer, so a handler whose effects outside its process survive it may see those
     * messages again. A {@link JoinableQueue}'s messages of a batch count as taken when the call
     * returns: call {@code taskDone()} for them after it. Memory effects: as for
     * {@link #pollBytes(ByteBuffer)}, per message, before the handler runs.
     *
     * @param handler receives each message (see {@link MessageHandler} for the buffer's life)
     * @param max the most messages; {@code <= 0} takes none
     * @return how many were handed over (0 if the queue was empty)
     * @throws NullPointerException if {@code handler} is null
     * @throws IllegalStateException if the segment is closed
     */
    public int drainBytes(MessageHandler handler, int max) {
        try {
            return core.drain(bytesTarget(handler), max, 0);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /**
     * As {@link #drainBytes(MessageHandler, int)}, but waits up to the timeout for the first
     * message (the wait for the consumer lock counts); then takes what is there without waiting.
     * The blocking consumer's fast loop: {@code while (running) q.drainBytes(h, 4096, 1, SECONDS);}.
     *
     * @param handler receives each message
     * @param max the most messages; {@code <= 0} takes none
     * @param timeout how long to wait for the first message; {@code <= 0} does not wait
     * @param unit its unit
     * @return how many were handed over, 0 on timeout
     * @throws InterruptedException if interrupted while waiting for the first message
     * @throws NullPointerException if {@code handler} or {@code unit} is null
     * @throws IllegalStateException if the segment is closed
     */
    public int drainBytes(MessageHandler handler, int max, long timeout, TimeUnit unit) throws InterruptedException {
        return core.drain(bytesTarget(handler), max, WaitLoop.toNanos(timeout, unit));
    }

    /**
     * As {@link #drainBytes(MessageHandler, int, long, TimeUnit)} with a {@link Duration}.
     *
     * @param handler receives each message
     * @param max the most messages; {@code <= 0} takes none
     * @param timeout how long to wait for the first message; zero or negative does not wait
     * @return how many were handed over, 0 on timeout
     * @throws InterruptedException if interrupted before or while waiting
     * @throws NullPointerException if {@code handler} or {@code timeout} is null
     */
    public int drainBytes(MessageHandler handler, int max, Duration timeout) throws InterruptedException {
        return drainBytes(handler, max, Deadline.toNanos(timeout), TimeUnit.NANOSECONDS);
    }

    private DrainTarget bytesTarget(MessageHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return new DrainTarget() {
            @Override
            public ByteBuffer bufferFor(int length) {
                return core.scratch(length);
            }

            @Override
            public void accept(ByteBuffer message) {
                handler.onMessage(message);
            }
        };
    }

    // ---------------------------------------------------------------- state

    /** @return messages in the queue (complete ones; a snapshot that may be stale at once) */
    @Override
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, core.size()));
    }

    /** @return true if no byte is queued (Python's {@code empty()}) */
    @Override
    public boolean isEmpty() {
        return core.isEmpty();
    }

    /**
     * How many more messages of the size of the last one this handle inserted or removed (an
     * empty message if none yet) fit in the free bytes of the ring now: {@link #freeBytes()}
     * divided by that message's record size ({@code 8 + size} rounded up to 8; a message larger
     * than {@link #maxWholeMessage()} counts as the whole ring). Exact for messages of one size;
     * an estimate otherwise, and a snapshot that may be stale at once, as for every
     * {@code BlockingQueue}. Never {@link Integer#MAX_VALUE}: the ring is always bounded.
     *
     * @return messages of the last size that still fit, {@code >= 0}
     */
    @Override
    public int remainingCapacity() {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, core.freeBytes() / lastRecordBytes));
    }

    /**
     * The free room in the ring, in bytes. A message of {@code n} bytes needs {@code 8 + n}
     * rounded up to 8, or streams through if larger than {@link #maxWholeMessage()}.
     *
     * @return free bytes in the ring (a snapshot)
     */
    public long freeBytes() {
        return core.freeBytes();
    }

    private int recordBytes(int messageBytes) {
        if (messageBytes > core.maxWholeMessage()) {
            return core.capacity();
        }
        return RECORD_HEADER_BYTES + ((messageBytes + 7) & ~7);
    }

    /** @return the ring's size in bytes (the requested capacity rounded up to a power of two) */
    public int capacity() {
        return core.capacity();
    }

    /** @return the largest message sent in one piece; larger ones are streamed in fragments */
    public int maxWholeMessage() {
        return core.maxWholeMessage();
    }

    /** @return messages lost because a consumer died in the middle of a streamed message */
    public long messagesLost() {
        return core.messagesLost();
    }

    /** @return streamed messages discarded because their producer died or gave up midway */
    public long partialsDiscarded() {
        return core.partialsDiscarded();
    }

    /** @return messages removed that the codec could not decode */
    public long undecodable() {
        return core.undecodable();
    }

    /** @return times a producer took the producer lock over from a dead one */
    public long producerRecoveries() {
        return core.producerRecoveries();
    }

    /** @return times a consumer took the consumer lock over from a dead one */
    public long consumerRecoveries() {
        return core.consumerRecoveries();
    }

    @Override
    public String toString() {
        return core.toString();
    }
}
