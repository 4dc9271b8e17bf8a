package io.interproc.ipc.children;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.ipc.queue.JoinableQueue;
import io.interproc.ipc.queue.SharedQueue;

/**
 * Worker JVM of the JoinableQueue test: takes n tasks from the JoinableQueue "tasks", adding each
 * to the SharedLong "processed" before calling taskDone(). It holds the last task, with
 * "holding" set to 1, until the test puts a message into the SharedQueue "gate". Then it checks
 * that one taskDone() too many is refused with the documented message. Args: segment, n.
 */
public final class JoinableWorkerChild {
    private JoinableWorkerChild() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[1]);
        try (Segment segment = Segment.open(args[0])) {
            JoinableQueue<String> tasks = JoinableQueue.open(segment, "tasks", Codec.utf8());
            SharedQueue<String> gate = SharedQueue.open(segment, "gate", Codec.utf8());
            SharedLong processed = SharedLong.open(segment, "processed");
            SharedLong holding = SharedLong.open(segment, "holding");
            for (int i = 0; i < n; i++) {
                String task = tasks.take();
                if (!task.equals("task-" + i)) {
                    throw new AssertionError("expected task-" + i + ", took " + task);
                }
                if (i == n - 1) {
                    holding.set(1);
                    gate.take();
                }
                processed.incrementAndGet();
                tasks.taskDone();
            }
            try {
                tasks.taskDone();
                throw new AssertionError("taskDone() once too often was accepted");
            } catch (IllegalStateException expected) {
                String message = "taskDone() called more times than items were taken from JoinableQueue 'tasks': taken="
                        + n + ", done=" + n;
                if (!expected.getMessage().equals(message)) {
                    throw new AssertionError("expected message: " + message + "\nbut was: " + expected.getMessage());
                }
            }
            System.out.println("worker did " + n);
        }
    }
}
