package io.interproc.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.interproc.core.testing.TempSegments;
import io.interproc.core.value.CoreKinds;

import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/**
 * Pins what the values, arrays and infos of core share: names, {@code toString}, the closed-segment
 * and bounds checks, the read-modify-write operations on elements and the infos' accessors.
 */
class SharedObjectsTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    @Test
    void shouldNameEveryObjectInToString() {
        Segment s = segments.create(1 << 20);
        String at = "[" + s.name() + "/";
        assertEquals("SharedInt" + at + "i]", SharedInt.create(s, "i").toString());
        assertEquals("SharedLong" + at + "l]", SharedLong.create(s, "l").toString());
        assertEquals("SharedDouble" + at + "d]", SharedDouble.create(s, "d", 1).toString());
        assertEquals("SharedIntArray" + at + "ia, length=3]", SharedIntArray.create(s, "ia", 3).toString());
        assertEquals("SharedLongArray" + at + "la, length=0]", SharedLongArray.create(s, "la", 0).toString());
        assertEquals("SharedDoubleArray" + at + "da, length=2]", SharedDoubleArray.create(s, "da", 2).toString());
        assertEquals("SharedBytes" + at + "b, size=5]", SharedBytes.create(s, "b", 5).toString());
        assertEquals(List.of("i", "l", "d", "ia", "la", "da", "b"), List.of(SharedInt.open(s, "i").name(),
                SharedLong.open(s, "l").name(), SharedDouble.open(s, "d").name(), SharedIntArray.open(s, "ia").name(),
                SharedLongArray.open(s, "la").name(), SharedDoubleArray.open(s, "da").name(),
                SharedBytes.open(s, "b").name()));
    }

    @Test
    void shouldKeepTheFirstLengthAndValueOnOpenOrCreate() {
        Segment s = segments.create(1 << 20);
        assertEquals(-7, SharedInt.openOrCreate(s, "i", -7).get());
        assertEquals(-7, SharedInt.openOrCreate(s, "i", 9).get());
        assertEquals(0L, SharedLong.openOrCreate(s, "l").get());
        assertEquals(-0.0, SharedDouble.openOrCreate(s, "d", -0.0).get());
        assertEquals(4, SharedIntArray.openOrCreate(s, "ia", 4).length());
        assertEquals(4, SharedIntArray.openOrCreate(s, "ia", 9).length());
        assertEquals(2, SharedLongArray.openOrCreate(s, "la", 2).length());
        assertEquals(1, SharedDoubleArray.openOrCreate(s, "da", 1).length());
        assertEquals(3, SharedBytes.openOrCreate(s, "b", 3).size());
        assertThrows(ObjectExistsException.class, () -> SharedBytes.create(s, "b", 3));
        assertThrows(KindMismatchException.class, () -> SharedLong.open(s, "i"));
        assertThrows(KindMismatchException.class, () -> SharedLongArray.open(s, "b"));
        assertThrows(NoSuchObjectException.class, () -> SharedDoubleArray.open(s, "none"));
        assertThrows(IllegalArgumentException.class, () -> SharedLongArray.openOrCreate(s, "neg", -1));
    }

    @Test
    void shouldUpdateElementsAtomically() {
        Segment s = segments.create(1 << 20);
        SharedIntArray ints = SharedIntArray.create(s, "ia", 3);
        assertEquals(5, ints.addAndGet(1, 5));
        assertEquals(6, ints.incrementAndGet(1));
        assertEquals(-1, ints.decrementAndGet(2));
        assertEquals(12, ints.updateAndGet(1, x -> x * 2));
        assertEquals(12, ints.getAndSet(1, 1));
        assertArrayEquals(new int[] {0, 1, -1}, ints.toArray());
        SharedLongArray longs = SharedLongArray.create(s, "la", 2);
        assertEquals(Long.MIN_VALUE, longs.updateAndGet(0, x -> Long.MIN_VALUE));
        assertEquals(Long.MAX_VALUE, longs.decrementAndGet(0));
        SharedDoubleArray doubles = SharedDoubleArray.create(s, "da", 2);
        assertEquals(0.5, doubles.addAndGet(1, 0.5));
        assertEquals(1.5, doubles.updateAndGet(1, x -> x * 3));
        assertEquals(1.5, doubles.getAndSet(1, Double.NaN));
        assertEquals(Double.NaN, doubles.get(1));
        SharedInt i = SharedInt.create(s, "i", 3);
        assertEquals(3, i.getAndUpdate(x -> x + 4));
        assertEquals(7, i.getAndDecrement());
        assertEquals(12, i.accumulateAndGet(2, (a, b) -> a * b));
        SharedDouble d = SharedDouble.create(s, "d", 2);
        assertEquals(2.0, d.getAndUpdate(x -> x / 4));
        assertEquals(0.5, d.get());
    }

    @Test
    void shouldCheckTheSharedRangeBeforeTheJavaArray() {
        Segment s = segments.create(1 << 20);
        SharedLongArray longs = SharedLongArray.create(s, "la", 4);
        longs.copyFrom(new long[] {1, 2, 3}, 1, 2, 2);
        long[] out = new long[3];
        longs.copyTo(2, out, 1, 2);
        assertArrayEquals(new long[] {0, 2, 3}, out);
        IndexOutOfBoundsException shared = assertThrows(IndexOutOfBoundsException.class,
                () -> longs.copyTo(3, new long[0], 0, 2));
        assertEquals("Range [3, 3 + 2) out of bounds for length 4", shared.getMessage());
        IndexOutOfBoundsException array = assertThrows(IndexOutOfBoundsException.class,
                () -> longs.copyFrom(new long[1], 0, 0, 2));
        assertEquals("Range [0, 0 + 2) out of bounds for length 1", array.getMessage());
        SharedBytes bytes = SharedBytes.create(s, "b", 4);
        assertEquals("Index 4 out of bounds for length 4",
                assertThrows(IndexOutOfBoundsException.class, () -> bytes.get(4)).getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> bytes.get(0, new byte[1], 0, 2));
    }

    @Test
    void shouldRefuseEveryCallOnceTheSegmentIsClosed() {
        Segment s = segments.create(1 << 20);
        SharedInt i = SharedInt.create(s, "i");
        SharedLong l = SharedLong.create(s, "l");
        SharedDouble d = SharedDouble.create(s, "d", 0);
        SharedIntArray ia = SharedIntArray.create(s, "ia", 1);
        SharedLongArray la = SharedLongArray.create(s, "la", 1);
        SharedDoubleArray da = SharedDoubleArray.create(s, "da", 1);
        SharedBytes b = SharedBytes.create(s, "b", 1);
        s.close();
        List<Executable> calls = List.of(i::get, () -> i.set(1), () -> i.lazySet(1), () -> i.getAndAdd(1),
                () -> i.getAndUpdate(x -> x), l::incrementAndGet, () -> l.updateAndGet(x -> x),
                () -> l.compareAndSet(0, 1), d::get, () -> d.addAndGet(1), () -> d.getAndSet(1),
                () -> ia.get(0), () -> ia.updateAndGet(0, x -> x), () -> ia.copyTo(0, new int[1], 0, 1),
                () -> la.set(0, 1), la::toArray, () -> la.copyFrom(new long[1], 0, 0, 1),
                () -> da.compareAndSet(0, 0, 1), () -> da.addAndGet(0, 1), da::toArray,
                () -> b.get(0), () -> b.put(0, (byte) 1), b::asByteBuffer, () -> b.get(0, new byte[1], 0, 1));
        for (Executable call : calls) {
            assertThrows(IllegalStateException.class, call);
        }
        Supplier<List<String>> names = () -> List.of(i.name(), la.name(), b.toString());
        assertEquals(List.of("i", "la", "SharedBytes[" + s.name() + "/b, size=1]"), names.get(),
                "names and toString need no open segment");
        assertEquals(1, ia.length());
        assertEquals(1, b.size());
    }

    @Test
    void shouldDescribeEntriesAndProcessesAsBefore() {
        Segment s = segments.create(1 << 20);
        SharedLong.create(s, "v");
        ObjectInfo object = s.objects().stream().filter(o -> o.name().equals("v")).findFirst().orElseThrow();
        assertEquals(CoreKinds.LONG, object.kind());
        assertEquals(128, object.length());
        assertEquals("SharedLong 'v' @" + object.offset() + "+128", object.toString());
        ObjectInfo made = new ObjectInfo("x", CoreKinds.BYTES, 256, 384, 5L);
        assertEquals(List.of("x", 256, 384, 5L), List.of(made.name(), made.offset(), made.length(),
                made.createdAtMillis()));
        ProcessInfo process = new ProcessInfo(2, 9, 1234L, 77L, 88L, true);
        assertEquals(List.of(2, 9, 1234L, 77L, 88L, true), List.of(process.slot(), process.ownerId(),
                process.pid(), process.startTime(), process.attachedAtMillis(), process.alive()));
        assertEquals("ProcessInfo[slot=2, ownerId=9, pid=1234, alive=true]", process.toString());
    }
}
