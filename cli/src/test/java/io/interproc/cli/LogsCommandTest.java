package io.interproc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.cli.CliRunner.Result;
import io.interproc.core.Segment;
import io.interproc.core.SegmentOptions;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.logging.FullQueuePolicy;
import io.interproc.logging.LogEvent;
import io.interproc.logging.LogLevel;
import io.interproc.logging.LogPublisher;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code interproc logs NAME}: prints and takes the records of a log queue. */
class LogsCommandTest {
    @TempDir
    Path dir;

    @Test
    void shouldPrintAndTakeTheQueuedRecordsInOrder() throws Exception {
        try (Segment s = Segment.create("logs-seg", 4 << 20, SegmentOptions.defaults().withDirectory(dir))) {
            SharedQueue<LogEvent> q = SharedQueue.create(s, "app", 1 << 16, LogEvent.codec());
            LogPublisher p = LogPublisher.on(q, FullQueuePolicy.defaults(), "worker-1");
            p.publish(Instant.now(), LogLevel.INFO, "app.Main", "main", "started", null, Map.of());
            q.putBytes(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            p.publish(Instant.now(), LogLevel.ERROR, "app.Main", "main", "failed", "java.lang.Error: x", Map.of());

            Result r = CliRunner.run(dir, "logs", "logs-seg", "--queue=app");
            assertEquals(Interproc.OK, r.code(), r::toString);
            String[] lines = r.out().split("\n");
            assertEquals(4, lines.length, r::toString);
            assertTrue(lines[0].contains(" INFO  [worker-1[" + ProcessHandle.current().pid() + "]/main] app.Main #0 - started"),
                    lines[0]);
            assertTrue(lines[1].startsWith("# skipped a record that is not a log record"), lines[1]);
            assertTrue(lines[2].contains(" ERROR ") && lines[2].endsWith("#1 - failed"), lines[2]);
            assertEquals("java.lang.Error: x", lines[3]);
            assertTrue(q.isEmpty(), "the records were taken");
        }
    }

    @Test
    void shouldRefuseBadUsageAndAMissingQueue() {
        try (Segment s = Segment.create("logs-seg", 1 << 20, SegmentOptions.defaults().withDirectory(dir))) {
            assertEquals(Interproc.USAGE, CliRunner.run(dir, "logs").code());
            assertEquals(Interproc.USAGE, CliRunner.run(dir, "logs", "logs-seg", "--tail").code());
            assertEquals(Interproc.USAGE, CliRunner.run(dir, "logs", "logs-seg", "other").code());
            Result missing = CliRunner.run(dir, "logs", s.name());
            assertEquals(Interproc.FAILED, missing.code(), missing::toString);
            assertTrue(missing.err().contains("logs"), missing::toString);
            assertEquals(Interproc.FAILED, CliRunner.run(dir, "logs", "no-such-segment").code());
        }
    }
}
