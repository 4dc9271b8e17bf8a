package io.interproc.ipc.children;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.ipc.queue.JoinableQueue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Batch puts into JoinableQueue {@code args[1]} of segment {@code args[0]}. With
 * {@code args[2] = "list"}, puts the remaining arguments (UTF-8) as one batch; started with
 * {@code -Dinterproc.test.stopBetweenCountAndPublish=true} it stops for good after counting that
 * batch's first run and before publishing it. With {@code args[2] = "count"}, puts
 * {@link #message(int, int) message(i, big)} for i in [0, args[3]) in batches of {@code args[4]},
 * where every 97th message is {@code args[5]} bytes long (larger than the ring: streamed).
 */
public final class BatchPutChild {
    private BatchPutChild() {
    }

    /**
     * @param i the sequence number
     * @param big the size of every 97th message
     * @return message {@code i}: its decimal number, then filler up to a size that varies with i
     */
    public static byte[] message(int i, int big) {
        int size = i % 97 == 96 ? big : 8 + i % 61;
        byte[] m = new byte[size];
        byte[] digits = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, m, 0, digits.length);
        m[digits.length] = ';';
        for (int k = digits.length + 1; k < size; k++) {
            m[k] = (byte) (i + k);
        }
        return m;
    }

    public static void main(String[] args) throws Exception {
        try (Segment segment = Segment.open(args[0])) {
            JoinableQueue<byte[]> q = JoinableQueue.open(segment, args[1], Codec.bytes());
            if (args[2].equals("list")) {
                ByteBuffer[] batch = new ByteBuffer[args.length - 3];
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = ByteBuffer.wrap(args[3 + i].getBytes(StandardCharsets.UTF_8));
                }
                q.putAllBytes(batch, 0, batch.length);
                return;
            }
            int n = Integer.parseInt(args[3]);
            int batchSize = Integer.parseInt(args[4]);
            int big = Integer.parseInt(args[5]);
            ByteBuffer[] batch = new ByteBuffer[batchSize];
            for (int i = 0; i < n; i += batchSize) {
                int len = Math.min(batchSize, n - i);
                for (int k = 0; k < len; k++) {
                    batch[k] = ByteBuffer.wrap(message(i + k, big));
                }
                q.putAllBytes(batch, 0, len);
            }
        }
    }
}
