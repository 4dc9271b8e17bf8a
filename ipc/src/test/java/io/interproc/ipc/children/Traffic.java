package io.interproc.ipc.children;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The messages of the multi-producer queue test, on the bytes path:
 * {@code [int producer][int sequence][int index][int payload length][payload][long checksum]},
 * the checksum a CRC32C of everything before it. The payload's length (0 to 60 bytes) and content
 * follow from producer and sequence, so records of many sizes wrap around the ring. A message with
 * producer {@link #STOP} tells a consumer to stop.
 */
public final class Traffic {
    /** Producer id of a stop message. */
    public static final int STOP = -1;
    /** Largest message. */
    public static final int MAX_SIZE = 16 + 60 + 8;

    private Traffic() {
    }

    /** @return the first message index of a producer: the indexes 0 .. total-1 are split evenly */
    public static int base(int producer, int producers, int total) {
        return (int) ((long) producer * total / producers);
    }

    /** @return how many messages a producer sends */
    public static int count(int producer, int producers, int total) {
        return base(producer + 1, producers, total) - base(producer, producers, total);
    }

    /** Writes one message into {@code dst} (cleared first) and flips it. */
    public static void encode(ByteBuffer dst, int producer, int sequence, int index) {
        int length = payloadLength(producer, sequence);
        dst.clear();
        dst.putInt(producer).putInt(sequence).putInt(index).putInt(length);
        for (int i = 0; i < length; i++) {
            dst.put(payloadByte(producer, sequence, i));
        }
        dst.putLong(checksum(dst, dst.position()));
        dst.flip();
    }

    /** @return a stop message */
    public static ByteBuffer stop() {
        ByteBuffer b = ByteBuffer.allocate(16 + 8);
        b.putInt(STOP).putInt(0).putInt(0).putInt(0);
        b.putLong(checksum(b, 16));
        return b.flip();
    }

    /**
     * Checks a received message: size, checksum and payload.
     *
     * @param src the message, from position 0 to its limit
     * @return null if intact, else what is wrong
     */
    public static String verify(ByteBuffer src) {
        int size = src.limit();
        if (size < 24) {
            return "short message: size=" + size;
        }
        int producer = src.getInt(0);
        int sequence = src.getInt(4);
        int length = src.getInt(12);
        int expectedLength = producer == STOP ? 0 : payloadLength(producer, sequence);
        if (length != expectedLength || size != 16 + length + 8) {
            return "bad length: producer=" + producer + ", sequence=" + sequence + ", length=" + length + ", size=" + size;
        }
        if (src.getLong(16 + length) != checksum(src, 16 + length)) {
            return "bad checksum: producer=" + producer + ", sequence=" + sequence;
        }
        for (int i = 0; producer != STOP && i < length; i++) {
            if (src.get(16 + i) != payloadByte(producer, sequence, i)) {
                return "bad payload: producer=" + producer + ", sequence=" + sequence + ", byte=" + i;
            }
        }
        return null;
    }

    private static int payloadLength(int producer, int sequence) {
        return (sequence * 7 + producer) % 61;
    }

    private static byte payloadByte(int producer, int sequence, int i) {
        return (byte) (sequence * 31 + i * 7 + producer);
    }

    private static long checksum(ByteBuffer b, int length) {
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate().position(0).limit(length));
        return crc.getValue();
    }
}
