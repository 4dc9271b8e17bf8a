package io.interproc.ipc.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.testing.TempSegments;

import java.nio.ByteBuffer;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@link Duration} forms of {@link Connection}'s timeouts: {@code send}, {@code sendBytes},
 * {@code recv} and {@code recvBytesInto} time out, succeed, and refuse a null timeout.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PipeDurationTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    @Test
    void shouldSendAndReceiveWithDurations() throws Exception {
        Segment first = segments.create(1 << 20);
        Segment second = segments.track(Segment.open(first.name()));
        Pipe pipe = Pipe.create(first, "p", 256, true);
        try (Connection<String> a = pipe.connect(Pipe.End.A, Codec.utf8());
                Connection<String> b = Pipe.open(second, "p").connect(Pipe.End.B, Codec.utf8())) {
            assertNull(b.recv(Duration.ofMillis(20)));
            assertNull(b.recv(Duration.ZERO));
            assertEquals(-1, b.recvBytesInto(ByteBuffer.allocate(64), Duration.ofMillis(20)));
            assertTrue(a.send("hello", Duration.ofSeconds(10)));
            assertEquals("hello", b.recv(Duration.ofSeconds(10)));
            assertTrue(a.sendBytes(ByteBuffer.wrap(new byte[] {'h', 'i'}), Duration.ofSeconds(10)));
            ByteBuffer dst = ByteBuffer.allocate(64);
            assertEquals(2, b.recvBytesInto(dst, Duration.ofSeconds(10)));
            assertEquals(2, dst.position());

            int sent = 0;
            while (a.sendBytes(ByteBuffer.allocate(32), Duration.ZERO)) {
                sent++;
                assertTrue(sent < 1000, "a 256-byte pipe never filled");
            }
            assertFalse(a.sendBytes(ByteBuffer.allocate(32), Duration.ofMillis(20)));
            assertFalse(a.send("f".repeat(32), Duration.ofMillis(20))); // no room for 32 bytes either
            assertThrows(NullPointerException.class, () -> a.send("x", null));
            assertThrows(NullPointerException.class, () -> b.recv((Duration) null));
        }
    }
}
