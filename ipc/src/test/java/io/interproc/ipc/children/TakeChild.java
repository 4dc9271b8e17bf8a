package io.interproc.ipc.children;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.ipc.queue.SharedQueue;

/**
 * Consumer JVM of the kill tests: takes one message, waiting as long as it takes, and prints its
 * size. Args: segment, queue.
 */
public final class TakeChild {
    private TakeChild() {
    }

    public static void main(String[] args) throws Exception {
        try (Segment segment = Segment.open(args[0])) {
            SharedQueue<byte[]> queue = SharedQueue.open(segment, args[1], Codec.bytes());
            System.out.println("took " + queue.take().length + " bytes");
        }
    }
}
