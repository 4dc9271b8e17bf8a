package io.interproc.ipc.children;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.SharedIntArray;
import io.interproc.core.SharedLong;
import io.interproc.core.SharedLongArray;
import io.interproc.ipc.queue.SharedQueue;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Consumer JVM of the multi-process queue test: takes messages until a stop message, checks each
 * (intact, index matching producer and sequence, sequences of each producer strictly increasing),
 * marks it in the shared "seen" array, and reports what was wrong in shared counters.
 * Args: segment, queue, consumer id, producers, total messages.
 */
public final class QueueConsumerChild {
    private QueueConsumerChild() {
    }

    public static void main(String[] args) throws Exception {
        int consumer = Integer.parseInt(args[2]);
        int producers = Integer.parseInt(args[3]);
        int total = Integer.parseInt(args[4]);
        try (Segment segment = Segment.open(args[0])) {
            SharedQueue<byte[]> queue = SharedQueue.open(segment, args[1], Codec.bytes());
            SharedIntArray seen = SharedIntArray.open(segment, "seen");
            SharedLong orderViolations = SharedLong.open(segment, "order-violations");
            SharedLong corrupt = SharedLong.open(segment, "corrupt");
            SharedLongArray consumed = SharedLongArray.open(segment, "consumed");
            int[] last = new int[producers];
            Arrays.fill(last, -1);
            ByteBuffer buffer = ByteBuffer.allocateDirect(Traffic.MAX_SIZE);
            long count = 0;
            while (true) {
                buffer.clear();
                queue.takeBytes(buffer);
                buffer.flip();
                String wrong = Traffic.verify(buffer);
                if (wrong != null) {
                    System.err.println("consumer " + consumer + ": " + wrong);
                    corrupt.incrementAndGet();
                    continue;
                }
                int producer = buffer.getInt(0);
                if (producer == Traffic.STOP) {
                    break;
                }
                int sequence = buffer.getInt(4);
                int index = buffer.getInt(8);
                if (producer < 0 || producer >= producers || index != Traffic.base(producer, producers, total) + sequence) {
                    System.err.println("consumer " + consumer + ": bad index " + index + " for producer " + producer
                            + ", sequence " + sequence);
                    corrupt.incrementAndGet();
                    continue;
                }
                if (sequence <= last[producer]) {
                    System.err.println("consumer " + consumer + ": producer " + producer + " sequence " + sequence
                            + " after " + last[producer]);
                    orderViolations.incrementAndGet();
                }
                last[producer] = sequence;
                seen.getAndAdd(index, 1);
                count++;
            }
            consumed.set(consumer, count);
            System.out.println("consumer " + consumer + " took " + count);
        }
    }
}
