package io.interproc.logging;

import java.util.logging.Handler;
import java.util.logging.LogRecord;

/** {@link LogSink#jul}: records to a JUL handler. Used by the listener's thread only. */
final class JulSink implements LogSink {
    private final Handler handler;

    JulSink(Handler handler) {
        this.handler = handler;
    }

    @Override
    public void write(LogEvent e) {
        String message = "[" + e.source() + "] " + e.message();
        if (e.throwable() != null) {
            message = message + System.lineSeparator() + e.throwable();
        }
        LogRecord r = new LogRecord(e.level().toJul(), message);
        r.setInstant(e.time());
        r.setLoggerName(e.logger());
        r.setSourceClassName(e.logger());
        r.setSourceMethodName(null);
        r.setSequenceNumber(e.sequence());
        handler.publish(r);
    }

    @Override
    public void flush() {
        handler.flush();
    }
}
