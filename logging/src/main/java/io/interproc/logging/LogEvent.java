package io.interproc.logging;

import io.interproc.core.Codec;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One log record as it travels between JVMs: when, how severe, which logger and thread, which
 * process, and the message already formatted (parameters substituted, so nothing of the logging
 * JVM's classes has to exist in the listener's). An immutable value; any thread may use it. The
 * constructor refuses {@code null} for every component but {@code throwable}, and for a key or
 * value of {@code context}, which it copies.
 *
 * @param time when it was logged
 * @param level its severity
 * @param logger the logger's name (may be empty: JUL's root logger)
 * @param thread the name of the thread that logged it
 * @param pid the operating-system id of the process that logged it
 * @param process the name the logging process gave itself (see {@link LogPublisher}), by default
 *     {@code pid@host}
 * @param sequence the position of the record among those its {@link LogPublisher} published, from
 *     0; a gap means the records in between were dropped (see {@link FullQueuePolicy})
 * @param message the formatted message
 * @param throwable the stack trace of the exception logged with it, as text, or {@code null}
 * @param context the MDC / thread-context map and key-value pairs logged with it, in order
 */
public record LogEvent(Instant time, LogLevel level, String logger, String thread, long pid, String process,
        long sequence, String message, String throwable, Map<String, String> context) {
    /**
     * Checks the components and copies {@code context}. Any thread may call this.
     *
     * @param time when it was logged
     * @param level its severity
     * @param logger the logger's name
     * @param thread the logging thread's name
     * @param pid the logging process's id
     * @param process the logging process's name
     * @param sequence its position among its publisher's records
     * @param message the formatted message
     * @param throwable the stack trace as text, or {@code null}
     * @param context MDC and key-value pairs
     * @throws NullPointerException if a component other than {@code throwable} is null, or a key or
     *     value of {@code context} is
     */
    public LogEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(logger, "logger");
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(context, "context");
        Map<String, String> copy = new LinkedHashMap<>();
        context.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "context key"),
                Objects.requireNonNull(v, () -> "context value of " + k)));
        context = Collections.unmodifiableMap(copy);
    }

    /**
     * The codec of log records on a queue ({@link LogEventCodec}): bounded field sizes, and any
     * bytes it cannot read are a {@link io.interproc.core.CodecException}. Any thread may call this.
     *
     * @return the codec
     */
    public static Codec<LogEvent> codec() {
        return LogEventCodec.INSTANCE;
    }

    /** @return the source as {@code process[pid]/thread}, how sinks name where a record came from */
    public String source() {
        return process + "[" + pid + "]/" + thread;
    }
}
