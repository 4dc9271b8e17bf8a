package io.interproc.ipc.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.interproc.core.Codec;
import io.interproc.core.CodecException;
import io.interproc.core.Segment;
import io.interproc.core.testing.MaliciousStreams;
import io.interproc.core.testing.TempSegments;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A hostile message on a queue of {@link Codec#serializable}: removed, counted, the queue goes on. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SerializableQueueLimitsTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    @Test
    void shouldCountAHostileMessageAsUndecodableAndGoOn() throws Exception {
        Segment s = segments.create(1 << 20);
        // room for all three messages: the 30 KB one is put whole, not streamed to a consumer
        SharedQueue<String> q = SharedQueue.create(s, "q", 256 << 10, Codec.serializable("java.lang.String"));
        byte[] huge = MaliciousStreams.longArrayDeclaring(Integer.MAX_VALUE - 8);
        byte[] deep = MaliciousStreams.nestedObjectArrays(3_000);
        q.putBytes(ByteBuffer.wrap(huge));
        q.putBytes(ByteBuffer.wrap(deep));
        q.put("after");
        String where = "SharedQueue 'q' in segment '" + s.name() + "'";
        CodecException e = assertThrows(CodecException.class, q::take);
        assertEquals(where + ": a message of 27 bytes could not be decoded and was removed from the queue: cannot "
                + "deserialize 27 bytes with filter 'java.lang.String;!*': array too long: class=long[], "
                + "length=2147483639, maxarray=16777216", e.getMessage());
        e = assertThrows(CodecException.class, q::take);
        // an Object[] is refused by the allow-list at the first level, before any depth builds up
        assertEquals(where + ": a message of " + deep.length + " bytes could not be decoded and was removed from the "
                + "queue: cannot deserialize " + deep.length + " bytes with filter 'java.lang.String;!*': class not "
                + "allowed: class=java.lang.Object (filter status: REJECTED)", e.getMessage());
        assertEquals("after", q.take());
        assertEquals(2, q.undecodable());
    }
}
