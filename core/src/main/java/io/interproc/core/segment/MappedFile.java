package io.interproc.core.segment;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.Segment;
import io.interproc.core.SegmentAccessException;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.os.Posix;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One segment file as this JVM sees it: its single mapping, its process table, its liveness
 * locks and the {@link LivenessWatch} that turns deaths into wake-ups. Every {@link Segment}
 * attachment of the same file (same device and inode) in this JVM shares one instance, so
 * opening and closing a segment any number of times keeps one mapping; the mapping is dropped by
 * the garbage collector once no attachment, handle or watcher refers to it (never while a thread
 * could still touch it).
 *
 * <p>Setting the system property {@value #SHARE_PROPERTY} to {@code false} gives every open its
 * own mapping: the stress tests use it to stand two mappings of one file for two processes.
 *
 * <p>Thread-safe.
 */
public final class MappedFile {
    /** System property: {@code false} maps the file anew on every open (default {@code true}). */
    static final String SHARE_PROPERTY = "interproc.segment.shareMappings";

    private static final Map<FileId, WeakReference<MappedFile>> OPEN = new ConcurrentHashMap<>();
    /** Closes the probe descriptor of a mapping nobody refers to any more. */
    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

    /** A file's identity: device and inode. */
    record FileId(long device, long inode) {
    }

    private final String name;
    private final Path path;
    private final FileId id;
    private final SharedBuffer buffer;
    private final ProcessTable table;
    private final LivenessWatch watch;
    private final AtomicInteger attachments = new AtomicInteger();

    private MappedFile(String name, Path path, FileId id, MappedByteBuffer mapping) {
        this.name = name;
        this.path = path;
        this.id = id;
        this.buffer = new SharedBuffer(mapping);
        CREATED.incrementAndGet();
        SegmentHeader.validateHeader(name, buffer, buffer.capacity());
        int tableOffset = buffer.getInt(SegmentHeaderDescriptor.PROCESS_TABLE_OFFSET_OFFSET);
        this.table = new ProcessTable(buffer, name, LivenessLocks.open(path, id, tableOffset, name, mapping.isReadOnly() ? Posix.O_RDONLY : Posix.O_RDWR));
        this.watch = new LivenessWatch(this);
        buffer.onStaleWaiters(this::reapDeadSlots);
        CLEANER.register(this, table.locks()::close);
    }

    /**
     * The mapping of an open descriptor's file: this JVM's existing one if it has one, else a new
     * one (validated).
     *
     * @param name segment name, for messages
     * @param path the path it was opened by
     * @param fd a read-write descriptor of it, from {@link Posix#open}; not closed here
     * @param stat its {@link Posix#fstat}
     * @return the shared mapping
     * @throws CorruptSegmentException if the file is not a valid segment
     * @throws IOException if it cannot be mapped
     */
    public static MappedFile of(String name, Path path, int fd, Posix.Stat stat) throws IOException {
        FileId id = new FileId(stat.device(), stat.inode());
        boolean share = !"false".equals(System.getProperty(SHARE_PROPERTY));
        if (share) {
            MappedFile existing = live(id);
            if (existing != null && existing.buffer.capacity() == stat.size()) {
                existing.revalidate();
                return existing;
            }
        }
        MappedFile created = new MappedFile(name, path, id, map(path, fd, stat.size(), FileChannel.MapMode.READ_WRITE));
        if (!share) {
            return created;
        }
        while (true) {
            WeakReference<MappedFile> ref = OPEN.putIfAbsent(id, new WeakReference<>(created));
            if (ref == null) {
                return created;
            }
            MappedFile other = ref.get();
            if (other != null && other.buffer.capacity() != created.buffer.capacity()) {
                if (OPEN.replace(id, ref, new WeakReference<>(created))) {
                    return created; // the file changed size: the old mapping serves its old users only
                }
                continue;
            }
            if (other != null) {
                created.table.locks().close();
                return other; // another thread of this JVM mapped it first: ours is dropped
            }
            OPEN.remove(id, ref);
        }
    }

    /**
     * A private read-only mapping for inspection (not shared, not attached).
     *
     * @param name segment name
     * @param path its path
     * @param fd a read-only descriptor of it; not closed here
     * @param stat its {@link Posix#fstat}
     * @return the mapping
     * @throws IOException if it cannot be mapped
     */
    public static MappedFile readOnly(String name, Path path, int fd, Posix.Stat stat) throws IOException {
        return new MappedFile(name, path, new FileId(stat.device(), stat.inode()),
                map(path, fd, stat.size(), FileChannel.MapMode.READ_ONLY));
    }

    /**
     * Checks the header again on a re-open: the bytes may have been damaged since the mapping was
     * made, and the layout this instance cached must still be the file's.
     */
    private void revalidate() {
        SegmentHeader.validateHeader(name, buffer, buffer.capacity());
        int tableOffset = buffer.getInt(SegmentHeaderDescriptor.PROCESS_TABLE_OFFSET_OFFSET);
        int slots = buffer.getInt(SegmentHeaderDescriptor.PROCESS_TABLE_CAPACITY_OFFSET);
        if (slots != table.capacity()) {
            throw new CorruptSegmentException("segment '" + name + "' changed its layout while mapped: processSlots="
                    + slots + ", was " + table.capacity() + " (processTableOffset=" + tableOffset + ")");
        }
    }

    private static MappedFile live(FileId id) {
        WeakReference<MappedFile> ref = OPEN.get(id);
        MappedFile f = ref == null ? null : ref.get();
        if (ref != null && f == null) {
            OPEN.remove(id, ref);
        }
        return f;
    }

    /** System property: the most segment mappings this JVM keeps at once (default {@value #DEFAULT_MAX_MAPPINGS}). */
    static final String MAX_MAPPINGS_PROPERTY = "interproc.maxMappings";
    /** Default of {@link #MAX_MAPPINGS_PROPERTY}: far below Linux's 65,530 mappings per process. */
    static final int DEFAULT_MAX_MAPPINGS = 8192;
    private static final AtomicInteger LIVE_MAPPINGS = new AtomicInteger();

    /**
     * @param path the file about to be mapped (for the message)
     * @throws SegmentAccessException if this JVM already holds {@value #MAX_MAPPINGS_PROPERTY} mappings
     */
    public static void ensureRoomFor(Path path) {
        int max = Integer.getInteger(MAX_MAPPINGS_PROPERTY, DEFAULT_MAX_MAPPINGS);
        if (LIVE_MAPPINGS.get() >= max) {
            throw new SegmentAccessException("cannot map segment file " + path + ": this JVM already holds "
                    + LIVE_MAPPINGS.get() + " segment mappings (" + MAX_MAPPINGS_PROPERTY + "=" + max + "); mappings of"
                    + " segments whose handles are no longer referenced are released by the garbage collector, so"
                    + " drop references to closed segments, or raise the limit");
        }
    }

    /** @return mappings of segment files this JVM holds now (not yet released by the garbage collector) */
    static int liveMappings() {
        return LIVE_MAPPINGS.get();
    }

    /**
     * Maps exactly the descriptor's file, through /proc/self/fd so that a renamed path cannot swap
     * it. Re-opening a file reuses its mapping, but every distinct file is a mapping of its own,
     * released by the garbage collector once nothing refers to it (unmapping earlier could fault a
     * thread still inside a handle). So that a JVM that creates file after file cannot exhaust the
     * kernel's mappings before a collection runs, it holds at most {@value #DEFAULT_MAX_MAPPINGS}
     * at once ({@value #MAX_MAPPINGS_PROPERTY}); past that, opening another file is refused with a
     * clear error instead of the JVM failing to map its own memory.
     */
    private static MappedByteBuffer map(Path path, int fd, long size, FileChannel.MapMode mode) throws IOException {
        ensureRoomFor(path);
        Path self = Paths.get("/proc/self/fd", Integer.toString(fd));
        Path target = Files.exists(self) ? self : path;
        StandardOpenOption[] options = mode == FileChannel.MapMode.READ_ONLY
                ? new StandardOpenOption[] {StandardOpenOption.READ}
                : new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE};
        try (FileChannel channel = FileChannel.open(target, options)) {
            MappedByteBuffer mapping = channel.map(mode, 0, size);
            LIVE_MAPPINGS.incrementAndGet();
            CLEANER.register(mapping, LIVE_MAPPINGS::decrementAndGet);
            return mapping;
        }
    }

    private static final java.util.concurrent.atomic.AtomicLong CREATED = new java.util.concurrent.atomic.AtomicLong();

    /** @return how many mappings this JVM has made of segment files so far, for tests */
    static long mappingsCreated() {
        return CREATED.get();
    }

    String name() {
        return name;
    }

    Path path() {
        return path;
    }

    FileId id() {
        return id;
    }

    public SharedBuffer buffer() {
        return buffer;
    }

    public ProcessTable table() {
        return table;
    }

    public LivenessWatch watch() {
        return watch;
    }

    /**
     * Opens a descriptor of the same file for an attachment to hold its liveness lock.
     *
     * @return a read-write descriptor of this very file
     * @throws SegmentAccessException if the path now names another file or cannot be opened
     */
    public int openLockDescriptor() {
        try {
            return reopen(path, id, name, Posix.O_RDWR);
        } catch (Posix.PosixException e) {
            throw new SegmentAccessException("cannot open segment '" + name + "' to hold its liveness lock: "
                    + e.getMessage() + " (path=" + path + ")");
        }
    }

    /**
     * Opens {@code path} again and checks that it is still the file {@code id} names.
     *
     * @return a new descriptor of that very file
     * @throws Posix.PosixException if it cannot be opened or read
     * @throws SegmentAccessException if the path now names another file
     */
    static int reopen(Path path, FileId id, String segmentName, int flags) throws Posix.PosixException {
        int fd = Posix.open(path.toString(), flags);
        try {
            Posix.Stat st = Posix.fstat(fd);
            if (st.device() != id.device() || st.inode() != id.inode()) {
                throw new SegmentAccessException("segment '" + segmentName + "' was replaced while being opened: path="
                        + path);
            }
            return fd;
        } catch (Posix.PosixException | RuntimeException e) {
            Posix.close(fd);
            throw e;
        }
    }

    /** Least time between two scans for dead slots started by {@link #reapDeadSlots()}. */
    private static final long REAP_SCAN_INTERVAL_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);
    private final java.util.concurrent.atomic.AtomicLong lastReapScan =
            new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - REAP_SCAN_INTERVAL_NANOS);

    /**
     * Reaps every slot whose attachment died without anyone noticing (no JVM watched it): called
     * when a waker found a waiter count above zero but nobody asleep, which is what a dead
     * waiter's registration looks like. At most one scan per {@link #REAP_SCAN_INTERVAL_NANOS} (100 ms),
     * so a count that is briefly ahead of the sleepers costs nothing more.
     */
    void reapDeadSlots() {
        long now = System.nanoTime();
        long last = lastReapScan.get();
        if (now - last < REAP_SCAN_INTERVAL_NANOS || !lastReapScan.compareAndSet(last, now)) {
            return;
        }
        LivenessLocks locks = table.locks();
        if (!locks.supported()) {
            return;
        }
        for (int slot = 0; slot < table.capacity(); slot++) {
            if (ProcessTableDescriptor.state(table.slotControl(slot)) == ProcessTableDescriptor.STATE_LIVE
                    && !watch.isOwn(slot) && !locks.isHeld(slot)) {
                table.reapIfDead(slot);
            }
        }
    }

    /** One more attachment of this JVM uses the file. */
    public void attached() {
        attachments.incrementAndGet();
    }

    /** One attachment of this JVM closed. */
    public void detached() {
        if (attachments.decrementAndGet() == 0) {
            watch.lastAttachmentClosed();
        }
    }

    /** @return attachments of this JVM still open */
    int attachments() {
        return attachments.get();
    }
}
