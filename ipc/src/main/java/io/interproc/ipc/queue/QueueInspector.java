package io.interproc.ipc.queue;

import io.interproc.core.spi.ObjectInspector;
import io.interproc.core.spi.ObjectKind;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.ipc.IpcKinds;

import java.util.Map;
import java.util.Set;

/**
 * {@link ObjectInspector} of the queue kinds, found by {@link java.util.ServiceLoader}. It only
 * reads (volatile loads), so it works on a segment opened with
 * {@link io.interproc.core.Segment#inspect}, and never blocks.
 *
 * <p>What it reports for a {@link SharedQueue}, {@link JoinableQueue} or {@link SimpleQueue}, in
 * this order: {@code capacity} (ring bytes), {@code messages} (put − taken − lost),
 * {@code bytesUsed} (ring bytes published and not yet consumed, record headers included),
 * {@code messagesPut}, {@code messagesTaken}, {@code messagesLost} (a consumer died in the middle
 * of a streamed message), {@code partialsDiscarded} (a producer died or gave up in the middle of
 * one), {@code undecodable}, {@code producerLock} and {@code consumerLock} (owner, as
 * {@link io.interproc.core.segment.Inspection#owner}), {@code producersWaiting} and
 * {@code consumersWaiting} (threads sleeping on the lock plus the one sleeping in the ring),
 * {@code producerRecoveries} and {@code consumerRecoveries} (locks taken over from dead holders);
 * for a joinable queue also {@code tasksDone} and {@code unfinishedTasks}.
 */
public final class QueueInspector implements ObjectInspector {
    /** Used by {@link java.util.ServiceLoader}. */
    public QueueInspector() {
    }

    @Override
    public Set<ObjectKind> kinds() {
        return Set.of(IpcKinds.QUEUE, IpcKinds.JOINABLE_QUEUE, IpcKinds.SIMPLE_QUEUE);
    }

    /**
     * @return {@code messagesPut}, {@code messagesTaken}, {@code messagesLost},
     *     {@code partialsDiscarded}, {@code undecodable}, {@code producerRecoveries},
     *     {@code consumerRecoveries}, {@code tasksDone}
     */
    @Override
    public Set<String> counters() {
        return Set.of("messagesPut", "messagesTaken", "messagesLost", "partialsDiscarded", "undecodable",
                "producerRecoveries", "consumerRecoveries", "tasksDone");
    }

    @Override
    public Map<String, Object> describe(ObjectRegion region) {
        if (!kinds().contains(region.kind())) {
            throw new IllegalArgumentException("not a queue kind: kind=" + region.kind());
        }
        return QueueCore.describe(region); // read next to the layout
    }
}
