package io.interproc.core.jmx;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.ObjectInfo;
import io.interproc.core.ProcessInfo;
import io.interproc.core.Segment;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The JMX MBeans of one segment, registered on demand: one for the segment
 * ({@code io.interproc:type=Segment,name=S}: {@code size}, {@code usedBytes}, {@code freeBytes},
 * {@code objects}, {@code processes}, {@code processesAlive}) and one per named object
 * ({@code io.interproc:type=SharedQueue,segment=S,name=N}: {@code kind}, {@code bytes} and every
 * figure its inspector reports — the same names and numbers as {@code interproc inspect}, read
 * through {@link ObjectFigures}). Attributes are read-only and read from shared memory on each
 * access (volatile loads, no lock, never blocking).
 *
 * <pre>{@code
 * Segment segment = Segment.open("jobs");
 * SegmentMBeans.register(segment);  // gone again when the segment is closed
 * }</pre>
 *
 * <p>Objects created after {@link #register} get their MBean at the next {@link #refresh()}; an
 * object found corrupt gets none (inspect shows its error) until a refresh reads it whole. The
 * MBeans are unregistered by {@link #close()} or when the segment is closed, whichever comes
 * first. Only one registration per segment name per {@link MBeanServer}: a second attachment of
 * the same segment in one JVM cannot register its own (the numbers would be the same). Uses only
 * the JDK's {@code java.management}. Thread-safe.
 */
public final class SegmentMBeans implements AutoCloseable {
    /** The domain of every interproc MBean. */
    public static final String DOMAIN = "io.interproc";

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]+");

    private final Segment segment;
    private final MBeanServer server;
    private final Map<String, ObjectName> registered = new LinkedHashMap<>(); // object name -> MBean name
    private final Runnable onSegmentClose = this::close;
    private ObjectName segmentMBean;
    private boolean closed;

    private SegmentMBeans(Segment segment, MBeanServer server) {
        this.segment = segment;
        this.server = server;
    }

    /**
     * Registers the MBeans of a segment and of each of its objects in the platform MBean server.
     * Any thread.
     *
     * @param segment an open segment
     * @return the registration, to {@link #refresh()} or {@link #close()}
     * @throws IllegalStateException if the segment is closed, or its MBeans are already registered
     */
    public static SegmentMBeans register(Segment segment) {
        return register(segment, ManagementFactory.getPlatformMBeanServer());
    }

    /**
     * Registers the MBeans of a segment and of each of its objects. Any thread.
     *
     * @param segment an open segment
     * @param server where to register them
     * @return the registration, to {@link #refresh()} or {@link #close()}
     * @throws IllegalStateException if the segment is closed, or its MBeans are already registered
     *     in that server
     */
    public static SegmentMBeans register(Segment segment, MBeanServer server) {
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(server, "server");
        segment.ensureOpen();
        SegmentMBeans beans = new SegmentMBeans(segment, server);
        try {
            beans.registerSegment();
            beans.refresh();
        } catch (RuntimeException e) {
            beans.close();
            throw e;
        }
        segment.whenClosed(beans.onSegmentClose); // runs at once if it closed meanwhile
        return beans;
    }

    /**
     * Registers an MBean for each object created in the segment since the last registration
     * (and for any found corrupt before that now reads whole). Any thread.
     *
     * @return how many MBeans were added
     * @throws IllegalStateException if this registration or the segment is closed
     */
    public synchronized int refresh() {
        if (closed) {
            throw new IllegalStateException("the MBeans of segment '" + segment.name() + "' were unregistered");
        }
        int added = 0;
        for (ObjectInfo info : segment.objects()) {
            if (registered.containsKey(info.name())) {
                continue;
            }
            ObjectName name = objectName(segment.name(), info.kind().typeName(), info.name());
            FigureMBean bean;
            try {
                bean = new FigureMBean(info.kind().typeName(),
                        info.kind().typeName() + " '" + info.name() + "' of segment '" + segment.name() + "'",
                        () -> objectAttributes(ObjectFigures.read(segment, info)));
            } catch (CorruptSegmentException e) {
                continue; // inspect shows it as corrupt; tried again at the next refresh
            }
            registerBean(bean, name);
            registered.put(info.name(), name);
            added++;
        }
        return added;
    }

    private void registerSegment() {
        ObjectName name = segmentName(segment.name());
        registerBean(new FigureMBean("Segment", "segment '" + segment.name() + "'", this::segmentAttributes), name);
        synchronized (this) {
            segmentMBean = name;
        }
    }

    private void registerBean(FigureMBean bean, ObjectName name) {
        try {
            server.registerMBean(bean, name);
        } catch (InstanceAlreadyExistsException e) {
            throw new IllegalStateException("an MBean named " + name + " is already registered (has another"
                    + " attachment of segment '" + segment.name() + "' registered its MBeans?)", e);
        } catch (JMException e) {
            throw new IllegalStateException("cannot register MBean " + name + ": " + e, e);
        }
    }

    private static Map<String, Object> objectAttributes(ObjectFigures figures) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", figures.kind());
        out.put("bytes", figures.bytes());
        out.putAll(figures.figures());
        return out;
    }

    private Map<String, Object> segmentAttributes() {
        segment.ensureOpen();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("size", segment.size());
        out.put("usedBytes", segment.usedBytes());
        out.put("freeBytes", segment.freeBytes());
        out.put("objects", segment.objects().size());
        List<ProcessInfo> processes = segment.processes();
        out.put("processes", processes.size());
        out.put("processesAlive", (int) processes.stream().filter(ProcessInfo::alive).count());
        return out;
    }

    /** @return the names of the MBeans registered now: the segment's first, then its objects' */
    public synchronized List<ObjectName> names() {
        List<ObjectName> out = new ArrayList<>();
        if (segmentMBean != null) {
            out.add(segmentMBean);
        }
        out.addAll(registered.values());
        return out;
    }

    /**
     * @param segment a segment name
     * @return {@code io.interproc:type=Segment,name=SEGMENT}
     */
    public static ObjectName segmentName(String segment) {
        return name("type=Segment,name=" + value(segment));
    }

    /**
     * @param segment a segment name
     * @param kind the object's type name, e.g. {@code SharedQueue}
     * @param object the object's name
     * @return {@code io.interproc:type=KIND,segment=SEGMENT,name=OBJECT}, values quoted
     *     ({@link ObjectName#quote}) when they hold characters other than letters, digits,
     *     {@code .}, {@code _} and {@code -}
     */
    public static ObjectName objectName(String segment, String kind, String object) {
        return name("type=" + value(kind) + ",segment=" + value(segment) + ",name=" + value(object));
    }

    private static String value(String s) {
        return PLAIN.matcher(s).matches() ? s : ObjectName.quote(s);
    }

    private static ObjectName name(String properties) {
        try {
            return new ObjectName(DOMAIN + ":" + properties);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not a valid MBean name: " + DOMAIN + ":" + properties, e);
        }
    }

    /**
     * Unregisters every MBean of this registration; called too when the segment closes.
     * Idempotent; any thread.
     */
    @Override
    public void close() {
        List<ObjectName> names;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            names = names();
            registered.clear();
            segmentMBean = null;
        }
        segment.removeCloseAction(onSegmentClose);
        for (ObjectName name : names) {
            try {
                server.unregisterMBean(name);
            } catch (InstanceNotFoundException e) {
                // unregistered by someone else: nothing to do
            } catch (JMException e) {
                throw new IllegalStateException("cannot unregister MBean " + name + ": " + e, e);
            }
        }
    }
}
