package io.interproc.chronicle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.CodecException;
import io.interproc.core.Segment;
import io.interproc.core.SharedBytes;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.queue.SharedQueue;

import java.nio.ByteBuffer;
import java.util.Random;

import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Round trips in one JVM, hostile bytes, and the Bytes view of SharedBytes. */
class ChronicleCodecTest {
    private static final Codec<Trade> TRADES = ChronicleCodec.of(Trade.class, Trade::new);
    private static final Codec<Quote> QUOTES = ChronicleCodec.of(Quote.class, Quote::new);

    @RegisterExtension
    final TempSegments segments = new TempSegments();

    @Test
    void shouldRoundTripExplicitAndReflectiveMarshalling() {
        Trade trade = new Trade(7, "ACME €", 12.5, 300);
        byte[] bytes = TRADES.encode(trade);
        assertEquals(trade, TRADES.decode(bytes, 0, bytes.length));
        byte[] padded = new byte[bytes.length + 10];
        System.arraycopy(bytes, 0, padded, 5, bytes.length);
        assertEquals(trade, TRADES.decode(padded, 5, bytes.length), "offset and length are honoured");
        assertEquals(new Trade(0, null, 0, 0), roundTrip(TRADES, new Trade(0, null, 0, 0)));

        Quote quote = new Quote("XLON", new long[] {1, 2, Long.MAX_VALUE}, true);
        assertEquals(quote, roundTrip(QUOTES, quote));
        assertEquals(new Quote(), roundTrip(QUOTES, new Quote()));
    }

    @Test
    void shouldSendThroughASharedQueue() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedQueue<Trade> q = SharedQueue.create(s, "trades", 1 << 16, TRADES);
        for (int i = 0; i < 100; i++) {
            q.put(new Trade(i, "S" + i, i / 4.0, i * 10));
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(new Trade(i, "S" + i, i / 4.0, i * 10), q.take());
        }
    }

    @Test
    void shouldRefuseWhatIsNotOneEncodingWithCodecException() {
        byte[] good = TRADES.encode(new Trade(1, "ABC", 1.0, 1));
        byte[] trailing = new byte[good.length + 1];
        System.arraycopy(good, 0, trailing, 0, good.length);
        CodecException e = assertThrows(CodecException.class, () -> TRADES.decode(trailing, 0, trailing.length));
        assertTrue(e.getMessage().contains("1 trailing bytes"), e.getMessage());
        for (int cut = 0; cut < good.length; cut++) {
            int length = cut;
            assertThrows(CodecException.class, () -> TRADES.decode(good, 0, length), "cut at " + cut);
        }
        // A forged string length far beyond the message.
        byte[] forged = {0, 0, 0, 0, 0, 0, 0, 1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 'x'};
        assertThrows(CodecException.class, () -> TRADES.decode(forged, 0, forged.length));
        byte[] quote = QUOTES.encode(new Quote("V", new long[] {1, 2, 3}, false));
        Random random = new Random(16);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = i % 2 == 0 ? good.clone() : quote.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            byte[] bytes = random.nextInt(8) == 0 ? randomBytes(random) : b;
            Codec<?> codec = i % 2 == 0 ? TRADES : QUOTES;
            try {
                codec.decode(bytes, 0, bytes.length);
            } catch (CodecException expected) {
                // fine: a clear refusal
            }
        }
    }

    @Test
    void shouldRefuseValuesOfAnotherTypeOrNull() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Codec<Object> raw = (Codec) TRADES;
        assertThrows(CodecException.class, () -> raw.encode(new Quote()));
        assertThrows(CodecException.class, () -> TRADES.encode(null));
        Codec<Trade> badFactory = ChronicleCodec.of(Trade.class, () -> null);
        byte[] good = TRADES.encode(new Trade(1, "A", 1, 1));
        assertThrows(CodecException.class, () -> badFactory.decode(good, 0, good.length));
    }

    @Test
    void shouldViewSharedBytesAsChronicleBytes() {
        Segment s = segments.create(1 << 20);
        SharedBytes shared = SharedBytes.create(s, "raw", 256);
        Bytes<ByteBuffer> out = ChronicleBytes.forWrite(shared);
        try {
            assertEquals(256, out.writeLimit());
            new Trade(42, "VIEW", 2.5, 9).writeMarshallable(out);
        } finally {
            out.releaseLast();
        }
        Bytes<ByteBuffer> in = ChronicleBytes.forRead(SharedBytes.open(s, "raw"));
        try {
            assertEquals(256, in.readRemaining());
            Trade t = new Trade();
            t.readMarshallable(in);
            assertEquals(new Trade(42, "VIEW", 2.5, 9), t);
        } finally {
            in.releaseLast();
        }
        byte[] first = new byte[8];
        shared.get(0, first, 0, 8);
        assertArrayEquals(ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder()).putLong(42).array(), first,
                "the view wrote the shared memory itself");
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(64)];
        random.nextBytes(b);
        return b;
    }

    private static <T> T roundTrip(Codec<T> codec, T value) {
        byte[] bytes = codec.encode(value);
        return codec.decode(bytes, 0, bytes.length);
    }
}
