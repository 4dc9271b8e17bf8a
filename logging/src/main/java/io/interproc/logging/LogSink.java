package io.interproc.logging;

import java.io.PrintStream;
import java.util.Objects;
import java.util.logging.Handler;

/**
 * Where a {@link LogListener} writes the records it takes: a JUL {@link Handler}
 * ({@link #jul}), an SLF4J logger ({@link io.interproc.logging.slf4j.Slf4jSink}), a stream
 * ({@link #print}), or anything else. Called by the listener's one thread, one record at a time,
 * in arrival order; an exception it throws is counted by the listener
 * ({@link LogListener#sinkFailures()}) and the next record is written.
 */
@FunctionalInterface
public interface LogSink {
    /**
     * Writes one record.
     *
     * @param event the record
     */
    void write(LogEvent event);

    /**
     * Called once when the listener stops, after the last record; flushes. Does nothing by default.
     */
    default void flush() {
    }

    /**
     * A sink that hands each record to a JUL handler as a {@link java.util.logging.LogRecord} of
     * the same time, level ({@link LogLevel#toJul()}) and logger, whose message names the source
     * ({@link LogEvent#source()}: {@code [process[pid]/thread] message}) and carries the stack
     * trace text below it, and whose sequence number is the source's. The record has no parameters,
     * so braces in a message are printed as they are. Any thread may call this.
     *
     * @param handler e.g. a {@link java.util.logging.FileHandler}; flushed when the listener stops
     * @return the sink
     */
    static LogSink jul(Handler handler) {
        return new JulSink(Objects.requireNonNull(handler, "handler"));
    }

    /**
     * A sink that prints each record as one line ({@link LogLines#format}) and its stack trace, if
     * any, below it. Any thread may call this.
     *
     * @param out where to print, e.g. {@code System.out}; flushed when the listener stops
     * @return the sink
     */
    static LogSink print(PrintStream out) {
        Objects.requireNonNull(out, "out");
        return new LogSink() {
            @Override
            public void write(LogEvent event) {
                out.println(LogLines.format(event));
                if (event.throwable() != null) {
                    out.print(event.throwable().endsWith("\n") ? event.throwable() : event.throwable() + "\n");
                }
            }

            @Override
            public void flush() {
                out.flush();
            }
        };
    }
}
