package io.interproc.ipc.queue.contract;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.queue.JoinableQueue;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link JoinableQueue} against the {@code BlockingQueue} contract suite. */
class JoinableQueueContractTest extends BlockingQueueContract {
    /** 256 bytes hold 16 records of a 6-byte element (8-byte header + 8 bytes padded). */
    static final long RING_BYTES = 256;

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    private final AtomicInteger names = new AtomicInteger();
    private Segment segment;

    @Override
    BlockingQueue<String> emptyQueue() {
        if (segment == null) {
            segment = segments.create(1 << 20);
        }
        String name = "q" + names.incrementAndGet();
        Segment segment = this.segment;
        return JoinableQueue.create(segment, name, RING_BYTES, Codec.utf8());
    }

    @Override
    boolean offersCollectionView() {
        return false;
    }
}
