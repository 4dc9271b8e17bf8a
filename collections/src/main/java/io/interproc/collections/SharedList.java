package io.interproc.collections;

import io.interproc.collections.internal.CollectionKinds;
import io.interproc.collections.internal.ListDescriptor;
import io.interproc.collections.internal.MapStore;
import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.spi.OpenMode;
import io.interproc.sync.SharedLock;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A list in a segment that many processes append to at once: Python's {@code Manager().list()}
 * for collecting results, without a manager process. Elements are stored as their
 * {@link Codec}'s bytes; {@code null} elements are refused.
 *
 * <p><b>Guarantees.</b> {@link #append} from any number of threads and processes never loses or
 * duplicates an element: each call that returns has added its element exactly once, at the index
 * it returns. An appender killed with {@code kill -9} at any instruction either added its element
 * or did not, and blocks nobody beyond the time it takes the others to see its death (its lock is
 * taken over, as a {@code SharedLock}'s). {@link #get}, {@link #size} and iteration take no lock;
 * {@link #append}, {@link #set}, {@link #removeLast}, {@link #clear} and {@link #snapshot} take the
 * list's lock (held for one map write), and are atomic.
 *
 * <p><b>Memory consistency.</b> Actions of a thread before it appends or sets an element
 * happen-before the actions of a thread after it reads that element.
 *
 * <p><b>The {@link java.util.List} view</b> is honest about what can be atomic across processes:
 * {@code add(e)} appends; {@code add(index, e)} only at {@code index == size()} and
 * {@code remove(index)} only at {@code size() - 1} (otherwise
 * {@link UnsupportedOperationException}: shifting elements is not offered); {@code set} replaces;
 * the iterator is weakly consistent (it reads indices 0, 1, ... until it meets the current end,
 * never throws {@link java.util.ConcurrentModificationException}, and does not support
 * {@code remove}); bulk operations are sequences of single ones, not atomic.
 *
 * <p>Handles are thread-safe; unusable once their segment is closed.
 *
 * @param <E> element type
 */
public final class SharedList<E> extends AbstractList<E> implements RandomAccess {
    private final Segment segment;
    private final String name;
    private final SharedBuffer buffer;
    private final int sizeAt;
    private final SharedLock lock;
    private final SharedMap<Long, E> elements;

    private SharedList(ObjectRegion region, Codec<E> codec) {
        this.segment = region.segment();
        this.name = region.name();
        this.buffer = region.buffer();
        this.sizeAt = region.offset() + ListDescriptor.SIZE_OFFSET;
        this.lock = SharedLock.embedded(ListDescriptor.lockPart(region));
        this.elements = new SharedMap<>(ListDescriptor.mapPart(region), Codec.longs(), codec);
    }

    /**
     * Bytes a list of this capacity takes in its segment (add the segment's own overhead).
     *
     * @param capacity elements it must hold, &gt;= 1
     * @param averageElementBytes average encoded element size
     * @return bytes of the list object
     */
    public static long bytesNeeded(int capacity, int averageElementBytes) {
        return ListDescriptor.bytesFor(capacity, averageElementBytes);
    }

    /**
     * Creates an empty list. Any thread of an attached process.
     *
     * @param segment where it lives
     * @param name its name in the segment
     * @param codec encodes elements
     * @param capacity elements it must hold, &gt;= 1
     * @param averageElementBytes average encoded element size
     * @param <E> element type
     * @return the new list
     * @throws io.interproc.core.ObjectExistsException if the name exists
     * @throws io.interproc.core.SegmentFullException if the segment has no room
     * @throws IllegalStateException if the segment is closed
     */
    public static <E> SharedList<E> create(Segment segment, String name, Codec<E> codec, int capacity,
            int averageElementBytes) {
        return of(segment, name, OpenMode.CREATE, codec, capacity, averageElementBytes);
    }

    /**
     * Opens an existing list with the codec it was created with.
     *
     * @return the list
     * @throws io.interproc.core.NoSuchObjectException if there is none
     * @throws io.interproc.core.KindMismatchException if the name is another kind of object
     */
    public static <E> SharedList<E> open(Segment segment, String name, Codec<E> codec) {
        return of(segment, name, OpenMode.OPEN, codec, 1, 0);
    }

    /**
     * Opens the list, creating it if missing (racing processes get the same list).
     *
     * @return the list
     * @see #create
     */
    public static <E> SharedList<E> openOrCreate(Segment segment, String name, Codec<E> codec, int capacity,
            int averageElementBytes) {
        return of(segment, name, OpenMode.OPEN_OR_CREATE, codec, capacity, averageElementBytes);
    }

    private static <E> SharedList<E> of(Segment segment, String name, OpenMode mode, Codec<E> codec, int capacity,
            int averageElementBytes) {
        Objects.requireNonNull(codec, "codec");
        long bytes = ListDescriptor.bytesFor(capacity, averageElementBytes);
        ObjectRegion region = segment.object(name, CollectionKinds.LIST, mode, bytes,
                (buffer, offset, length) -> MapStore.format(buffer, offset + ListDescriptor.MAP_OFFSET,
                        length - ListDescriptor.MAP_OFFSET, capacity, Long.BYTES, averageElementBytes));
        return new SharedList<>(region, codec);
    }

    /** @return the list's name in its segment */
    public String name() {
        return name;
    }

    /** @return the attachment this handle was opened through */
    public Segment segment() {
        return segment;
    }

    /**
     * Appends an element, atomically across processes.
     *
     * @param element the element
     * @return its index
     * @throws NullPointerException if it is null
     * @throws io.interproc.core.SegmentFullException if the list is full (nothing is added)
     * @throws IllegalStateException if the segment is closed
     */
    public long append(E element) {
        Objects.requireNonNull(element, "element");
        segment.ensureOpen();
        segment.beginOperation(); // close() keeps the slot (and so the lock) until the write ends
        lock.lock();
        try {
            long n = storedSize();
            elements.put(n, element);
            buffer.setLongRelease(sizeAt, n + 1);
            return n;
        } finally {
            lock.unlock();
            segment.endOperation();
        }
    }

    /** Same as {@link #append}; always true. */
    @Override
    public boolean add(E element) {
        append(element);
        return true;
    }

    /**
     * Appends if {@code index == size()}.
     *
     * @throws UnsupportedOperationException for any other index: elements are never shifted
     */
    @Override
    public void add(int index, E element) {
        Objects.requireNonNull(element, "element");
        segment.ensureOpen();
        segment.beginOperation(); // close() keeps the slot (and so the lock) until the write ends
        lock.lock();
        try {
            long n = storedSize();
            if (index != n) {
                throw new UnsupportedOperationException("SharedList '" + name + "' only appends: add(index=" + index
                        + ") with size=" + n);
            }
            elements.put(n, element);
            buffer.setLongRelease(sizeAt, n + 1);
        } finally {
            lock.unlock();
            segment.endOperation();
        }
    }

    /**
     * The element at an index; no lock.
     *
     * @throws IndexOutOfBoundsException naming the index and size
     */
    @Override
    public E get(int index) {
        return get((long) index);
    }

    /**
     * The element at an index; no lock.
     *
     * @param index 0 to {@code longSize() - 1}
     * @return the element
     * @throws IndexOutOfBoundsException naming the index and size
     */
    public E get(long index) {
        segment.ensureOpen();
        long n = longSize();
        if (index < 0 || index >= n) {
            throw new IndexOutOfBoundsException("SharedList '" + name + "': index=" + index + ", size=" + n);
        }
        E e = elements.get(index);
        if (e == null) { // removed since the size was read
            throw new IndexOutOfBoundsException("SharedList '" + name + "': index=" + index + ", size="
                    + longSize());
        }
        return e;
    }

    /** Replaces the element at an index, atomically. */
    @Override
    public E set(int index, E element) {
        Objects.requireNonNull(element, "element");
        segment.ensureOpen();
        segment.beginOperation(); // close() keeps the slot (and so the lock) until the write ends
        lock.lock();
        try {
            long n = storedSize();
            if (index < 0 || index >= n) {
                throw new IndexOutOfBoundsException("SharedList '" + name + "': index=" + index + ", size=" + n);
            }
            return elements.put((long) index, element);
        } finally {
            lock.unlock();
            segment.endOperation();
        }
    }

    /**
     * Removes and returns the last element, atomically.
     *
     * @return it
     * @throws NoSuchElementException if the list is empty
     */
    public E removeLast() {
        segment.ensureOpen();
        segment.beginOperation(); // close() keeps the slot (and so the lock) until the write ends
        lock.lock();
        try {
            return removeLastLocked();
        } finally {
            lock.unlock();
            segment.endOperation();
        }
    }

    private E removeLastLocked() {
        long n = storedSize();
        if (n == 0) {
            throw new NoSuchElementException("SharedList '" + name + "' is empty");
        }
        E last = elements.get(n - 1);
        buffer.setLongRelease(sizeAt, n - 1);
        elements.remove(n - 1);
        return last;
    }

    /**
     * Removes the last element if {@code index == size() - 1}.
     *
     * @throws UnsupportedOperationException for any other index: elements are never shifted
     */
    @Override
    public E remove(int index) {
        segment.ensureOpen();
        segment.beginOperation(); // close() keeps the slot (and so the lock) until the write ends
        lock.lock();
        try {
            long n = storedSize();
            if (index != n - 1) {
                throw new UnsupportedOperationException("SharedList '" + name + "' only removes its last element: "
                        + "remove(index=" + index + ") with size=" + n);
            }
            return removeLastLocked();
        } finally {
            lock.unlock();
            segment.endOperation();
        }
    }

    /** Removes every element, atomically with respect to the list's other writes. */
    @Override
    public void clear() {
        segment.ensureOpen();
        segment.beginOperation(); // close() keeps the slot (and so the lock) until the write ends
        lock.lock();
        try {
            buffer.setLongRelease(sizeAt, 0);
            elements.clear();
        } finally {
            lock.unlock();
            segment.endOperation();
        }
    }

    @Override
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, longSize());
    }

    /** @return the number of elements (volatile read) */
    public long longSize() {
        segment.ensureOpen();
        return storedSize();
    }

    private long storedSize() {
        long n = buffer.getLongVolatile(sizeAt);
        if (n < 0) {
            throw new io.interproc.core.CorruptSegmentException("SharedList '" + name + "' in segment '"
                    + segment.name() + "' is corrupt: size=" + n);
        }
        return n;
    }

    /**
     * Copies the list, atomically (it holds the list lock while it reads).
     *
     * @return a private copy
     */
    public ArrayList<E> snapshot() {
        segment.ensureOpen();
        segment.beginOperation(); // close() keeps the slot (and so the lock) until the write ends
        lock.lock();
        try {
            long n = storedSize();
            ArrayList<E> copy = new ArrayList<>((int) Math.min(n, 1 << 20));
            for (long i = 0; i < n; i++) {
                E e = elements.get(i);
                if (e == null) {
                    throw new io.interproc.core.CorruptSegmentException("SharedList '" + name + "' in segment '"
                            + segment.name() + "' is corrupt: no element at index " + i + " of size " + n);
                }
                copy.add(e);
            }
            return copy;
        } finally {
            lock.unlock();
            segment.endOperation();
        }
    }

    /** A weakly consistent iterator: indices 0, 1, ... until the current end; no {@code remove}. */
    @Override
    public Iterator<E> iterator() {
        segment.ensureOpen();
        return new Iterator<>() {
            private long index;
            private E next;

            @Override
            public boolean hasNext() {
                if (next == null && index < longSize()) {
                    next = elements.get(index);
                    if (next != null) {
                        index++;
                    }
                }
                return next != null;
            }

            @Override
            public E next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                E e = next;
                next = null;
                return e;
            }
        };
    }

    @Override
    public String toString() {
        return "SharedList[" + segment.name() + "/" + name + ", size=" + storedSize() + "]";
    }
}
