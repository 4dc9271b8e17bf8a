package io.interproc.logging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.interproc.core.Codec;
import io.interproc.core.CodecException;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The wire format of a log record: round trips, bounds, and hostile bytes. */
class LogEventCodecTest {
    private static final Codec<LogEvent> CODEC = LogEvent.codec();

    private static LogEvent sample() {
        Map<String, String> ctx = new LinkedHashMap<>();
        ctx.put("request", "42");
        ctx.put("user", "zoë");
        return new LogEvent(Instant.parse("2026-12-02T10:15:30.123456789Z"), LogLevel.WARN, "com.example.Orders",
                "worker-1", 1234, "worker-1@host", 7, "paid {0} – 😀 done", "java.lang.IllegalStateException: x\n\tat A.b(A.java:1)\n",
                ctx);
    }

    @Test
    void shouldRoundTripEveryField() {
        LogEvent e = sample();
        byte[] bytes = CODEC.encode(e);
        assertEquals(e, CODEC.decode(bytes, 0, bytes.length));
        byte[] padded = new byte[bytes.length + 10];
        System.arraycopy(bytes, 0, padded, 5, bytes.length);
        assertEquals(e, CODEC.decode(padded, 5, bytes.length), "from an offset");
    }

    @Test
    void shouldRoundTripANullThrowableEmptyStringsAndEveryLevel() {
        for (LogLevel level : LogLevel.values()) {
            LogEvent e = new LogEvent(Instant.EPOCH, level, "", "", -1, "", Long.MAX_VALUE, "", null, Map.of());
            byte[] bytes = CODEC.encode(e);
            LogEvent back = CODEC.decode(bytes, 0, bytes.length);
            assertEquals(e, back);
            assertNull(back.throwable());
        }
    }

    @Test
    void shouldCutOverlongFieldsAndSaySo() {
        String longMessage = "m".repeat(LogEventCodec.MAX_MESSAGE_CHARS + 1000);
        String longName = "n".repeat(5000);
        Map<String, String> ctx = new LinkedHashMap<>();
        for (int i = 0; i < LogEventCodec.MAX_CONTEXT_ENTRIES + 10; i++) {
            ctx.put("k" + i, "v");
        }
        LogEvent e = new LogEvent(Instant.now(), LogLevel.INFO, longName, "t", 1, "p", 0, longMessage,
                "t".repeat(LogEventCodec.MAX_THROWABLE_CHARS * 2), ctx);
        byte[] bytes = CODEC.encode(e);
        LogEvent back = CODEC.decode(bytes, 0, bytes.length);
        assertEquals(LogEventCodec.MAX_MESSAGE_CHARS, back.message().length());
        assertTrue(back.message().endsWith("chars cut]"), back.message().substring(back.message().length() - 40));
        assertEquals(LogEventCodec.MAX_NAME_CHARS, back.logger().length());
        assertEquals(LogEventCodec.MAX_THROWABLE_CHARS, back.throwable().length());
        assertEquals(LogEventCodec.MAX_CONTEXT_ENTRIES, back.context().size());
    }

    @Test
    void shouldNotCutASurrogatePairInTwo() {
        String cut = LogEventCodec.truncate("😀".repeat(50_000), 1001);
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertTrue(Character.isLowSurrogate(cut.charAt(i + 1)), "pair at " + i);
            }
        }
    }

    @Test
    void shouldRefuseEveryTruncationOfARecord() {
        byte[] bytes = CODEC.encode(sample());
        for (int n = 0; n < bytes.length; n++) {
            int length = n;
            assertThrows(CodecException.class, () -> CODEC.decode(bytes, 0, length), "cut to " + n + " bytes");
        }
    }

    @Test
    void shouldRefuseTrailingBytesBadMagicLevelLengthsTimeAndUtf8() {
        byte[] good = CODEC.encode(sample());
        byte[] longer = new byte[good.length + 1];
        System.arraycopy(good, 0, longer, 0, good.length);
        assertThrows(CodecException.class, () -> CODEC.decode(longer, 0, longer.length));

        assertRefused(good, 0, (byte) 'X');               // magic
        assertRefused(good, 1, (byte) 2);                 // version
        assertRefused(good, 14, (byte) 9);                // level
        ByteBuffer b = ByteBuffer.wrap(good.clone());
        b.putLong(2, Long.MAX_VALUE);                     // epoch second out of Instant's range
        assertThrows(CodecException.class, () -> CODEC.decode(b.array(), 0, b.capacity()));
        ByteBuffer n = ByteBuffer.wrap(good.clone());
        n.putInt(10, 1_000_000_000);                      // nano of second
        assertThrows(CodecException.class, () -> CODEC.decode(n.array(), 0, n.capacity()));
        for (int length : new int[] {-2, Integer.MAX_VALUE, Integer.MIN_VALUE, good.length}) {
            ByteBuffer l = ByteBuffer.wrap(good.clone());
            l.putInt(31, length);                         // the logger's length
            assertThrows(CodecException.class, () -> CODEC.decode(l.array(), 0, l.capacity()), "length " + length);
        }
        byte[] badUtf8 = good.clone();
        badUtf8[35] = (byte) 0xC3;                         // first byte of the logger: a lead byte without its follower
        badUtf8[36] = (byte) 'x';
        assertThrows(CodecException.class, () -> CODEC.decode(badUtf8, 0, badUtf8.length));
        assertThrows(CodecException.class, () -> CODEC.decode(null, 0, 0));
        assertThrows(CodecException.class, () -> CODEC.decode(good, 5, good.length));
        assertThrows(CodecException.class, () -> CODEC.encode(null));
    }

    private static void assertRefused(byte[] good, int index, byte value) {
        byte[] bad = good.clone();
        bad[index] = value;
        assertThrows(CodecException.class, () -> CODEC.decode(bad, 0, bad.length), "byte " + index + " = " + value);
    }

    @Test
    void shouldGiveACodecExceptionOrAValidRecordForAnyDamagedBytes() {
        byte[] good = CODEC.encode(sample());
        Random random = new Random(16);
        for (int round = 0; round < 20_000; round++) {
            byte[] bad = good.clone();
            int flips = 1 + random.nextInt(4);
            for (int i = 0; i < flips; i++) {
                bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
            }
            decodeOrCodecException(bad, round);
        }
        for (int round = 0; round < 5_000; round++) {
            byte[] noise = new byte[random.nextInt(200)];
            random.nextBytes(noise);
            if (noise.length > 1) {
                noise[0] = 'L';
                noise[1] = 1;
            }
            decodeOrCodecException(noise, round);
        }
    }

    private static void decodeOrCodecException(byte[] bytes, int round) {
        try {
            LogEvent e = CODEC.decode(bytes, 0, bytes.length);
            assertArrayEquals(bytes, CODEC.encode(e), "a record that decodes encodes to the same bytes");
        } catch (CodecException expected) {
            // refused, as it should be
        } catch (Throwable t) {
            fail("round " + round + ": " + t, t);
        }
    }
}
