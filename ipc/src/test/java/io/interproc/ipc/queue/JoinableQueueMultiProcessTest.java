package io.interproc.ipc.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.Background;
import io.interproc.ipc.children.JoinableWorkerChild;
import io.interproc.process.JvmProcess;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A worker JVM takes tasks from a JoinableQueue and marks them done; join() here waits for the last one. */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails, never blocks the build
class JoinableQueueMultiProcessTest {
    private static final int TASKS = 200;

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    @Test
    void shouldJoinOnlyAfterAWorkerJvmMarkedEveryTaskDone() throws Exception {
        Segment s = segments.create(1 << 20);
        JoinableQueue<String> tasks = JoinableQueue.create(s, "tasks", 64 << 10, Codec.utf8());
        SharedQueue<String> gate = SharedQueue.create(s, "gate", 256, Codec.utf8());
        SharedLong processed = SharedLong.create(s, "processed");
        SharedLong holding = SharedLong.create(s, "holding");
        for (int i = 0; i < TASKS; i++) {
            tasks.put("task-" + i);
        }
        assertEquals(TASKS, tasks.unfinishedTasks());
        assertFalse(tasks.join(0, TimeUnit.SECONDS), "nothing done yet");

        JvmProcess worker = children.start(JoinableWorkerChild.class, s.name(), String.valueOf(TASKS));
        // The worker holds the last task, undone, until the gate opens.
        ChildJvms.awaitCondition("the worker holding the last task", 30, () -> holding.get() == 1);
        assertEquals(TASKS - 1, processed.get());
        assertEquals(1, tasks.unfinishedTasks());
        assertFalse(tasks.join(Duration.ofMillis(200)), "one task is not done: join must not return true");
        Background<Boolean> joiner = Background.start("joiner", () -> tasks.join(60, TimeUnit.SECONDS));

        gate.put("go");
        assertTrue(joiner.get(60), "join returned once every task was done");
        assertEquals(TASKS, processed.get(), "every task was processed before join returned");
        assertEquals(0, tasks.unfinishedTasks());
        assertTrue(tasks.join(0, TimeUnit.SECONDS));
        ChildJvms.awaitSuccess(worker, 30); // the worker also saw one taskDone() too many refused

        tasks.put("one more");
        assertFalse(tasks.join(0, TimeUnit.SECONDS), "a new task is unfinished again");
        assertEquals(1, tasks.unfinishedTasks());
    }
}
