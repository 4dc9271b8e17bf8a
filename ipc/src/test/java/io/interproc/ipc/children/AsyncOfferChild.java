package io.interproc.ipc.children;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.ipc.queue.JoinableQueue;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.ipc.queue.SimpleQueue;

import java.util.concurrent.BlockingQueue;

/**
 * Producer JVM for the asynchronous-take test: puts {@code "m0" .. "m<count-1>"} (UTF-8) into a
 * queue. Args: segment, queue, kind ({@code shared}, {@code joinable} or {@code simple}), count.
 */
public final class AsyncOfferChild {
    private AsyncOfferChild() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[3]);
        try (Segment segment = Segment.open(args[0])) {
            BlockingQueue<String> queue = switch (args[2]) {
                case "shared" -> SharedQueue.open(segment, args[1], Codec.utf8());
                case "joinable" -> JoinableQueue.open(segment, args[1], Codec.utf8());
                case "simple" -> SimpleQueue.open(segment, args[1], Codec.utf8());
                default -> throw new IllegalArgumentException("unknown kind: " + args[2]);
            };
            for (int i = 0; i < count; i++) {
                queue.put("m" + i);
            }
        }
    }
}
