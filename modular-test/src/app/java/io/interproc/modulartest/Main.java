package io.interproc.modulartest;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.SegmentOptions;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.sync.SharedLock;

import java.nio.file.Path;

/**
 * Creates a segment with a lock and a queue, puts one message under the lock and takes it back,
 * then removes the segment. Prints what it did, one fact a line; exits 0 on success.
 */
public final class Main {
    private Main() {
    }

    /**
     * @param args the segment directory and the segment name
     * @throws InterruptedException if interrupted while putting or taking
     */
    public static void main(String[] args) throws InterruptedException {
        SegmentOptions options = SegmentOptions.defaults().withDirectory(Path.of(args[0]));
        String name = args[1];
        try (Segment segment = Segment.create(name, 1 << 20, options)) {
            SharedLock lock = SharedLock.create(segment, "lock");
            SharedQueue<String> queue = SharedQueue.create(segment, "queue", 4096, Codec.utf8());
            lock.lock();
            try {
                queue.put("hello");
            } finally {
                lock.unlock();
            }
            System.out.println("took " + queue.take());
        } finally {
            Segment.unlink(name, options);
        }
        System.out.println("application module " + Main.class.getModule().getName());
        System.out.println("core module " + Segment.class.getModule().getName());
    }
}
