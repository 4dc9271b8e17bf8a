package io.interproc.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.queue.SharedQueue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import ch.qos.logback.classic.LoggerContext;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;

/** The JUL handler (and System.Logger through it), the Logback appender and the Log4j2 appender in one JVM. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HandlersTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    private SharedQueue<LogEvent> queue(Segment s) {
        return SharedQueue.create(s, "logs", 1 << 16, LogEvent.codec());
    }

    @Test
    void shouldPutJulRecordsWithFormattedMessageLevelAndStackTrace() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedQueue<LogEvent> q = queue(s);
        SharedQueueHandler handler = new SharedQueueHandler(LogPublisher.on(q, FullQueuePolicy.defaults(), "jul"));
        Logger logger = Logger.getLogger("test.jul." + s.name());
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
        try {
            logger.log(Level.FINE, "order {0} paid", 42);
            logger.log(Level.SEVERE, "failed", new IllegalStateException("boom"));
            handler.setLevel(Level.INFO);
            logger.fine("below the handler's level");
        } finally {
            logger.removeHandler(handler);
        }
        LogEvent fine = q.poll(5, TimeUnit.SECONDS);
        assertEquals("order 42 paid", fine.message());
        assertEquals(LogLevel.DEBUG, fine.level());
        assertEquals(logger.getName(), fine.logger());
        assertEquals(Thread.currentThread().getName(), fine.thread());
        assertNull(fine.throwable());
        LogEvent severe = q.poll(5, TimeUnit.SECONDS);
        assertEquals(LogLevel.ERROR, severe.level());
        assertTrue(severe.throwable().startsWith("java.lang.IllegalStateException: boom"), severe.throwable());
        assertTrue(severe.throwable().contains("HandlersTest"), severe.throwable());
        assertNull(q.poll());
        assertEquals(0, handler.dropped());
    }

    @Test
    void shouldCoverSystemLoggerUsersThroughJul() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedQueue<LogEvent> q = queue(s);
        SharedQueueHandler handler = new SharedQueueHandler(LogPublisher.on(q, FullQueuePolicy.defaults(), "sys"));
        String name = "test.system." + s.name();
        Logger jul = Logger.getLogger(name);
        jul.setUseParentHandlers(false);
        jul.addHandler(handler);
        try {
            System.Logger logger = System.getLogger(name);
            logger.log(System.Logger.Level.WARNING, "disk {0} at {1}%", "sda", 93);
        } finally {
            jul.removeHandler(handler);
        }
        LogEvent e = q.poll(5, TimeUnit.SECONDS);
        assertNotNull(e, "a System.Logger record reached the JUL handler");
        assertEquals("disk sda at 93%", e.message());
        assertEquals(LogLevel.WARN, e.level());
        assertEquals(name, e.logger());
    }

    @Test
    void shouldConfigureTheJulHandlerFromLoggingProperties() throws Exception {
        String name = segments.newName();
        String p = SharedQueueHandler.class.getName();
        String props = p + ".segment=" + name + "\n" + p + ".queue=app\n" + p + ".capacity=65536\n" + p
                + ".policy=DROP_AND_COUNT\n" + p + ".process=from-properties\n" + p + ".level=WARNING\n";
        LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(props.getBytes(StandardCharsets.ISO_8859_1)));
        SharedQueueHandler handler;
        try {
            handler = new SharedQueueHandler();
        } finally {
            LogManager.getLogManager().readConfiguration();
        }
        try {
            assertEquals(Level.WARNING, handler.getLevel());
            assertEquals(FullQueuePolicy.dropAndCount(), handler.publisher().policy());
            handler.publish(new java.util.logging.LogRecord(Level.INFO, "filtered out"));
            handler.publish(new java.util.logging.LogRecord(Level.WARNING, "kept"));
        } finally {
            handler.close();
        }
        try (Segment s = segments.track(Segment.open(name))) {
            SharedQueue<LogEvent> q = SharedQueue.open(s, "app", LogEvent.codec());
            LogEvent e = q.poll(5, TimeUnit.SECONDS);
            assertEquals("kept", e.message());
            assertEquals("from-properties", e.process());
            assertNull(q.poll());
        }
    }

    @Test
    void shouldPutLogbackEventsWithMdcAndKeyValues() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedQueue<LogEvent> q = queue(s);
        LoggerContext ctx = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        io.interproc.logging.logback.SharedQueueAppender appender =
                new io.interproc.logging.logback.SharedQueueAppender(LogPublisher.on(q, FullQueuePolicy.defaults(), "lb"));
        appender.setContext(ctx);
        appender.setName("shared-" + s.name());
        appender.start();
        ch.qos.logback.classic.Logger logger = ctx.getLogger("test.logback." + s.name());
        logger.setAdditive(false);
        logger.setLevel(ch.qos.logback.classic.Level.TRACE);
        logger.addAppender(appender);
        try {
            MDC.put("request", "r-7");
            logger.atWarn().addKeyValue("order", 42).log("order {} late", 42);
            MDC.remove("request");
            logger.error("failed", new IllegalArgumentException("bad"));
            logger.trace("fine detail");
        } finally {
            logger.detachAppender(appender);
            appender.stop();
        }
        LogEvent warn = q.poll(5, TimeUnit.SECONDS);
        assertEquals("order 42 late", warn.message());
        assertEquals(LogLevel.WARN, warn.level());
        assertEquals(Map.of("request", "r-7", "order", "42"), warn.context());
        LogEvent error = q.poll(5, TimeUnit.SECONDS);
        assertTrue(error.throwable().startsWith("java.lang.IllegalArgumentException: bad"), error.throwable());
        assertEquals(LogLevel.TRACE, q.poll(5, TimeUnit.SECONDS).level());
        assertEquals(0, appender.dropped());
    }

    @Test
    void shouldPutLog4jEventsWithThreadContext() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedQueue<LogEvent> q = queue(s);
        org.apache.logging.log4j.core.LoggerContext ctx =
                (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        io.interproc.logging.log4j.SharedQueueAppender appender = io.interproc.logging.log4j.SharedQueueAppender
                .create("shared-" + s.name(), LogPublisher.on(q, FullQueuePolicy.defaults(), "l4j"));
        appender.start();
        String name = "test.log4j." + s.name();
        LoggerConfig config = new LoggerConfig(name, org.apache.logging.log4j.Level.ALL, false);
        config.addAppender(appender, org.apache.logging.log4j.Level.ALL, null);
        cfg.addLogger(name, config);
        ctx.updateLoggers();
        try {
            org.apache.logging.log4j.Logger logger = org.apache.logging.log4j.LogManager.getLogger(name);
            ThreadContext.put("tenant", "acme");
            logger.info("shipped {} parcels", 3);
            ThreadContext.remove("tenant");
            logger.fatal("down", new IllegalStateException("fatal"));
            logger.debug("detail");
        } finally {
            cfg.removeLogger(name);
            ctx.updateLoggers();
            appender.stop();
        }
        LogEvent info = q.poll(5, TimeUnit.SECONDS);
        assertEquals("shipped 3 parcels", info.message());
        assertEquals(Map.of("tenant", "acme"), info.context());
        assertEquals(LogLevel.INFO, info.level());
        assertEquals(name, info.logger());
        LogEvent fatal = q.poll(5, TimeUnit.SECONDS);
        assertEquals(LogLevel.ERROR, fatal.level());
        assertTrue(fatal.throwable().startsWith("java.lang.IllegalStateException: fatal"), fatal.throwable());
        assertEquals(LogLevel.DEBUG, q.poll(5, TimeUnit.SECONDS).level());
    }

    @Test
    void shouldCreateTheLog4jAppenderByNameAsAConfigurationFileDoes() throws Exception {
        assertNotNull(getClass().getClassLoader().getResource(
                "META-INF/org/apache/logging/log4j/core/config/plugins/Log4j2Plugins.dat"),
                "the plugin index that lets log4j2.xml name <SharedQueue>");
        String name = segments.newName();
        io.interproc.logging.log4j.SharedQueueAppender appender = io.interproc.logging.log4j.SharedQueueAppender
                .createAppender("file-configured", name, null, "65536", "BLOCK:1s", "p", null);
        assertNotNull(appender);
        appender.start();
        appender.append(org.apache.logging.log4j.core.impl.Log4jLogEvent.newBuilder().setLoggerName("x")
                .setLevel(org.apache.logging.log4j.Level.WARN)
                .setMessage(new org.apache.logging.log4j.message.SimpleMessage("from a file")).build());
        appender.stop();
        try (Segment s = segments.track(Segment.open(name))) {
            LogEvent e = SharedQueue.open(s, LogPublisher.DEFAULT_QUEUE, LogEvent.codec()).poll(5, TimeUnit.SECONDS);
            assertEquals("from a file", e.message());
            assertEquals(LogLevel.WARN, e.level());
        }
        assertNull(io.interproc.logging.log4j.SharedQueueAppender.createAppender("no-segment", null, null, null, null,
                null, null));
    }
}
