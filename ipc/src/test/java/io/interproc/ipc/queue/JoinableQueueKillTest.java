package io.interproc.ipc.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.children.JoinablePutChild;
import io.interproc.process.JvmProcess;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A producer JVM killed with SIGKILL after counting a put and before publishing it (held there by
 * a test hook enabled only in the child) must not leave {@code join()} waiting for ever: the count
 * is set back when the producer lock is next taken, by a put or by a waiting join.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails, never blocks the build
class JoinableQueueKillTest {
    private static final String STOPPED = "stopped between count and publish";

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    private JoinableQueue<String> queueWithAProducerKilledBetweenCountAndPublish() throws Exception {
        Segment s = segments.create(1 << 20);
        JoinableQueue<String> q = JoinableQueue.create(s, "jobs", 4096, Codec.utf8());
        JvmProcess producer = children.start(JvmProcess.builder(JoinablePutChild.class)
                .args(s.name(), "jobs", "never published")
                .systemProperty("interproc.test.stopBetweenCountAndPublish", "true")
                .captureOutput());
        ChildJvms.awaitCondition("the producer stopped between count and publish", 60,
                () -> producer.output().contains(STOPPED) || !producer.isAlive());
        assertTrue(producer.isAlive(), "child exited early: " + producer.output() + producer.errorOutput());
        assertEquals(1, q.unfinishedTasks(), "counted, not published");
        assertTrue(q.isEmpty());
        producer.kill();
        assertTrue(producer.join(30, TimeUnit.SECONDS), "killed child exited");
        return q;
    }

    @Test
    void shouldJoinWhenTheProducerWasKilledBetweenCountingAndPublishingAPut() throws Exception {
        JoinableQueue<String> q = queueWithAProducerKilledBetweenCountAndPublish();
        // Before the fix: false after any timeout (unfinishedTasks() stays 1 for ever).
        assertTrue(q.join(30, TimeUnit.SECONDS), "join ends: the dead producer's count is undone");
        assertEquals(0, q.unfinishedTasks());
        assertEquals(1, q.producerRecoveries(), "the join took the dead producer's lock over");
        assertNull(q.poll(), "the message was never published");

        q.put("next");
        assertEquals("next", q.take());
        assertEquals(1, q.unfinishedTasks());
        q.taskDone();
        assertTrue(q.join(5, TimeUnit.SECONDS));
        assertEquals(0, q.unfinishedTasks());
    }

    @Test
    void shouldCorrectTheCountWhenTheNextPutTakesTheDeadProducersLockOver() throws Exception {
        JoinableQueue<String> q = queueWithAProducerKilledBetweenCountAndPublish();
        q.put("next"); // takes the producer lock over, and corrects the count
        assertEquals(1, q.producerRecoveries());
        assertEquals(1, q.unfinishedTasks(), "only the message that was published");
        assertEquals(1, q.size());
        assertEquals("next", q.take());
        q.taskDone();
        assertEquals(0, q.unfinishedTasks());
        assertTrue(q.join(5, TimeUnit.SECONDS));
        assertNull(q.poll());
    }
}
