package io.interproc.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.interproc.core.Codec;
import io.interproc.core.ObjectInfo;
import io.interproc.core.Segment;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.pipe.Connection;
import io.interproc.ipc.pipe.Pipe;
import io.interproc.ipc.queue.QueueDescriptor;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.sync.internal.LockDescriptor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A property check, not a benchmark: threads blocked on a queue or a pipe sleep in the kernel,
 * costing next to no CPU while nothing happens (docs/ARCHITECTURE.md, "Waiting"). Each must use less than 100 ms of
 * CPU in about a second of waiting (a spinning thread would use about a second).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails, never blocks the build
class BlockedCpuTest {
    private static final long BUDGET_NANOS = 100_000_000L;
    private static final long WAIT_MILLIS = 1_000;

    @RegisterExtension
    final TempSegments segments = new TempSegments();

    @Test
    void shouldCostNearZeroCpuWhileBlocked() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadCpuTimeSupported(), "thread CPU time is not supported on this JVM");
        if (!threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
        Segment s = segments.create(4 << 20);
        SharedQueue<byte[]> empty = SharedQueue.create(s, "empty", 4096, Codec.bytes());
        SharedQueue<byte[]> full = SharedQueue.create(s, "full", 256, Codec.bytes());
        full.put(new byte[248]);
        Pipe.create(s, "p", 4096, true);
        Segment other = segments.track(Segment.open(s.name()));
        Connection<byte[]> a = Pipe.open(s, "p").connect(Pipe.End.A, Codec.bytes());
        Connection<byte[]> b = Pipe.open(other, "p").connect(Pipe.End.B, Codec.bytes());
        RingProbe emptyRing = RingProbe.queue(s, "empty");
        RingProbe fullRing = RingProbe.queue(s, "full");
        RingProbe toA = RingProbe.pipe(s, "p", Pipe.End.A);
        SharedBuffer buffer = s.buffer();
        ObjectInfo emptyInfo = s.objects().stream().filter(o -> o.name().equals("empty")).findFirst().orElseThrow();
        int consumerLockWaiters = emptyInfo.offset() + QueueDescriptor.CONSUMER_LOCK_OFFSET + LockDescriptor.WAITERS_OFFSET;

        Background<byte[]> taker = Background.start("taker", empty::take);
        ChildJvms.awaitCondition("the taker asleep on the empty ring", 10, () -> emptyRing.notEmptyWaiters() > 0);
        Background<byte[]> secondTaker = Background.start("second-taker", empty::take);
        ChildJvms.awaitCondition("the second taker asleep on the consumer lock", 10,
                () -> buffer.getIntVolatile(consumerLockWaiters) > 0);
        Background<Void> putter = Background.start("putter", () -> {
            full.put(new byte[] {1});
            return null;
        });
        ChildJvms.awaitCondition("the putter asleep on the full ring", 10, () -> fullRing.notFullWaiters() > 0);
        Background<byte[]> receiver = Background.start("receiver", a::recv);
        ChildJvms.awaitCondition("the pipe receiver asleep", 10, () -> toA.notEmptyWaiters() > 0);

        List<Background<?>> blocked = List.of(taker, secondTaker, putter, receiver);
        long[] before = new long[blocked.size()];
        for (int i = 0; i < before.length; i++) {
            before[i] = threads.getThreadCpuTime(blocked.get(i).thread().getId());
        }
        Thread.sleep(WAIT_MILLIS); // the property is measured over this wait; nothing depends on its length
        for (int i = 0; i < before.length; i++) {
            Background<?> t = blocked.get(i);
            assertTrue(!t.isDone(), t.thread().getName() + " still blocked");
            long used = threads.getThreadCpuTime(t.thread().getId()) - before[i];
            assertTrue(used < BUDGET_NANOS, t.thread().getName() + " used " + used / 1_000_000 + " ms of CPU in "
                    + WAIT_MILLIS + " ms blocked");
        }

        // Release them all: each gets what it waited for.
        empty.put(new byte[] {1});
        empty.put(new byte[] {2});
        byte[] first = taker.get(10);
        byte[] second = secondTaker.get(10);
        assertTrue(first[0] + second[0] == 3, "each taker got one message");
        assertArrayEquals(new byte[248], full.take());
        putter.get(10);
        assertArrayEquals(new byte[] {1}, full.take());
        b.send(new byte[] {9});
        assertArrayEquals(new byte[] {9}, receiver.get(10));
    }
}
