package io.interproc.context.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Codec;
import io.interproc.core.shared.JoinableBlockingQueue;
import io.interproc.core.shared.PutGetQueue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Contract of {@code Context.queue}, {@code joinableQueue} and {@code simpleQueue}. */
public abstract class QueueContract extends ContextContract {

    @Test
    void firstInFirstOutAcrossHandles() throws Exception {
        String name = unique("queue");
        BlockingQueue<String> in = provided(() -> context().queue(name, Codec.utf8()));
        BlockingQueue<String> out = context().queue(name, Codec.utf8());
        assertNull(out.poll());
        assertNull(out.poll(10, TimeUnit.MILLISECONDS));
        assertTrue(in.offer("a"));
        in.put("b");
        assertTrue(in.offer("c", 1, TimeUnit.SECONDS));
        assertEquals(3, out.size());
        assertEquals("a", out.take());
        assertEquals("b", out.poll(1, TimeUnit.SECONDS));
        List<String> rest = new ArrayList<>();
        assertEquals(1, out.drainTo(rest, 10));
        assertEquals(List.of("c"), rest);
        assertTrue(out.isEmpty());
        assertThrows(NullPointerException.class, () -> in.offer(null));
    }

    @Test
    void takeWaitsForAPut() throws Exception {
        String name = unique("queue");
        BlockingQueue<Long> q = provided(() -> context().queue(name, Codec.longs()));
        Future<Long> taker = async(() -> context().queue(name, Codec.longs()).take());
        q.put(42L);
        assertEquals(42L, result(taker));
    }

    @Test
    void joinWaitsForEveryTaskDone() throws Exception {
        String name = unique("jqueue");
        JoinableBlockingQueue<String> q = provided(() -> context().joinableQueue(name, Codec.utf8()));
        assertTrue(q.join(0, TimeUnit.MILLISECONDS), "nothing to do");
        q.put("x");
        q.put("y");
        assertEquals(2, q.unfinishedTasks());
        Future<Boolean> joiner = async(() -> context().joinableQueue(name, Codec.utf8())
                .join(DEADLINE_SECONDS, TimeUnit.SECONDS));
        assertEquals("x", q.take());
        q.taskDone();
        assertFalse(q.join(10, TimeUnit.MILLISECONDS));
        assertEquals("y", q.poll(1, TimeUnit.SECONDS));
        q.taskDone();
        assertTrue(result(joiner));
        assertEquals(0, q.unfinishedTasks());
        assertThrows(IllegalStateException.class, q::taskDone);
    }

    @Test
    void simpleQueuePutGet() throws Exception {
        String name = unique("squeue");
        PutGetQueue<String> q = provided(() -> context().simpleQueue(name, Codec.utf8()));
        assertTrue(q.isEmpty());
        Future<String> getter = async(() -> context().simpleQueue(name, Codec.utf8()).get());
        q.put("hello");
        assertEquals("hello", result(getter));
        q.put("1");
        q.put("2");
        assertFalse(q.isEmpty());
        assertEquals("1", q.get());
        assertEquals("2", q.get());
        assertTrue(q.isEmpty());
    }
}
