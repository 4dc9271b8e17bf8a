package io.interproc.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.logging.slf4j.Slf4jSink;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The listener: arrival order, drain on stop, unreadable records and failing sinks, and its sinks. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LogListenerTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    private SharedQueue<LogEvent> queue() {
        return SharedQueue.create(segments.create(4 << 20), "logs", 1 << 20, LogEvent.codec());
    }

    private static LogEvent event(long sequence, String message) {
        return new LogEvent(Instant.parse("2026-01-02T03:04:05.678Z"), LogLevel.WARN, "app.Orders", "worker", 77,
                "proc", sequence, message, null, Map.of("k", "v"));
    }

    @Test
    void shouldDrainEverythingQueuedBeforeStopInArrivalOrder() throws Exception {
        SharedQueue<LogEvent> q = queue();
        LogPublisher p = LogPublisher.on(q, FullQueuePolicy.defaults(), "p");
        for (int i = 0; i < 500; i++) {
            assertTrue(p.publish(Instant.now(), LogLevel.INFO, "l", "t", "m" + i, null, Map.of()));
        }
        List<LogEvent> out = Collections.synchronizedList(new ArrayList<>());
        LogListener listener = LogListener.start(q, out::add);
        assertTrue(listener.stop(Duration.ofSeconds(30)));
        assertFalse(listener.isRunning());
        assertEquals(500, out.size());
        for (int i = 0; i < 500; i++) {
            assertEquals("m" + i, out.get(i).message());
        }
        assertEquals(500, listener.written());
        assertTrue(q.isEmpty());
        assertTrue(listener.stop(Duration.ofSeconds(1)), "stop is idempotent");
    }

    @Test
    void shouldWriteRecordsAsTheyArriveWhileRunning() throws Exception {
        SharedQueue<LogEvent> q = queue();
        List<LogEvent> out = Collections.synchronizedList(new ArrayList<>());
        try (LogListener listener = LogListener.start(q, out::add)) {
            q.put(event(0, "live"));
            ChildJvms.awaitCondition("the record written", 30, () -> out.size() == 1);
            assertTrue(listener.isRunning());
        }
    }

    @Test
    void shouldSkipAndCountUnreadableRecordsAndSinkFailures() throws Exception {
        SharedQueue<LogEvent> q = queue();
        q.put(event(0, "before"));
        q.putBytes(ByteBuffer.wrap("not a log record".getBytes(StandardCharsets.UTF_8)));
        q.put(event(1, "boom"));
        q.put(event(2, "after"));
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        LogSink failing = e -> {
            if (e.message().equals("boom")) {
                throw new IllegalStateException("sink failed");
            }
        };
        LogListener listener = LogListener.start(q, failing, e -> out.add(e.message()));
        assertTrue(listener.stop(Duration.ofSeconds(30)));
        assertEquals(List.of("before", "boom", "after"), out, "a failing sink does not stop the others");
        assertEquals(1, listener.undecodable());
        assertEquals(1, listener.sinkFailures());
        assertEquals(3, listener.written());
        assertThrows(IllegalArgumentException.class, () -> LogListener.start(q));
    }

    @Test
    void shouldHandRecordsToAJulHandlerWithTheirSource() throws Exception {
        SharedQueue<LogEvent> q = queue();
        List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        q.put(event(5, "paid {0}"));
        q.put(new LogEvent(Instant.EPOCH, LogLevel.ERROR, "x", "t", 1, "p", 0, "failed", "java.lang.Error: e\n",
                Map.of()));
        LogListener listener = LogListener.start(q, LogSink.jul(handler));
        assertTrue(listener.stop(Duration.ofSeconds(30)));
        LogRecord r = records.get(0);
        assertEquals(Level.WARNING, r.getLevel());
        assertEquals("app.Orders", r.getLoggerName());
        assertEquals(Instant.parse("2026-01-02T03:04:05.678Z"), r.getInstant());
        assertEquals("[proc[77]/worker] paid {0}", r.getMessage());
        assertEquals("[proc[77]/worker] paid {0}", new java.util.logging.SimpleFormatter().formatMessage(r),
                "braces are printed as they are");
        assertEquals(5, r.getSequenceNumber());
        assertTrue(records.get(1).getMessage().endsWith("java.lang.Error: e\n"), records.get(1).getMessage());
    }

    @Test
    void shouldLogThroughSlf4jWithTheSourceInMdcAndKeyValues() throws Exception {
        SharedQueue<LogEvent> q = queue();
        LoggerContext ctx = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        ListAppender<ILoggingEvent> list = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent e) {
                e.prepareForDeferredProcessing(); // copies the MDC now, as an asynchronous appender does
                super.append(e);
            }
        };
        list.setContext(ctx);
        list.start();
        String name = "sink.test." + q.name() + System.nanoTime();
        ch.qos.logback.classic.Logger logger = ctx.getLogger(name);
        logger.setAdditive(false);
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        logger.addAppender(list);
        try {
            q.put(new LogEvent(Instant.EPOCH, LogLevel.WARN, name, "worker", 77, "proc", 3, "x {} y", null,
                    Map.of("k", "v")));
            q.put(new LogEvent(Instant.EPOCH, LogLevel.DEBUG, name, "worker", 77, "proc", 4, "filtered", null,
                    Map.of()));
            LogListener listener = LogListener.start(q, Slf4jSink.byLoggerName());
            assertTrue(listener.stop(Duration.ofSeconds(30)));
        } finally {
            logger.detachAppender(list);
        }
        assertEquals(1, list.list.size());
        ILoggingEvent e = list.list.get(0);
        assertEquals("x {} y", e.getFormattedMessage());
        assertEquals(ch.qos.logback.classic.Level.WARN, e.getLevel());
        assertEquals("proc", e.getMDCPropertyMap().get(Slf4jSink.PROCESS));
        assertEquals("77", e.getMDCPropertyMap().get(Slf4jSink.PID));
        assertEquals("worker", e.getMDCPropertyMap().get(Slf4jSink.THREAD));
        assertEquals("3", e.getMDCPropertyMap().get(Slf4jSink.SEQUENCE));
        assertEquals("v", e.getMDCPropertyMap().get("k"));
        assertTrue(e.getKeyValuePairs().stream().anyMatch(kv -> kv.key.equals(Slf4jSink.THREAD) && kv.value.equals("worker")));
        assertEquals(null, org.slf4j.MDC.get(Slf4jSink.PROCESS), "the MDC is left as it was");
    }

    @Test
    void shouldPrintOneLinePerRecordAndTheStackTraceBelow() throws Exception {
        SharedQueue<LogEvent> q = queue();
        q.put(event(9, "hello"));
        q.put(new LogEvent(Instant.EPOCH, LogLevel.ERROR, "x", "t", 1, "p", 0, "failed", "java.lang.Error: e",
                Map.of()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        LogListener listener = LogListener.start(q, LogSink.print(out));
        assertTrue(listener.stop(Duration.ofSeconds(30)));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length, String.join("\n", lines));
        assertTrue(lines[0].endsWith(" WARN  [proc[77]/worker] app.Orders #9 - hello {k=v}"), lines[0]);
        assertTrue(lines[1].endsWith(" ERROR [p[1]/t] x #0 - failed"), lines[1]);
        assertEquals("java.lang.Error: e", lines[2]);
    }

    @Test
    void shouldStopWhenItsSegmentCloses() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedQueue<LogEvent> q = SharedQueue.create(s, "logs", 1 << 16, LogEvent.codec());
        LogListener listener = LogListener.start(q, e -> { });
        s.close();
        assertTrue(listener.awaitStopped(Duration.ofSeconds(30)));
        assertTrue(listener.lastFailure() instanceof IllegalStateException, String.valueOf(listener.lastFailure()));
    }
}
