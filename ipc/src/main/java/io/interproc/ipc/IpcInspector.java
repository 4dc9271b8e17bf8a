package io.interproc.ipc;

import io.interproc.core.ObjectInspector;
import io.interproc.core.ObjectKind;
import io.interproc.core.ObjectRegion;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * {@link ObjectInspector} of ipc's kinds, found by {@link java.util.ServiceLoader}. It only reads
 * (volatile loads), so it works on a segment opened with {@link io.interproc.core.Segment#inspect},
 * and never blocks. The reading is done next to each layout ({@code QueueCore}, {@link Pipe}).
 *
 * <p>What it reports, in this order:
 * <ul>
 *   <li>{@link SharedQueue}, {@link JoinableQueue}, {@link SimpleQueue}: {@code capacity} (ring
 *       bytes), {@code messages} (put − taken − lost), {@code bytesUsed} (ring bytes published and
 *       not yet consumed, record headers included), {@code messagesPut}, {@code messagesTaken},
 *       {@code messagesLost} (a consumer died in the middle of a streamed message),
 *       {@code partialsDiscarded} (a producer died or gave up in the middle of one),
 *       {@code undecodable}, {@code producerLock} and {@code consumerLock} (owner, as
 *       {@link io.interproc.core.Inspection#owner}), {@code producersWaiting} and
 *       {@code consumersWaiting} (threads sleeping on the lock plus the one sleeping in the ring),
 *       {@code producerRecoveries} and {@code consumerRecoveries} (locks taken over from dead
 *       holders); for a joinable queue also {@code tasksDone} and {@code unfinishedTasks};</li>
 *   <li>{@link Pipe}: {@code duplex}, {@code capacity} (bytes per direction), {@code endA} and
 *       {@code endB} ({@code "free"}, {@code "closed"}, or the holder: {@code "pid 123 (alive)"};
 *       a dead holder's end is free to claim), {@code bToA.bytesUsed}, {@code bToA.messages}, and
 *       for a duplex pipe {@code aToB.bytesUsed}, {@code aToB.messages}.</li>
 * </ul>
 */
public final class IpcInspector implements ObjectInspector {
    /** Used by {@link java.util.ServiceLoader}. */
    public IpcInspector() {
    }

    @Override
    public Set<ObjectKind> kinds() {
        return EnumSet.of(ObjectKind.QUEUE, ObjectKind.JOINABLE_QUEUE, ObjectKind.SIMPLE_QUEUE, ObjectKind.PIPE);
    }

    @Override
    public Map<String, Object> describe(ObjectRegion region) {
        return switch (region.kind()) {
            case QUEUE, JOINABLE_QUEUE, SIMPLE_QUEUE -> QueueCore.describe(region);
            case PIPE -> Pipe.describe(region);
            default -> throw new IllegalArgumentException("not a kind of the ipc module: kind=" + region.kind());
        };
    }
}
