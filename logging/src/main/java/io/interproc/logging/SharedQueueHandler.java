package io.interproc.logging;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

/**
 * A {@code java.util.logging} handler that puts every record it is given into a shared log queue,
 * for a {@link LogListener} in another (or the same) JVM to write out (Python:
 * {@code logging.handlers.QueueHandler}). {@link System.Logger} users are covered too: without
 * another {@link System.LoggerFinder}, {@code System.getLogger(name)} logs through the JUL logger
 * of that name, so this handler on the root logger receives their records as well.
 *
 * <p>In {@code logging.properties} (the no-argument constructor reads these, with the class name
 * as prefix):
 *
 * <pre>
 * handlers = io.interproc.logging.SharedQueueHandler
 * io.interproc.logging.SharedQueueHandler.segment = app-logs      (required)
 * io.interproc.logging.SharedQueueHandler.queue = logs            (default logs)
 * io.interproc.logging.SharedQueueHandler.capacity = 1048576      (bytes, if it creates the queue)
 * io.interproc.logging.SharedQueueHandler.policy = BLOCK:5s       (or DROP_AND_COUNT)
 * io.interproc.logging.SharedQueueHandler.process = worker-3      (default pid@host)
 * io.interproc.logging.SharedQueueHandler.level = ALL
 * </pre>
 *
 * or in code: {@code root.addHandler(new SharedQueueHandler(LogPublisher.open(...)))}.
 *
 * <p>The message is formatted here ({@link Formatter#formatMessage}: parameters and resource
 * bundle), the throwable rendered as text. A record the policy drops is counted in
 * {@link #dropped()}; an unexpected failure goes to the {@link ErrorManager}, never to the caller.
 * Thread-safe: any thread may call any method; see {@link LogPublisher} for the ordering and
 * memory effects.
 */
public final class SharedQueueHandler extends Handler {
    private static final Formatter MESSAGES = new Formatter() {
        @Override
        public String format(LogRecord r) {
            return formatMessage(r);
        }
    };

    private final LogPublisher publisher;

    /**
     * Configured from the {@link LogManager} properties above; this is what
     * {@code handlers = ...} in {@code logging.properties} calls.
     *
     * @throws IllegalStateException if {@code .segment} is not set or a property is invalid
     */
    public SharedQueueHandler() {
        this(fromProperties());
        String level = LogManager.getLogManager().getProperty(getClass().getName() + ".level");
        if (level != null) {
            setLevel(Level.parse(level.trim()));
        }
    }

    /**
     * Any thread may call this.
     *
     * @param publisher where records go; closed when this handler is
     */
    public SharedQueueHandler(LogPublisher publisher) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    private static LogPublisher fromProperties() {
        LogManager m = LogManager.getLogManager();
        String p = SharedQueueHandler.class.getName();
        String segment = m.getProperty(p + ".segment");
        if (segment == null || segment.isBlank()) {
            throw new IllegalStateException(p + ".segment is not set in the logging configuration");
        }
        try {
            String queue = m.getProperty(p + ".queue");
            String capacity = m.getProperty(p + ".capacity");
            String policy = m.getProperty(p + ".policy");
            return LogPublisher.open(segment.trim(), queue == null ? LogPublisher.DEFAULT_QUEUE : queue.trim(),
                    capacity == null ? LogPublisher.DEFAULT_CAPACITY : Long.parseLong(capacity.trim()),
                    policy == null ? FullQueuePolicy.defaults() : FullQueuePolicy.parse(policy),
                    m.getProperty(p + ".process"));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid " + p + " configuration: " + e.getMessage(), e);
        }
    }

    /**
     * Puts the record into the queue if it is loggable; see the class doc. Any thread may call
     * this.
     *
     * @param record the record
     */
    @Override
    public void publish(LogRecord record) {
        if (record == null || !isLoggable(record)) {
            return;
        }
        try {
            publisher.publish(record.getInstant(), LogLevel.fromJul(record.getLevel()), record.getLoggerName(),
                    Thread.currentThread().getName(), MESSAGES.formatMessage(record),
                    StackTraces.render(record.getThrown()), Map.of());
        } catch (RuntimeException e) {
            reportError("could not put a log record into " + publisher, e, ErrorManager.WRITE_FAILURE);
        }
    }

    /** Nothing to do: a record is in the queue when {@link #publish} returns. */
    @Override
    public void flush() {
    }

    /** Closes the publisher (see {@link LogPublisher#close()}); later records are dropped. */
    @Override
    public void close() {
        publisher.close();
    }

    /** @return records dropped because the queue was full (see {@link FullQueuePolicy}) or closed */
    public long dropped() {
        return publisher.dropped();
    }

    /** @return the publisher records go through */
    public LogPublisher publisher() {
        return publisher;
    }
}
