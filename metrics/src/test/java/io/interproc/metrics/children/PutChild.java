package io.interproc.metrics.children;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.ipc.queue.SharedQueue;

/** Child JVM: puts COUNT strings into queue QUEUE of segment SEGMENT. Args: segment, queue, count. */
public final class PutChild {
    private PutChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        try (Segment segment = Segment.open(args[0])) {
            SharedQueue<String> queue = SharedQueue.open(segment, args[1], Codec.utf8());
            for (int i = 0, n = Integer.parseInt(args[2]); i < n; i++) {
                queue.put("message " + i);
            }
        }
    }
}
