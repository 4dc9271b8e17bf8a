package io.interproc.logging.logback;

import io.interproc.logging.FullQueuePolicy;
import io.interproc.logging.LogLevel;
import io.interproc.logging.LogPublisher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.event.KeyValuePair;

/**
 * A Logback appender that puts every event into a shared log queue, for a
 * {@link io.interproc.logging.LogListener} to write out. Needs {@code logback-classic} (an
 * optional dependency of this module). In {@code logback.xml}:
 *
 * <pre>{@code
 * <appender name="SHARED" class="io.interproc.logging.logback.SharedQueueAppender">
 *   <segment>app-logs</segment>          <!-- required -->
 *   <queue>logs</queue>                  <!-- default logs -->
 *   <capacity>1048576</capacity>         <!-- bytes, if it creates the queue -->
 *   <policy>BLOCK:5s</policy>            <!-- or DROP_AND_COUNT -->
 *   <process>worker-3</process>          <!-- default pid@host -->
 * </appender>
 * }</pre>
 *
 * <p>The message is formatted, the throwable rendered as Logback prints it, the MDC and the
 * event's key-value pairs carried as the record's context. A record the policy drops is counted in
 * {@link #dropped()}; a failure is reported to Logback's status manager, never to the caller.
 * Logback calls {@code append} under the appender's lock; see
 * {@link LogPublisher} for the ordering and memory effects. Setters are for the configuring
 * thread before {@link #start()}.
 */
public final class SharedQueueAppender extends AppenderBase<ILoggingEvent> {
    private String segment;
    private String queue = LogPublisher.DEFAULT_QUEUE;
    private long capacity = LogPublisher.DEFAULT_CAPACITY;
    private FullQueuePolicy policy = FullQueuePolicy.defaults();
    private String process;
    private volatile LogPublisher publisher;

    /** An appender to configure with the setters (or a {@code logback.xml}) and then start. */
    public SharedQueueAppender() {
    }

    /**
     * An appender that uses the given publisher (and closes it when stopped); it still has to be
     * given a context and started, as every Logback appender.
     *
     * @param publisher where events go
     */
    public SharedQueueAppender(LogPublisher publisher) {
        this.publisher = publisher;
    }

    /** @param segment the segment holding the log queue (created if missing) */
    public void setSegment(String segment) {
        this.segment = segment;
    }

    /** @param queue the log queue's name */
    public void setQueue(String queue) {
        this.queue = queue;
    }

    /** @param capacity the queue's ring size in bytes, if this appender creates it */
    public void setCapacity(long capacity) {
        this.capacity = capacity;
    }

    /** @param policy a policy as {@link FullQueuePolicy#parse} reads it */
    public void setPolicy(String policy) {
        this.policy = FullQueuePolicy.parse(policy);
    }

    /** @param process how records name this process */
    public void setProcess(String process) {
        this.process = process;
    }

    /** Opens the queue (unless given a publisher); reports to the status manager if it cannot. */
    @Override
    public void start() {
        if (publisher == null) {
            if (segment == null || segment.isBlank()) {
                addError("no <segment> set for the appender named '" + getName() + "'");
                return;
            }
            try {
                publisher = LogPublisher.open(segment, queue, capacity, policy, process);
            } catch (RuntimeException e) {
                addError("cannot open log queue '" + queue + "' in segment '" + segment + "'", e);
                return;
            }
        }
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        LogPublisher p = publisher;
        if (p == null) {
            return;
        }
        try {
            p.publish(event.getInstant(), level(event.getLevel()), event.getLoggerName(), event.getThreadName(),
                    event.getFormattedMessage(), event.getThrowableProxy() == null ? null
                            : ThrowableProxyUtil.asString(event.getThrowableProxy()),
                    context(event));
        } catch (RuntimeException e) {
            addError("could not put a log event into " + p, e);
        }
    }

    private static LogLevel level(Level level) {
        switch (level.toInt()) {
            case Level.ERROR_INT:
                return LogLevel.ERROR;
            case Level.WARN_INT:
                return LogLevel.WARN;
            case Level.INFO_INT:
                return LogLevel.INFO;
            case Level.DEBUG_INT:
                return LogLevel.DEBUG;
            default:
                return LogLevel.TRACE;
        }
    }

    private static Map<String, String> context(ILoggingEvent event) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if ((mdc == null || mdc.isEmpty()) && (pairs == null || pairs.isEmpty())) {
            return Map.of();
        }
        Map<String, String> context = new LinkedHashMap<>();
        if (mdc != null) {
            context.putAll(mdc);
        }
        if (pairs != null) {
            for (KeyValuePair kv : pairs) {
                context.put(kv.key, String.valueOf(kv.value));
            }
        }
        return context;
    }

    /** Stops appending and closes the publisher; records already appended stay in the queue. */
    @Override
    public void stop() {
        super.stop();
        LogPublisher p = publisher;
        if (p != null) {
            p.close();
        }
    }

    /** @return events dropped because the queue was full (see {@link FullQueuePolicy}) or closed */
    public long dropped() {
        LogPublisher p = publisher;
        return p == null ? 0 : p.dropped();
    }
}
