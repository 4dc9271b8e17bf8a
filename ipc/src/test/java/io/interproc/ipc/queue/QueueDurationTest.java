package io.interproc.ipc.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.testing.TempSegments;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@link Duration} forms of the queues' byte calls: {@code offerBytes}, {@code pollBytes},
 * {@code pollWholeBytes} and {@code drainBytes} time out, succeed, and refuse a null timeout.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class QueueDurationTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    @Test
    void shouldTimeOutAndSucceedWithDurations() throws Exception {
        Segment segment = segments.create(1 << 20);
        SharedQueue<String> q = SharedQueue.create(segment, "q", 256, Codec.utf8());
        ByteBuffer dst = ByteBuffer.allocate(64);
        assertEquals(-1, q.pollBytes(dst, Duration.ofMillis(20)));
        assertEquals(-1, q.pollWholeBytes(dst, Duration.ZERO));
        List<Integer> sizes = new ArrayList<>();
        assertEquals(0, q.drainBytes(m -> sizes.add(m.remaining()), 10, Duration.ofMillis(20)));

        assertTrue(q.offerBytes(ByteBuffer.wrap(new byte[] {1, 2, 3}), Duration.ofSeconds(10)));
        assertEquals(3, q.pollBytes(dst, Duration.ofSeconds(10)));
        assertTrue(q.offerBytes(ByteBuffer.wrap(new byte[] {4, 5}), Duration.ofSeconds(10)));
        dst.clear();
        assertEquals(2, q.pollWholeBytes(dst, Duration.ofSeconds(10)));
        assertTrue(q.offerBytes(ByteBuffer.wrap(new byte[] {6}), Duration.ZERO));
        assertTrue(q.offerBytes(ByteBuffer.wrap(new byte[] {7, 8}), Duration.ZERO));
        assertEquals(2, q.drainBytes(m -> sizes.add(m.remaining()), 10, Duration.ofSeconds(10)));
        assertEquals(List.of(1, 2), sizes);

        int sent = 0;
        while (q.offerBytes(ByteBuffer.allocate(32), Duration.ZERO)) {
            sent++;
            assertTrue(sent < 1000, "a 256-byte queue never filled");
        }
        assertFalse(q.offerBytes(ByteBuffer.allocate(32), Duration.ofMillis(20)));
        assertThrows(NullPointerException.class, () -> q.offerBytes(ByteBuffer.allocate(1), (Duration) null));
        assertThrows(NullPointerException.class, () -> q.pollBytes(dst, (Duration) null));
        assertThrows(NullPointerException.class, () -> q.pollWholeBytes(dst, (Duration) null));
        assertThrows(NullPointerException.class, () -> q.drainBytes(m -> { }, 1, (Duration) null));
    }
}
