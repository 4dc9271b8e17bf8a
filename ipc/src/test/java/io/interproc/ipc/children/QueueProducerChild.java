package io.interproc.ipc.children;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.ipc.queue.SharedQueue;

import java.nio.ByteBuffer;

/**
 * Producer JVM of the multi-process queue test: puts its share of the messages, in sequence, on
 * the bytes path. Args: segment, queue, producer id, producers, total messages.
 */
public final class QueueProducerChild {
    private QueueProducerChild() {
    }

    public static void main(String[] args) throws Exception {
        int producer = Integer.parseInt(args[2]);
        int producers = Integer.parseInt(args[3]);
        int total = Integer.parseInt(args[4]);
        try (Segment segment = Segment.open(args[0])) {
            SharedQueue<byte[]> queue = SharedQueue.open(segment, args[1], Codec.bytes());
            int base = Traffic.base(producer, producers, total);
            int count = Traffic.count(producer, producers, total);
            ByteBuffer buffer = ByteBuffer.allocateDirect(Traffic.MAX_SIZE);
            for (int seq = 0; seq < count; seq++) {
                Traffic.encode(buffer, producer, seq, base + seq);
                queue.putBytes(buffer);
            }
            System.out.println("producer " + producer + " put " + count);
        }
    }
}
