package io.interproc.core.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntUnaryOperator;
import java.util.function.LongUnaryOperator;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Ordered access to a memory-mapped region. This is the only class that touches VarHandles;
 * every method name says its memory ordering, with the meaning of the same access mode on
 * {@link VarHandle}. All offsets are byte offsets from the start of the region, in native byte
 * order; 32-bit accesses must be 4-byte aligned and 64-bit accesses 8-byte aligned (the
 * {@code *Descriptor} classes guarantee it).
 *
 * <p>Every access is bounds-checked by the JDK (an out-of-range or misaligned offset throws
 * {@link IndexOutOfBoundsException} or {@link IllegalStateException}); nothing here can read
 * or write outside the mapping.
 *
 * <p><b>Internal API</b>: public only so that the sync and ipc modules can lay out their own
 * objects. Any thread may call any method; the class holds no state of its own besides the
 * mapping, which is never unmapped while reachable.
 */
public final class SharedBuffer {
    private static final VarHandle INTS =
            MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONGS =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final ByteBuffer buffer;
    private final long address;
    /** What a waker runs when it found a waiter count above zero but nobody to wake; see {@link #staleWaitersSuspected()}. */
    private volatile Runnable staleWaiters = () -> { };

    /**
     * Wraps a direct buffer (in practice the segment's {@code MappedByteBuffer}).
     *
     * @param buffer a direct buffer; its position and limit are ignored, its capacity is the
     *     region
     * @throws IllegalArgumentException if the buffer is not direct
     */
    public SharedBuffer(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("buffer must be direct: isDirect=false");
        }
        this.buffer = buffer.duplicate().clear().order(ByteOrder.nativeOrder());
        this.address = Pointer.nativeValue(Native.getDirectBufferPointer(this.buffer));
    }

    /** @param hook run by {@link #staleWaitersSuspected()}; set once by the segment's mapping */
    public void onStaleWaiters(Runnable hook) {
        this.staleWaiters = hook;
    }

    /**
     * Tells the segment that a wake-up found a waiter count above zero but nobody asleep, as a
     * waiter killed while registered leaves it: the segment then reaps dead attachments (rate
     * limited). <b>Internal API</b>, for {@link io.interproc.core.wait.WaitLoop}.
     */
    public void staleWaitersSuspected() {
        staleWaiters.run();
    }

    /** @return the size of the region in bytes */
    public int capacity() {
        return buffer.capacity();
    }

    /**
     * The native address of a 4-byte-aligned int inside the region, for the futex system call.
     *
     * @param offset byte offset of the word
     * @return its native address
     * @throws IndexOutOfBoundsException if the word is not inside the region or misaligned
     */
    public long addressOfInt(int offset) {
        checkRange(offset, 4);
        if ((offset & 3) != 0) {
            throw new IndexOutOfBoundsException("int offset must be 4-byte aligned: offset=" + offset);
        }
        return address + offset;
    }

    // ---- int ----

    /** @param offset byte offset @return the int, plain read */
    public int getInt(int offset) {
        return (int) INTS.get(buffer, offset);
    }

    /** @param offset byte offset @return the int, opaque read */
    public int getIntOpaque(int offset) {
        return (int) INTS.getOpaque(buffer, offset);
    }

    /** @param offset byte offset @return the int, acquire read */
    public int getIntAcquire(int offset) {
        return (int) INTS.getAcquire(buffer, offset);
    }

    /** @param offset byte offset @return the int, volatile read */
    public int getIntVolatile(int offset) {
        return (int) INTS.getVolatile(buffer, offset);
    }

    /** @param offset byte offset @param value plain write */
    public void setInt(int offset, int value) {
        INTS.set(buffer, offset, value);
    }

    /** @param offset byte offset @param value opaque write */
    public void setIntOpaque(int offset, int value) {
        INTS.setOpaque(buffer, offset, value);
    }

    /** @param offset byte offset @param value release write */
    public void setIntRelease(int offset, int value) {
        INTS.setRelease(buffer, offset, value);
    }

    /** @param offset byte offset @param value volatile write */
    public void setIntVolatile(int offset, int value) {
        INTS.setVolatile(buffer, offset, value);
    }

    /**
     * Volatile compare-and-set.
     *
     * @param offset byte offset
     * @param expected the value expected
     * @param value the new value
     * @return true if the word held {@code expected} and now holds {@code value}
     */
    public boolean compareAndSetInt(int offset, int expected, int value) {
        return INTS.compareAndSet(buffer, offset, expected, value);
    }

    /**
     * Volatile compare-and-exchange.
     *
     * @param offset byte offset
     * @param expected the value expected
     * @param value the new value
     * @return the value the word held (equal to {@code expected} on success)
     */
    public int compareAndExchangeInt(int offset, int expected, int value) {
        return (int) INTS.compareAndExchange(buffer, offset, expected, value);
    }

    /** @param offset byte offset @param delta added atomically (volatile) @return the previous value */
    public int getAndAddInt(int offset, int delta) {
        return (int) INTS.getAndAdd(buffer, offset, delta);
    }

    /** @param offset byte offset @param value set atomically (volatile) @return the previous value */
    public int getAndSetInt(int offset, int value) {
        return (int) INTS.getAndSet(buffer, offset, value);
    }

    /**
     * Atomically replaces the int with {@code fn(int)}: a volatile read, then volatile
     * compare-and-exchange until no other write came between. {@code fn} may run more than once
     * and should be side-effect-free.
     *
     * @param offset byte offset
     * @param fn the update
     * @return the updated value
     */
    public int updateAndGetInt(int offset, IntUnaryOperator fn) {
        int prev = getIntVolatile(offset);
        while (true) {
            int next = fn.applyAsInt(prev);
            int seen = compareAndExchangeInt(offset, prev, next);
            if (seen == prev) {
                return next;
            }
            prev = seen;
        }
    }

    /**
     * As {@link #updateAndGetInt} but returns the previous value.
     *
     * @param offset byte offset
     * @param fn the update, side-effect-free
     * @return the previous value
     */
    public int getAndUpdateInt(int offset, IntUnaryOperator fn) {
        int prev = getIntVolatile(offset);
        while (true) {
            int seen = compareAndExchangeInt(offset, prev, fn.applyAsInt(prev));
            if (seen == prev) {
                return prev;
            }
            prev = seen;
        }
    }

    // ---- long ----

    /** @param offset byte offset @return the long, plain read */
    public long getLong(int offset) {
        return (long) LONGS.get(buffer, offset);
    }

    /** @param offset byte offset @return the long, opaque read */
    public long getLongOpaque(int offset) {
        return (long) LONGS.getOpaque(buffer, offset);
    }

    /** @param offset byte offset @return the long, acquire read */
    public long getLongAcquire(int offset) {
        return (long) LONGS.getAcquire(buffer, offset);
    }

    /** @param offset byte offset @return the long, volatile read */
    public long getLongVolatile(int offset) {
        return (long) LONGS.getVolatile(buffer, offset);
    }

    /** @param offset byte offset @param value plain write */
    public void setLong(int offset, long value) {
        LONGS.set(buffer, offset, value);
    }

    /** @param offset byte offset @param value opaque write */
    public void setLongOpaque(int offset, long value) {
        LONGS.setOpaque(buffer, offset, value);
    }

    /** @param offset byte offset @param value release write */
    public void setLongRelease(int offset, long value) {
        LONGS.setRelease(buffer, offset, value);
    }

    /** @param offset byte offset @param value volatile write */
    public void setLongVolatile(int offset, long value) {
        LONGS.setVolatile(buffer, offset, value);
    }

    /**
     * Volatile compare-and-set.
     *
     * @param offset byte offset
     * @param expected the value expected
     * @param value the new value
     * @return true if the word held {@code expected} and now holds {@code value}
     */
    public boolean compareAndSetLong(int offset, long expected, long value) {
        return LONGS.compareAndSet(buffer, offset, expected, value);
    }

    /**
     * Volatile compare-and-exchange.
     *
     * @param offset byte offset
     * @param expected the value expected
     * @param value the new value
     * @return the value the word held (equal to {@code expected} on success)
     */
    public long compareAndExchangeLong(int offset, long expected, long value) {
        return (long) LONGS.compareAndExchange(buffer, offset, expected, value);
    }

    /** @param offset byte offset @param delta added atomically (volatile) @return the previous value */
    public long getAndAddLong(int offset, long delta) {
        return (long) LONGS.getAndAdd(buffer, offset, delta);
    }

    /** @param offset byte offset @param value set atomically (volatile) @return the previous value */
    public long getAndSetLong(int offset, long value) {
        return (long) LONGS.getAndSet(buffer, offset, value);
    }

    /**
     * Atomically replaces the long with {@code fn(long)}: a volatile read, then volatile
     * compare-and-exchange until no other write came between. {@code fn} may run more than once
     * and should be side-effect-free.
     *
     * @param offset byte offset
     * @param fn the update
     * @return the updated value
     */
    public long updateAndGetLong(int offset, LongUnaryOperator fn) {
        long prev = getLongVolatile(offset);
        while (true) {
            long next = fn.applyAsLong(prev);
            long seen = compareAndExchangeLong(offset, prev, next);
            if (seen == prev) {
                return next;
            }
            prev = seen;
        }
    }

    /**
     * As {@link #updateAndGetLong} but returns the previous value.
     *
     * @param offset byte offset
     * @param fn the update, side-effect-free
     * @return the previous value
     */
    public long getAndUpdateLong(int offset, LongUnaryOperator fn) {
        long prev = getLongVolatile(offset);
        while (true) {
            long seen = compareAndExchangeLong(offset, prev, fn.applyAsLong(prev));
            if (seen == prev) {
                return prev;
            }
            prev = seen;
        }
    }

    // ---- double, stored as its raw IEEE-754 bits in a long ----

    /**
     * Atomically replaces a double stored as its raw bits ({@link Double#doubleToRawLongBits})
     * with {@code fn(double)}, as {@link #updateAndGetLong}. The compare-and-exchange compares
     * bit patterns.
     *
     * @param offset byte offset of the long word
     * @param fn the update, side-effect-free
     * @return the updated value
     */
    public double updateAndGetDouble(int offset, DoubleUnaryOperator fn) {
        long prev = getLongVolatile(offset);
        while (true) {
            double next = fn.applyAsDouble(Double.longBitsToDouble(prev));
            long seen = compareAndExchangeLong(offset, prev, Double.doubleToRawLongBits(next));
            if (seen == prev) {
                return next;
            }
            prev = seen;
        }
    }

    /**
     * As {@link #updateAndGetDouble} but returns the previous value.
     *
     * @param offset byte offset of the long word
     * @param fn the update, side-effect-free
     * @return the previous value
     */
    public double getAndUpdateDouble(int offset, DoubleUnaryOperator fn) {
        long prev = getLongVolatile(offset);
        while (true) {
            double old = Double.longBitsToDouble(prev);
            long seen = compareAndExchangeLong(offset, prev, Double.doubleToRawLongBits(fn.applyAsDouble(old)));
            if (seen == prev) {
                return old;
            }
            prev = seen;
        }
    }

    // ---- bytes ----

    /** @param offset byte offset @return the byte, plain read */
    public byte getByte(int offset) {
        return buffer.get(offset);
    }

    /** @param offset byte offset @param value plain write */
    public void putByte(int offset, byte value) {
        buffer.put(offset, value);
    }

    /**
     * Plain bulk read into an array. Order it with an acquire read of the word that published
     * the bytes.
     *
     * @param offset byte offset in the region
     * @param dst destination array
     * @param dstOffset first index written in {@code dst}
     * @param length number of bytes
     */
    public void getBytes(int offset, byte[] dst, int dstOffset, int length) {
        checkRange(offset, length);
        buffer.get(offset, dst, dstOffset, length);
    }

    /**
     * Plain bulk write from an array. Publish it with a release write of a word afterwards.
     *
     * @param offset byte offset in the region
     * @param src source array
     * @param srcOffset first index read in {@code src}
     * @param length number of bytes
     */
    public void putBytes(int offset, byte[] src, int srcOffset, int length) {
        checkRange(offset, length);
        buffer.put(offset, src, srcOffset, length);
    }

    /**
     * Plain bulk read into a buffer: copies {@code dst.remaining()} bytes and advances its
     * position. Allocates nothing.
     *
     * @param offset byte offset in the region
     * @param dst destination; its remaining bytes are filled
     */
    public void getBytes(int offset, ByteBuffer dst) {
        int length = dst.remaining();
        checkRange(offset, length);
        dst.put(dst.position(), buffer, offset, length);
        dst.position(dst.position() + length);
    }

    /**
     * Plain bulk write from a buffer: copies {@code src.remaining()} bytes and advances its
     * position. Allocates nothing.
     *
     * @param offset byte offset in the region
     * @param src source; its remaining bytes are copied
     */
    public void putBytes(int offset, ByteBuffer src) {
        int length = src.remaining();
        checkRange(offset, length);
        buffer.put(offset, src, src.position(), length);
        src.position(src.position() + length);
    }

    /**
     * Fills a range with zeros (plain writes).
     *
     * @param offset byte offset
     * @param length number of bytes
     */
    public void zero(int offset, int length) {
        checkRange(offset, length);
        int end = offset + length;
        int i = offset;
        for (; i < end && (i & 7) != 0; i++) {
            buffer.put(i, (byte) 0);
        }
        for (; i + 8 <= end; i += 8) {
            buffer.putLong(i, 0L);
        }
        for (; i < end; i++) {
            buffer.put(i, (byte) 0);
        }
    }

    /**
     * A view of part of the region, sharing its memory, in native byte order.
     *
     * @param offset byte offset of the view
     * @param length length of the view
     * @return a new buffer whose position is 0 and limit {@code length}
     */
    public ByteBuffer slice(int offset, int length) {
        checkRange(offset, length);
        return buffer.slice(offset, length).order(ByteOrder.nativeOrder());
    }

    /**
     * @param offset first byte
     * @param length number of bytes
     * @throws IndexOutOfBoundsException if {@code [offset, offset + length)} is not inside
     *     the region
     */
    public void checkRange(int offset, int length) {
        if (offset < 0 || length < 0 || offset > buffer.capacity() - length) {
            throw new IndexOutOfBoundsException("range outside the region: offset=" + offset
                    + ", length=" + length + ", capacity=" + buffer.capacity());
        }
    }
}
