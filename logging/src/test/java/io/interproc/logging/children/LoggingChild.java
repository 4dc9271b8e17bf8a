package io.interproc.logging.children;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.logging.FullQueuePolicy;
import io.interproc.logging.LogPublisher;
import io.interproc.logging.SharedQueueHandler;

import java.time.Duration;
import java.util.logging.Handler;
import java.util.logging.LogManager;

import ch.qos.logback.classic.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;

/**
 * Child JVM for the cross-JVM logging tests: logs {@code record 0}, {@code record 1}, ... through
 * one framework into the log queue, setting a shared counter to the number of records whose
 * logging call has returned after each one.
 *
 * <p>Arguments: {@code FRAMEWORK SEGMENT QUEUE COUNT PROGRESS}, FRAMEWORK one of {@code jul},
 * {@code system} (System.Logger over JUL), {@code logback}, {@code log4j}; COUNT -1 logs until
 * killed; PROGRESS the name of a SharedLong in SEGMENT.
 */
public final class LoggingChild {
    /** The logger name the records are logged under: this prefix and the framework. */
    public static final String LOGGER_PREFIX = "child.";

    private LoggingChild() {
    }

    /**
     * @param args see the class doc
     * @throws Exception on any failure (exit code 1)
     */
    public static void main(String[] args) throws Exception {
        String framework = args[0];
        String segmentName = args[1];
        String queue = args[2];
        long count = Long.parseLong(args[3]);
        LogPublisher publisher = LogPublisher.open(segmentName, queue, 1 << 16,
                FullQueuePolicy.block(Duration.ofSeconds(120)), framework + "-child");
        try (Segment segment = Segment.open(segmentName)) {
            SharedLong progress = SharedLong.open(segment, args[4]);
            Runnable close;
            Logging log;
            String loggerName = LOGGER_PREFIX + framework;
            switch (framework) {
                case "jul", "system" -> {
                    LogManager.getLogManager().reset();
                    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
                    Handler handler = new SharedQueueHandler(publisher);
                    root.addHandler(handler);
                    root.setLevel(java.util.logging.Level.INFO);
                    if (framework.equals("jul")) {
                        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(loggerName);
                        log = logger::info;
                    } else {
                        System.Logger logger = System.getLogger(loggerName);
                        log = m -> logger.log(System.Logger.Level.INFO, m);
                    }
                    close = handler::close;
                }
                case "logback" -> {
                    LoggerContext ctx = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
                    ctx.reset();
                    io.interproc.logging.logback.SharedQueueAppender appender =
                            new io.interproc.logging.logback.SharedQueueAppender(publisher);
                    appender.setContext(ctx);
                    appender.setName("shared");
                    appender.start();
                    ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
                    root.addAppender(appender);
                    root.setLevel(ch.qos.logback.classic.Level.INFO);
                    org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(loggerName);
                    log = logger::info;
                    close = appender::stop;
                }
                case "log4j" -> {
                    org.apache.logging.log4j.core.LoggerContext ctx =
                            (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
                    Configuration cfg = ctx.getConfiguration();
                    io.interproc.logging.log4j.SharedQueueAppender appender =
                            io.interproc.logging.log4j.SharedQueueAppender.create("shared", publisher);
                    appender.start();
                    cfg.addAppender(appender);
                    LoggerConfig root = cfg.getRootLogger();
                    root.addAppender(appender, org.apache.logging.log4j.Level.INFO, null);
                    root.setLevel(org.apache.logging.log4j.Level.INFO);
                    ctx.updateLoggers();
                    org.apache.logging.log4j.Logger logger = org.apache.logging.log4j.LogManager.getLogger(loggerName);
                    log = logger::info;
                    close = appender::stop;
                }
                default -> throw new IllegalArgumentException("no framework " + framework);
            }
            for (long i = 0; count < 0 || i < count; i++) {
                log.info("record " + i);
                progress.set(i + 1);
            }
            close.run();
            if (publisher.dropped() != 0) {
                throw new AssertionError("dropped " + publisher.dropped() + " records");
            }
        }
    }

    /** One logging call of the chosen framework. */
    private interface Logging {
        void info(String message);
    }
}
