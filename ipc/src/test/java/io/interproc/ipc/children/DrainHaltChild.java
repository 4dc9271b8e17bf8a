package io.interproc.ipc.children;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.ipc.queue.SharedQueue;

/**
 * Consumer JVM that dies in the middle of a batch take: its handler halts the JVM (no shutdown
 * hooks, as a kill) at the second message. Args: segment, queue.
 */
public final class DrainHaltChild {
    private DrainHaltChild() {
    }

    public static void main(String[] args) throws Exception {
        Segment segment = Segment.open(args[0]);
        SharedQueue<byte[]> queue = SharedQueue.open(segment, args[1], Codec.bytes());
        int[] seen = {0};
        queue.drainBytes(m -> {
            if (++seen[0] == 2) {
                Runtime.getRuntime().halt(3);
            }
        }, 100, 30, java.util.concurrent.TimeUnit.SECONDS);
        System.exit(1); // not reached unless the queue had fewer than two messages
    }
}
