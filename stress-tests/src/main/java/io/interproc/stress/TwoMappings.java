package io.interproc.stress;

import io.interproc.core.Segment;
import io.interproc.core.SegmentOptions;
import io.interproc.core.wait.WaitLoop;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One segment file mapped twice in this JVM. The two attachments {@link #a} and {@link #b} stand
 * for two processes: each {@link Segment#open} maps the file anew and takes its own slot in the
 * process table, so each has its own owner id, and the two never share a {@code ByteBuffer}.
 * Actors of a test use handles from different attachments.
 *
 * <p>Each jcstress test class creates one instance, statically, named
 * {@code jcstress-<OuterClass>.<Test>-<pid>}. The file is unlinked when the JVM exits (a shutdown
 * hook; jcstress ends a fork that has stale threads with {@code System.exit}, which runs it), and
 * files of such names whose pid is dead (a fork killed hard) are removed by the next fork.
 *
 * <p>Lost wake-ups must show as hangs (jcstress gives a {@code Mode.Termination} test 30 s
 * before it calls it stale; docs/ARCHITECTURE.md, "Waiting"). {@code WaitLoop} sleeps without slices where the kernel
 * has {@code futex_waitv} (Linux 5.16 and later), so there they do anyway. On older kernels, or
 * with {@code -Dinterproc.wait.futexWaitv=false}, it falls back to sleeps of at most one slice
 * ({@code interproc.wait.sliceMillis}, default 1 s), which would hide a lost wake-up; so loading
 * this class sets that property to {@value #SLICE_MILLIS} ms unless it was set on the command
 * line. (On the fallback a notice or interrupt that lands just before the thread enters the
 * kernel is also only seen when the slice ends: {@code WaitLoopStress} may then report STALE,
 * which is that documented limit, not a bug.) Every test references this class before any
 * blocking call, so the property is set before {@code WaitLoop} reads it (checked: loading fails
 * if it was read earlier). It also raises the library's log level to WARNING: take-overs are
 * logged at INFO, thousands a second here.
 */
public final class TwoMappings {
    /** Wait slice (fallback kernels only) for the stress forks: far beyond jcstress's 30 s termination timeout. */
    public static final long SLICE_MILLIS = 120_000;

    private static final String SLICE_PROPERTY = "interproc.wait.sliceMillis";
    private static final String PREFIX = "jcstress-";
    private static final Pattern OURS = Pattern.compile(Pattern.quote(PREFIX) + ".*-([0-9]+)");
    private static final long PID = ProcessHandle.current().pid();
    /**
     * The library logs every lock take-over at INFO; the owner-death test makes thousands a second.
     * Kept here so that the level set on it is not lost when the logger is collected.
     */
    private static final Logger LIBRARY_LOG = Logger.getLogger("io.interproc");
    private static final int GC_EVERY = 4096;
    private static final AtomicLong ATTACHED = new AtomicLong();
    /** Segments of this JVM to unlink at exit, by name (not by Segment: that would keep the mapping). */
    private static final Map<String, SegmentOptions> LIVE = new ConcurrentHashMap<>();

    static {
        if (System.getProperty(SLICE_PROPERTY) == null) {
            System.setProperty(SLICE_PROPERTY, Long.toString(SLICE_MILLIS));
            if (WaitLoop.SLICE_NANOS != TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS)) {
                throw new IllegalStateException("WaitLoop read " + SLICE_PROPERTY + " before the stress tests set it: "
                        + "slice=" + TimeUnit.NANOSECONDS.toMillis(WaitLoop.SLICE_NANOS) + " ms; pass -jvmArgsPrepend -D"
                        + SLICE_PROPERTY + "=" + SLICE_MILLIS);
            }
        }
        // Each open must map the file anew, so that the two attachments are two mappings.
        System.setProperty("interproc.segment.shareMappings", "false");
        LIBRARY_LOG.setLevel(Level.WARNING);
        sweepDeadForks(SegmentOptions.defaults().directory());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Segment::unlink), "unlink jcstress segments"));
    }

    /** Attachment standing for process A. */
    public final Segment a;
    /** Attachment standing for process B. */
    public final Segment b;

    private TwoMappings(Segment a, Segment b) {
        this.a = a;
        this.b = b;
    }

    /**
     * Creates this fork's segment for a test and maps it a second time.
     *
     * @param test the jcstress test class (gives the name)
     * @param size segment size in bytes (sparse)
     * @param directoryEntries named objects it can hold
     * @param processSlots attachments it can hold at once
     * @return both attachments
     */
    public static TwoMappings create(Class<?> test, long size, int directoryEntries, int processSlots) {
        return create(test, "", size, directoryEntries, processSlots);
    }

    /**
     * Creates a small-table segment: {@code size} bytes, {@code directoryEntries} names, 8 process
     * slots.
     *
     * @param test the jcstress test class
     * @param size segment size in bytes
     * @param directoryEntries named objects it can hold
     * @return both attachments
     */
    public static TwoMappings create(Class<?> test, long size, int directoryEntries) {
        return create(test, "", size, directoryEntries, 8);
    }

    /**
     * Creates one of several segments of a test, told apart by {@code suffix}.
     *
     * @param test the jcstress test class (gives the name)
     * @param suffix appended to the test's name, may be empty
     * @param size segment size in bytes (sparse)
     * @param directoryEntries named objects it can hold
     * @param processSlots attachments it can hold at once
     * @return both attachments
     */
    public static TwoMappings create(Class<?> test, String suffix, long size, int directoryEntries,
            int processSlots) {
        String name = PREFIX + test.getName().substring(test.getPackageName().length() + 1).replace('$', '.')
                + (suffix.isEmpty() ? "" : "." + suffix) + "-" + PID;
        SegmentOptions options = SegmentOptions.defaults()
                .withDirectorySize(directoryEntries)
                .withProcessTableSize(processSlots);
        Segment.unlink(name, options); // a leftover of an earlier JVM with our pid
        Segment a = Segment.create(name, size, options);
        LIVE.put(name, options);
        Segment b = Segment.open(name, options);
        return new TwoMappings(a, b);
    }

    /**
     * Removes the file now (not at exit). Both attachments, and handles from them, keep working:
     * the mappings stay until they are no longer reachable.
     */
    public void unlink() {
        a.unlink();
        LIVE.remove(a.name());
    }

    /** @return the segment's name, for opening further attachments */
    public String name() {
        return a.name();
    }

    /**
     * Opens a third attachment of the same file (standing for a third process, or a process that
     * will die): a new mapping and a new slot.
     *
     * <p>Each attachment is a new {@code mmap}, and a closed {@link Segment} keeps its mapping until
     * the garbage collector frees it. Tests that attach once per state make tens of thousands a
     * second, while Linux allows a process 65530 mappings ({@code vm.max_map_count}) and the JVM
     * needs some of them for itself; so every {@value #GC_EVERY} attachments this asks for a
     * collection, which unmaps the unreachable ones.
     *
     * @return the new attachment
     */
    public Segment attachAnother() {
        if (ATTACHED.incrementAndGet() % GC_EVERY == 0) {
            System.gc();
        }
        return Segment.open(a.name(), a.options());
    }

    private static void sweepDeadForks(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path file : files) {
                Matcher m = OURS.matcher(file.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                if (pid != PID && !alive) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a leftover file costs only memory
        }
    }
}
