package io.interproc.logging.slf4j;

import io.interproc.logging.LogEvent;
import io.interproc.logging.LogSink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * A {@link LogSink} that logs each record through SLF4J (2.x; an optional dependency of this
 * module), at the record's level, to the logger of the record's name ({@link #byLoggerName()}) or to
 * one logger ({@link #to}). The source is in the MDC while the record is logged, and as key-value
 * pairs: {@value #PROCESS}, {@value #PID}, {@value #THREAD}, {@value #TIME} (the original time,
 * ISO-8601: the SLF4J back-end stamps the record with the listener's time) and
 * {@value #SEQUENCE}, with the record's own context beside them; so a pattern such as
 * {@code %X{source.process}[%X{source.pid}]/%X{source.thread}} prints it. The stack trace text
 * follows the message on the next line. Used by the listener's one thread.
 */
public final class Slf4jSink implements LogSink {
    /** MDC and key-value name of the source process's name. */
    public static final String PROCESS = "source.process";
    /** MDC and key-value name of the source process's pid. */
    public static final String PID = "source.pid";
    /** MDC and key-value name of the source thread. */
    public static final String THREAD = "source.thread";
    /** MDC and key-value name of the time the source logged the record. */
    public static final String TIME = "source.time";
    /** MDC and key-value name of the record's sequence number at its source. */
    public static final String SEQUENCE = "source.sequence";

    private final Logger logger;

    private Slf4jSink(Logger logger) {
        this.logger = logger;
    }

    /** @return a sink that logs each record to the SLF4J logger of the record's logger name */
    public static Slf4jSink byLoggerName() {
        return new Slf4jSink(null);
    }

    /**
     * @param logger the logger every record goes to
     * @return the sink
     */
    public static Slf4jSink to(Logger logger) {
        return new Slf4jSink(Objects.requireNonNull(logger, "logger"));
    }

    @Override
    public void write(LogEvent e) {
        Logger l = logger != null ? logger : LoggerFactory.getLogger(e.logger().isEmpty() ? Logger.ROOT_LOGGER_NAME : e.logger());
        Level level = Level.valueOf(e.level().name());
        if (!l.isEnabledForLevel(level)) {
            return;
        }
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put(PROCESS, e.process());
        fields.put(PID, Long.toString(e.pid()));
        fields.put(THREAD, e.thread());
        fields.put(TIME, e.time().toString());
        fields.put(SEQUENCE, Long.toString(e.sequence()));
        e.context().forEach(fields::putIfAbsent);
        List<String> put = new ArrayList<>(fields.size());
        try {
            LoggingEventBuilder b = l.atLevel(level);
            for (Map.Entry<String, String> kv : fields.entrySet()) {
                MDC.put(kv.getKey(), kv.getValue());
                put.add(kv.getKey());
                b = b.addKeyValue(kv.getKey(), kv.getValue());
            }
            b.setMessage(e.throwable() == null ? e.message() : e.message() + System.lineSeparator() + e.throwable())
                    .log();
        } finally {
            for (String key : put) {
                MDC.remove(key);
            }
        }
    }
}
