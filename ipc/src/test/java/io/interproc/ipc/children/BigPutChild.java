package io.interproc.ipc.children;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.ipc.queue.SharedQueue;

/**
 * Producer JVM of the kill tests: puts one message of the given size (byte i = (byte) i), streamed
 * through the ring if larger than it, then each further argument as a UTF-8 message.
 * Args: segment, queue, size, further messages...
 */
public final class BigPutChild {
    private BigPutChild() {
    }

    public static void main(String[] args) throws Exception {
        try (Segment segment = Segment.open(args[0])) {
            SharedQueue<byte[]> queue = SharedQueue.open(segment, args[1], Codec.bytes());
            byte[] big = new byte[Integer.parseInt(args[2])];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) i;
            }
            queue.put(big);
            for (int i = 3; i < args.length; i++) {
                queue.put(Codec.utf8().encode(args[i]));
            }
            System.out.println("put " + big.length + " bytes and " + (args.length - 3) + " more");
        }
    }
}
