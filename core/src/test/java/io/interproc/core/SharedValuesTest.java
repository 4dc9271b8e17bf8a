package io.interproc.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.testing.TempSegments;
import io.interproc.core.value.ArrayDescriptor;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SharedValuesTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    @Test
    void shouldBehaveLikeAtomicLong() {
        Segment s = segments.create(1 << 20);
        SharedLong v = SharedLong.create(s, "v", 10);
        assertEquals(10, v.get());
        assertTrue(v.compareAndSet(10, 20));
        assertFalse(v.compareAndSet(10, 30));
        assertEquals(20, v.getAndAdd(5));
        assertEquals(26, v.incrementAndGet());
        assertEquals(25, v.decrementAndGet());
        assertEquals(25, v.getAndIncrement());
        assertEquals(26, v.getAndDecrement());
        assertEquals(25, v.getAndSet(100));
        assertEquals(200, v.updateAndGet(x -> x * 2));
        assertEquals(200, v.getAndUpdate(x -> x + 1));
        assertEquals(201 * 3, v.accumulateAndGet(3, (a, b) -> a * b));
        v.lazySet(-1);
        assertEquals(-1, SharedLong.open(s, "v").get());
        assertEquals(-1, SharedLong.openOrCreate(s, "v", 99).get(), "openOrCreate ignores the initial value");
        assertEquals(0, SharedLong.create(s, "zero").get());
    }

    @Test
    void shouldBehaveLikeAtomicInteger() {
        Segment s = segments.create(1 << 20);
        SharedInt v = SharedInt.create(s, "v", Integer.MAX_VALUE);
        assertEquals(Integer.MIN_VALUE, v.incrementAndGet(), "wraps like AtomicInteger");
        assertTrue(v.compareAndSet(Integer.MIN_VALUE, 7));
        assertEquals(14, v.updateAndGet(x -> x * 2));
        assertEquals(14, SharedInt.openOrCreate(s, "v").get());
    }

    @Test
    void shouldStoreDoublesByBits() {
        Segment s = segments.create(1 << 20);
        SharedDouble d = SharedDouble.create(s, "d", 0.0);
        assertFalse(d.compareAndSet(-0.0, 1.0), "-0.0 and 0.0 differ in bits");
        assertTrue(d.compareAndSet(0.0, 1.5));
        assertEquals(4.0, d.addAndGet(2.5));
        assertEquals(4.0, d.getAndAdd(1));
        assertEquals(5.0, d.getAndSet(Double.NaN));
        assertTrue(d.compareAndSet(Double.NaN, 2.0));
        assertEquals(6.0, d.accumulateAndGet(3.0, (a, b) -> a * b));
        assertEquals(6.0, SharedDouble.open(s, "d").get());
    }

    @Test
    void shouldSupportArraysWithBoundsChecks() {
        Segment s = segments.create(1 << 20);
        SharedLongArray longs = SharedLongArray.create(s, "longs", 5);
        assertEquals(5, longs.length());
        assertEquals(1, longs.incrementAndGet(4));
        assertEquals(11, longs.addAndGet(4, 10));
        assertTrue(longs.compareAndSet(0, 0, 3));
        assertEquals(6, longs.updateAndGet(0, x -> x * 2));
        longs.copyFrom(new long[] {7, 8}, 0, 1, 2);
        assertArrayEquals(new long[] {6, 7, 8, 0, 11}, longs.toArray());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> longs.get(5));
        assertEquals("Index 5 out of bounds for length 5", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> longs.copyTo(3, new long[5], 0, 3));

        SharedIntArray ints = SharedIntArray.openOrCreate(s, "ints", 3);
        ints.set(2, 9);
        assertEquals(9, SharedIntArray.open(s, "ints").get(2));
        assertEquals(3, SharedIntArray.openOrCreate(s, "ints", 100).length(), "existing length wins");

        SharedDoubleArray doubles = SharedDoubleArray.create(s, "doubles", 2);
        doubles.set(1, 0.5);
        assertEquals(1.0, doubles.addAndGet(1, 0.5));
        assertArrayEquals(new double[] {0.0, 1.0}, doubles.toArray());

        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class,
                () -> SharedIntArray.create(s, "neg", -1));
        assertEquals("array length must be 0 to 536869856: length=-1", neg.getMessage());
    }

    @Test
    void shouldShareRawBytesThroughAView() {
        Segment s = segments.create(1 << 20);
        SharedBytes bytes = SharedBytes.create(s, "raw", 64);
        ByteBuffer view = bytes.asByteBuffer();
        assertEquals(64, view.capacity());
        view.putLong(8, 0x1122334455667788L);
        SharedBytes other = SharedBytes.open(s, "raw");
        assertEquals(0x1122334455667788L, other.asByteBuffer().getLong(8));
        other.put(new byte[] {1, 2, 3}, 0, 61, 3);
        byte[] out = new byte[3];
        bytes.get(61, out, 0, 3);
        assertArrayEquals(new byte[] {1, 2, 3}, out);
        assertEquals(3, bytes.get(63));
        assertThrows(IndexOutOfBoundsException.class, () -> bytes.put(new byte[4], 0, 61, 4));
    }

    @Test
    void shouldRejectACorruptArrayHeader() {
        Segment s = segments.create(1 << 20);
        SharedIntArray arr = SharedIntArray.create(s, "arr", 4);
        ObjectInfo info = s.objects().get(0);
        s.buffer().setInt(info.offset() + ArrayDescriptor.LENGTH_OFFSET, 1_000_000);
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> SharedIntArray.open(s, "arr"));
        assertEquals("SharedIntArray 'arr' in segment '" + s.name() + "' is corrupt: length=1000000 is outside [0, 4]",
                e.getMessage());
        assertEquals(4, arr.length(), "an open handle keeps its checked length");
    }
}
