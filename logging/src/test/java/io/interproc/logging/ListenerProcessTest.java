package io.interproc.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.process.JvmProcess;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link LogListener#main} as a process of its own: writes a file, and drains the queue on SIGTERM. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ListenerProcessTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();
    @TempDir
    Path dir;

    @Test
    void shouldWriteEveryRecordToTheFileAndDrainWhenTerminated() throws Exception {
        Segment s = segments.create(4 << 20);
        SharedQueue<LogEvent> q = SharedQueue.create(s, "app", 1 << 16, LogEvent.codec());
        LogPublisher p = LogPublisher.on(q, FullQueuePolicy.defaults(), "parent");
        Path file = dir.resolve("app.log");
        JvmProcess listener = children.start(LogListener.class, s.name(), "app", "--out", file.toString());
        for (int i = 0; i < 50; i++) {
            assertTrue(p.publish(Instant.now(), LogLevel.INFO, "l", "main", "first " + i, null, Map.of()));
        }
        ChildJvms.awaitCondition("the listener process took the first batch", 60, q::isEmpty);
        for (int i = 0; i < 50; i++) {
            assertTrue(p.publish(Instant.now(), LogLevel.INFO, "l", "main", "second " + i, null, Map.of()));
        }
        listener.terminate(); // SIGTERM: the shutdown hook drains the queue, flushes and closes the file
        assertTrue(listener.join(60, TimeUnit.SECONDS), "the listener process exited");
        assertTrue(q.isEmpty(), "drained before it exited");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(100, lines.size(), () -> String.join("\n", lines) + "\n" + listener.errorOutput());
        for (int i = 0; i < 100; i++) {
            String expected = (i < 50 ? "first " : "second ") + (i % 50);
            assertTrue(lines.get(i).endsWith("] l #" + i + " - " + expected), lines.get(i));
        }
    }
}
