package io.interproc.logging.log4j;

import io.interproc.logging.FullQueuePolicy;
import io.interproc.logging.LogLevel;
import io.interproc.logging.LogPublisher;
import io.interproc.logging.StackTraces;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginElement;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;

/**
 * A Log4j2 appender that puts every event into a shared log queue, for a
 * {@link io.interproc.logging.LogListener} to write out. Needs {@code log4j-core} (an optional
 * dependency of this module). In {@code log4j2.xml}:
 *
 * <pre>{@code
 * <Appenders>
 *   <SharedQueue name="SHARED" segment="app-logs" queue="logs" capacity="1048576"
 *                policy="BLOCK:5s" process="worker-3"/>
 * </Appenders>
 * }</pre>
 *
 * ({@code segment} required; the others default to {@code logs}, 1 MiB, {@code BLOCK:5s} and
 * {@code pid@host}), or in code {@link #create}. The message is formatted, the throwable rendered
 * as text, the thread-context map carried as the record's context. A record the policy drops is
 * counted in {@link #dropped()}; a failure goes to the appender's error handler, never to the
 * caller. Any thread may call {@code append}; see {@link LogPublisher} for the ordering and memory
 * effects.
 */
@Plugin(name = "SharedQueue", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE, printObject = true)
public final class SharedQueueAppender extends AbstractAppender {
    private final LogPublisher publisher;

    private SharedQueueAppender(String name, Filter filter, LogPublisher publisher) {
        super(name, filter, null, true, Property.EMPTY_ARRAY);
        this.publisher = publisher;
    }

    /**
     * An appender over the given publisher (closed when the appender stops); start it before use.
     * Any thread may call this.
     *
     * @param name the appender's name
     * @param publisher where events go
     * @return the appender, not started
     */
    public static SharedQueueAppender create(String name, LogPublisher publisher) {
        return new SharedQueueAppender(name, null, publisher);
    }

    /**
     * The factory a configuration file calls. Any thread may call this.
     *
     * @param name the appender's name
     * @param segment the segment holding the log queue (created if missing), required
     * @param queue the queue's name, default {@code logs}
     * @param capacity its ring size in bytes if created, default 1 MiB
     * @param policy a {@link FullQueuePolicy#parse policy}, default {@code BLOCK:5s}
     * @param process how records name this process, default {@code pid@host}
     * @param filter an optional filter
     * @return the appender, or {@code null} (after reporting the reason) if misconfigured
     */
    @PluginFactory
    public static SharedQueueAppender createAppender(@PluginAttribute("name") String name,
            @PluginAttribute("segment") String segment, @PluginAttribute("queue") String queue,
            @PluginAttribute("capacity") String capacity, @PluginAttribute("policy") String policy,
            @PluginAttribute("process") String process, @PluginElement("Filter") Filter filter) {
        if (name == null || segment == null || segment.isBlank()) {
            LOGGER.error("SharedQueue appender needs a name and a segment (name={}, segment={})", name, segment);
            return null;
        }
        try {
            LogPublisher publisher = LogPublisher.open(segment, queue == null ? LogPublisher.DEFAULT_QUEUE : queue,
                    capacity == null ? LogPublisher.DEFAULT_CAPACITY : Long.parseLong(capacity.trim()),
                    policy == null ? FullQueuePolicy.defaults() : FullQueuePolicy.parse(policy), process);
            return new SharedQueueAppender(name, filter, publisher);
        } catch (RuntimeException e) {
            LOGGER.error("SharedQueue appender '{}' cannot open log queue '{}' in segment '{}'", name, queue, segment, e);
            return null;
        }
    }

    @Override
    public void append(LogEvent event) {
        try {
            Map<String, String> context = event.getContextData() == null ? Map.of() : event.getContextData().toMap();
            publisher.publish(Instant.ofEpochSecond(event.getInstant().getEpochSecond(),
                    event.getInstant().getNanoOfSecond()), level(event.getLevel()), event.getLoggerName(),
                    event.getThreadName(), event.getMessage() == null ? "" : event.getMessage().getFormattedMessage(),
                    StackTraces.render(event.getThrown()), context);
        } catch (RuntimeException e) {
            error("could not put a log event into " + publisher, event, e);
        }
    }

    private static LogLevel level(Level level) {
        if (level.isMoreSpecificThan(Level.ERROR)) {
            return LogLevel.ERROR;
        } else if (level.isMoreSpecificThan(Level.WARN)) {
            return LogLevel.WARN;
        } else if (level.isMoreSpecificThan(Level.INFO)) {
            return LogLevel.INFO;
        } else if (level.isMoreSpecificThan(Level.DEBUG)) {
            return LogLevel.DEBUG;
        }
        return LogLevel.TRACE;
    }

    /** Stops appending and closes the publisher; records already appended stay in the queue. */
    @Override
    public boolean stop(long timeout, TimeUnit timeUnit) {
        boolean stopped = super.stop(timeout, timeUnit);
        publisher.close();
        return stopped;
    }

    /** @return events dropped because the queue was full (see {@link FullQueuePolicy}) or closed */
    public long dropped() {
        return publisher.dropped();
    }
}
