package io.interproc.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.logging.children.LoggingChild;
import io.interproc.process.JvmProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Four child JVMs log through JUL, System.Logger, Logback and Log4j2 into one queue while one
 * listener in this JVM takes the records; one child (Logback) is killed with SIGKILL in the middle
 * of its stream. The listener's output holds every record the survivors logged and every record
 * the killed one completed, each exactly once and in the order each source logged them.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CrossJvmLoggingTest {
    private static final int RECORDS = 300;
    private static final long KILL_AFTER = 100;

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    @Test
    void shouldCollectEveryCompletedRecordOfFourJvmsExactlyOnceInOrderWhenOneIsKilled() throws Exception {
        Segment s = segments.create(4 << 20);
        // A small ring, so the writers also block for room now and then.
        SharedQueue<LogEvent> queue = SharedQueue.create(s, "logs", 1 << 16, LogEvent.codec());
        List<LogEvent> out = Collections.synchronizedList(new ArrayList<>());
        LogListener listener = LogListener.start(queue, out::add);
        try {
            String[] frameworks = {"jul", "system", "log4j", "logback"};
            Map<String, JvmProcess> started = new LinkedHashMap<>();
            Map<String, SharedLong> progress = new LinkedHashMap<>();
            for (String f : frameworks) {
                boolean killed = f.equals("logback");
                progress.put(f, SharedLong.create(s, "progress-" + f));
                started.put(f, children.start(LoggingChild.class, f, s.name(), "logs",
                        killed ? "-1" : String.valueOf(RECORDS), "progress-" + f));
            }
            JvmProcess victim = started.get("logback");
            ChildJvms.awaitCondition("the logback child logged " + KILL_AFTER + " records", 120,
                    () -> progress.get("logback").get() >= KILL_AFTER || !victim.isAlive());
            assertTrue(victim.isAlive(), () -> "the logback child died early:\n" + victim.errorOutput());
            victim.kill();
            assertTrue(victim.join(30, TimeUnit.SECONDS), "killed child exited");
            long completed = progress.get("logback").get();
            for (String f : List.of("jul", "system", "log4j")) {
                ChildJvms.awaitSuccess(started.get(f), 120);
            }
            assertTrue(listener.stop(Duration.ofSeconds(60)), "the listener drained the queue");
            assertEquals(0, listener.undecodable());
            assertEquals(0, queue.partialsDiscarded(), "whole messages only: a record is one message");

            List<LogEvent> all = new ArrayList<>(out);
            for (String f : frameworks) {
                long pid = started.get(f).pid();
                List<String> messages = new ArrayList<>();
                long lastSequence = -1;
                for (LogEvent e : all) {
                    if (e.pid() == pid && e.logger().equals(LoggingChild.LOGGER_PREFIX + f)) {
                        assertTrue(e.sequence() > lastSequence, () -> "sequence order of " + f + " at " + e);
                        lastSequence = e.sequence();
                        assertEquals(f + "-child", e.process());
                        assertEquals("main", e.thread());
                        assertEquals(LogLevel.INFO, e.level());
                        messages.add(e.message());
                    }
                }
                long expected = f.equals("logback") ? messages.size() : RECORDS;
                if (f.equals("logback")) {
                    // Every record whose logging call returned is there; the one in flight at the
                    // kill may be there or not, but never in part.
                    assertTrue(expected == completed || expected == completed + 1,
                            "killed child: " + expected + " records collected, " + completed + " completed");
                }
                for (int i = 0; i < messages.size(); i++) {
                    assertEquals("record " + i, messages.get(i), f + ": each record once, in order");
                }
                assertEquals(expected, messages.size(), f + ": record count");
            }
        } finally {
            listener.stop(Duration.ofSeconds(10));
        }
    }
}
