package io.interproc.core;

import static io.interproc.core.segment.SegmentHeaderDescriptor.ALLOCATION_CURSOR_OFFSET;
import static io.interproc.core.segment.SegmentHeaderDescriptor.PAGE;

import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.os.Posix;
import io.interproc.core.segment.DirectoryDescriptor;
import io.interproc.core.segment.MappedFile;
import io.interproc.core.segment.ObjectDirectory;
import io.interproc.core.segment.ProcessTable;
import io.interproc.core.segment.ProcessTableDescriptor;
import io.interproc.core.segment.SegmentCreator;
import io.interproc.core.segment.SegmentFiles;
import io.interproc.core.segment.SegmentHeader;
import io.interproc.core.segment.SegmentHeaderDescriptor;
import io.interproc.core.spi.ObjectInitializer;
import io.interproc.core.spi.ObjectKind;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.spi.OpenMode;
import io.interproc.core.wait.Deadline;
import io.interproc.core.wait.WaitLoop;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One memory-mapped file holding many named shared objects, and this process's attachment to it.
 *
 * <p>A segment lives at {@code <directory>/<name>} (see {@link SegmentOptions#defaultDirectory()};
 * by default {@code /dev/shm/interproc-<user>/}, a RAM file system). Its size is fixed at creation
 * and at most {@value #MAX_SIZE} bytes; untouched pages cost no memory. Layout:
 * {@link SegmentHeaderDescriptor}, {@link ProcessTableDescriptor}, {@link DirectoryDescriptor},
 * then the object area.
 *
 * <p><b>Creation is race-safe.</b> The creator builds the whole file under a temporary name that
 * is not a valid segment name, then publishes it with an exclusive hard link: an opener never sees
 * a half-initialised segment, two processes racing to create one name end up sharing one file, and
 * a creator killed at any moment leaves only a temporary file (removed by the next creator in that
 * directory once the record lock its creator held on it is free).
 *
 * <p><b>Attachment.</b> Opening or creating a segment takes a slot in its process table and a
 * record lock on it (the kernel drops the lock when the process dies, in any PID namespace, which
 * is how others learn of a death), and gives this attachment an {@link #ownerId() owner id} never
 * used before in this segment. {@link #close()} waits for this attachment's running operations,
 * frees the slot and makes every handle obtained from this segment throw
 * {@link IllegalStateException}. Each call to {@code open} is a separate attachment, even within
 * one JVM; all attachments of one file in a JVM share one mapping, which stays mapped while
 * anything refers to it, so a thread still inside an operation never faults.
 *
 * <p><b>Security.</b> The directory is created 0700 and files 0600 unless
 * {@link SegmentOptions#withFileMode(int)} widens it. Refused with a
 * {@link SegmentAccessException}: a symbolic link in place of the directory or the file; a
 * segment name that is not a regular file (a FIFO is never opened blocking); a directory or file
 * owned by another numeric UID; a configured directory that group or others may write and that
 * is not sticky (the built-in default directory is set back to 0700 instead). Every offset read
 * from the file is checked before use; a damaged file gives a {@link CorruptSegmentException}.
 *
 * <p>Thread-safe. Memory effects: everything a process wrote to an object before publishing it
 * (release store, CAS) is visible to a process that observes the publication (acquire load, CAS),
 * as documented per operation on each type.
 */
public final class Segment implements AutoCloseable {
    /** Largest segment, in bytes: one mapping, rounded down to whole pages. */
    public static final long MAX_SIZE = Integer.MAX_VALUE & ~(long) (PAGE - 1);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final System.Logger LOG = System.getLogger(Segment.class.getName());

    private final String name;
    private final Path path;
    private final SegmentOptions options;
    private final MappedFile file;
    private final SharedBuffer buffer;
    private final long size;
    private final ProcessTable processes;
    private final ObjectDirectory directory;
    private final ProcessTable.Attachment attachment;
    private final int ownerId;
    private final boolean inspection;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Thread closer;
    private final List<Runnable> closeActions = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Segment(String name, Path path, SegmentOptions options, MappedFile file, boolean attach) {
        this.name = name;
        this.path = path;
        this.options = options;
        this.file = file;
        this.buffer = file.buffer();
        this.size = buffer.capacity();
        this.processes = file.table();
        this.directory = new ObjectDirectory(this, buffer);
        this.inspection = !attach;
        if (attach) {
            file.attached();
            try {
                this.attachment = processes.attach(file::openLockDescriptor);
            } catch (RuntimeException e) {
                file.detached();
                throw e;
            }
            file.watch().ownSlot(attachment.slot());
            this.ownerId = attachment.ownerId();
        } else {
            this.attachment = null;
            this.ownerId = 0;
        }
    }

    // ---------------------------------------------------------------- factories

    /**
     * Creates a new segment with default options.
     *
     * @param name segment name, {@code [A-Za-z0-9._-]{1,128}}, not {@code .} or {@code ..}
     * @param size total bytes, including the header, process table and directory
     * @return the new segment, attached
     * @throws ObjectExistsException if a segment of that name exists
     * @throws IllegalArgumentException if the name is invalid or the size out of range
     */
    public static Segment create(String name, long size) {
        return create(name, size, SegmentOptions.defaults());
    }

    /**
     * Creates a new segment.
     *
     * @param name segment name
     * @param size total bytes
     * @param options directory, mode, table sizes
     * @return the new segment, attached
     * @throws ObjectExistsException if a segment of that name exists
     */
    public static Segment create(String name, long size, SegmentOptions options) {
        Path path = prepare(name, options);
        checkSize(name, size, options);
        Segment created = SegmentCreator.create(name, path, size, options,
                f -> new Segment(name, path, options, f, true));
        if (created == null) {
            throw new ObjectExistsException("segment '" + name + "' already exists: path=" + path);
        }
        return created;
    }

    /**
     * Opens an existing segment with default options.
     *
     * @param name segment name
     * @return the segment, attached
     * @throws NoSuchObjectException if it does not exist
     * @throws CorruptSegmentException if the file is not a valid segment
     */
    public static Segment open(String name) {
        return open(name, SegmentOptions.defaults());
    }

    /**
     * Opens an existing segment. The table sizes and mode of {@code options} are ignored: those of
     * the file apply.
     *
     * @param name segment name
     * @param options directory and open timeout
     * @return the segment, attached
     * @throws NoSuchObjectException if it does not exist
     */
    public static Segment open(String name, SegmentOptions options) {
        Path path = prepare(name, options);
        Segment opened = tryOpen(name, path, options);
        if (opened == null) {
            throw new NoSuchObjectException("segment '" + name + "' does not exist: path=" + path);
        }
        return opened;
    }

    /**
     * Opens the segment, creating it if it does not exist, with default options.
     *
     * @param name segment name
     * @param size total bytes if it is created; ignored if it exists (as Python's
     *     {@code SharedMemory} ignores {@code size} on attach)
     * @return the segment, attached
     */
    public static Segment openOrCreate(String name, long size) {
        return openOrCreate(name, size, SegmentOptions.defaults());
    }

    /**
     * Opens the segment, creating it if it does not exist. Processes racing to do this for one name
     * all end up attached to the same file.
     *
     * @param name segment name
     * @param size total bytes if it is created; ignored if it exists
     * @param options directory, mode, table sizes (the last three only apply on creation)
     * @return the segment, attached
     */
    public static Segment openOrCreate(String name, long size, SegmentOptions options) {
        Path path = prepare(name, options);
        checkSize(name, size, options);
        for (int attempt = 0; attempt < 100; attempt++) {
            Segment s = tryOpen(name, path, options);
            if (s != null) {
                return s;
            }
            s = SegmentCreator.create(name, path, size, options,
                f -> new Segment(name, path, options, f, true));
            if (s != null) {
                return s;
            }
        }
        throw new InterprocException("segment '" + name + "' kept appearing and disappearing: path=" + path);
    }

    /**
     * Removes a segment's file by name; processes that have it open keep working on the old file.
     *
     * @param name segment name
     * @param options where it lives
     * @return true if a file was removed
     * @throws SegmentAccessException if the name is a FIFO, socket, device or directory
     */
    public static boolean unlink(String name, SegmentOptions options) {
        Path path = prepare(name, options);
        if (!SegmentFiles.checkRemovable(name, path)) {
            return false;
        }
        try {
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new SegmentAccessException("cannot remove segment '" + name + "': path=" + path, e);
        }
    }

    /**
     * Opens an existing segment for inspection only: mapped read-only, without taking a process
     * slot (so it does not show as an attached process, and a full process table does not stop
     * it). Objects can be opened and read through it; creating objects, and every operation of a
     * handle that writes, fail. For tools such as the {@code interproc} command.
     *
     * @param name segment name
     * @param options where it lives
     * @return the segment, not attached; {@link #ownerId()} is 0
     * @throws NoSuchObjectException if it does not exist
     * @throws CorruptSegmentException if the file is not a valid segment
     */
    public static Segment inspect(String name, SegmentOptions options) {
        return inspect(name, prepare(name, options), options);
    }

    /** {@link #inspect(String, SegmentOptions)} of a file already located, for {@link SegmentInfo}. */
    static Segment inspect(String name, Path path, SegmentOptions options) {
        return SegmentFiles.withDescriptor(name, path, Posix.O_RDONLY, (fd, stat) -> {
            if (!stat.isRegularFile() || stat.size() < SegmentHeaderDescriptor.SIZE || stat.size() > MAX_SIZE) {
                SegmentFiles.checkRegularFile(name, path, stat);
                throw new CorruptSegmentException("segment '" + name + "' has file size " + stat.size()
                        + ", not a segment size (path=" + path + ")");
            }
            return new Segment(name, path, options, MappedFile.readOnly(name, path, fd, stat), false);
        }, () -> {
            throw new NoSuchObjectException("segment '" + name + "' does not exist: path=" + path);
        });
    }

    /**
     * Describes every segment in the default directory, without attaching to any.
     *
     * @return one entry per file with a valid segment name, sorted by name
     */
    public static List<SegmentInfo> list() {
        return list(SegmentOptions.defaults().directory());
    }

    /**
     * Describes every segment in a directory, without attaching to any. A file that is not a
     * valid segment is listed with its {@link SegmentInfo#problem() problem}.
     *
     * @param directory the directory to list
     * @return one entry per file with a valid segment name, sorted by name; empty if the
     *     directory does not exist
     */
    public static List<SegmentInfo> list(Path directory) {
        List<SegmentInfo> out = new ArrayList<>();
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                if (isValidName(fileName) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(SegmentInfo.read(fileName, file));
                }
            }
        } catch (IOException e) {
            throw new SegmentAccessException("cannot list segments: directory=" + directory, e);
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    // ---------------------------------------------------------------- accessors

    /** @return the segment's name */
    public String name() {
        return name;
    }

    /** @return the segment's file */
    public Path path() {
        return path;
    }

    /** @return total size in bytes */
    public long size() {
        return size;
    }

    /** @return bytes allocated so far, including the header, process table and directory */
    public long usedBytes() {
        return buffer.getLongVolatile(ALLOCATION_CURSOR_OFFSET);
    }

    /** @return bytes still free for objects */
    public long freeBytes() {
        return size - usedBytes();
    }

    /** @return the options this segment was opened with */
    public SegmentOptions options() {
        return options;
    }

    /**
     * The owner id of this attachment: positive, never 0, and never handed to another attachment
     * in the life of the segment. Written into lock words and similar to name the holder. Any
     * thread may call it; it never changes.
     *
     * @return this attachment's owner id
     */
    public int ownerId() {
        return ownerId;
    }

    /** @return true if this segment was opened with {@link #inspect} (read-only, not attached) */
    public boolean isInspection() {
        return inspection;
    }

    /** @return true once {@link #close()} has been called */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Throws if this attachment is closed; every handle calls it on entry.
     *
     * @throws IllegalStateException if {@link #close()} was called
     */
    public void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("segment '" + name + "' is closed");
        }
    }

    /**
     * Marks the start of an operation of this attachment that writes shared state a take-over
     * could also write (a queue put or take holding the producer or consumer lock, a streamed
     * message): {@link #close()} does not free this attachment's process slot, so nobody can
     * take such work over, until every begun operation has {@linkplain #endOperation() ended}.
     * <b>Internal API</b>; pair every successful call with {@link #endOperation()} in a
     * {@code finally} block.
     *
     * @throws IllegalStateException if this attachment is closed (the operation must not start)
     */
    public void beginOperation() {
        inFlight.incrementAndGet();
        if (closed) {
            endOperation();
            ensureOpen();
        }
    }

    /** Ends an operation begun with {@link #beginOperation()}. <b>Internal API</b>. */
    public void endOperation() {
        if (inFlight.decrementAndGet() == 0 && closed) {
            Thread closer = this.closer;
            if (closer != null) {
                java.util.concurrent.locks.LockSupport.unpark(closer);
            }
        }
    }

    /**
     * Called by {@link WaitLoop} before a thread waiting through this attachment sleeps: makes
     * sure that the death or detachment of any process attached to the segment wakes the
     * sleeper ({@link WaitLoop#wakeSleepers}). <b>Internal API</b>.
     */
    public void prepareToSleep() {
        ensureOpen();
        file.watch().prepareToSleep();
    }

    /**
     * Records in this attachment's process-table slot that it added {@code delta} to the waiter
     * count at {@code waitersOffset}, so that the count can be reconciled if this process dies
     * while registered. Call after incrementing the shared count (delta +1) and before
     * decrementing it (delta -1). <b>Internal API</b>, for {@link WaitLoop}.
     *
     * @param waitersOffset offset of a waiter count in this segment
     * @param delta +1 or -1
     */
    public void noteWaiting(int waitersOffset, int delta) {
        if (attachment == null) {
            return;
        }
        if (delta > 0) {
            inFlight.incrementAndGet();
            processes.noteWaiting(attachment.slot(), waitersOffset, delta);
        } else {
            processes.noteWaiting(attachment.slot(), waitersOffset, delta);
            endOperation();
        }
    }

    /**
     * Sends a liveness notice to the sleeping waiters of every JVM attached to this segment: each
     * wakes and runs its check. For a change that no futex word shows, such as a pipe end being
     * closed, so that waiters in other processes — virtual threads included, which a wake-up of an
     * unchanged word can miss — learn of it for certain. Costs every sleeper of the segment one
     * spurious wake-up: for rare events only. <b>Internal API</b>; any thread may call it.
     *
     * @throws IllegalStateException if this attachment is closed
     */
    public void announceChange() {
        ensureOpen();
        processes.announce();
    }

    private void ensureWritable() {
        if (inspection) {
            throw new IllegalStateException("segment '" + name + "' is open for inspection only");
        }
    }

    /**
     * Whether the attachment named by an owner id is alive: a slot of the process table still
     * carries that id and the slot's liveness lock is held (the kernel drops it when the
     * attachment closes or its process dies, in any PID namespace). Never false for a live
     * attachment; true for ever if record locks cannot be tested here. Costs a system call: call
     * it on slow paths, not per operation.
     *
     * @param ownerId an owner id read from shared memory
     * @return true if that attachment is alive
     */
    public boolean isAlive(int ownerId) {
        return processes.isAlive(ownerId);
    }

    /**
     * @param ownerId an owner id
     * @return the pid of the process that holds (or, dead, held) it, as its own PID namespace
     *     numbers it (for display only); -1 once it closed or its slot was reused
     */
    public long pidOf(int ownerId) {
        return processes.pidOf(ownerId);
    }

    /** @return a snapshot of the attached processes, live and dead */
    public List<ProcessInfo> processes() {
        ensureOpen();
        return processes.snapshot();
    }

    /** @return a snapshot of the named objects */
    public List<ObjectInfo> objects() {
        ensureOpen();
        return directory.list();
    }

    /**
     * The mapping. <b>Internal API</b> for the types of core, sync and ipc.
     *
     * @return the segment's memory
     */
    public SharedBuffer buffer() {
        return buffer;
    }

    // ---------------------------------------------------------------- objects (internal API)

    /**
     * Finds a named object: the one entry point of every type's {@code create}, {@code open} and
     * {@code openOrCreate} factories. <b>Service-provider API</b>: applications use the factories.
     * Any thread of the attaching process. The object's initial state, written by {@code init}
     * before the entry is published, happens-before the return of every later call that finds it.
     *
     * @param name object name, 1 to 64 UTF-8 bytes
     * @param kind its kind; an existing object of another kind fails
     * @param mode create, open, or open-or-create
     * @param length bytes to allocate if it is created (ignored for {@link OpenMode#OPEN})
     * @param init writes its initial state if it is created, before anyone else can see it
     * @return the object's region
     * @throws ObjectExistsException with {@link OpenMode#CREATE} if the name exists
     * @throws NoSuchObjectException with {@link OpenMode#OPEN} if there is no such name
     * @throws KindMismatchException if the name is an object of another kind
     * @throws SegmentFullException if it must be created and there is no room
     * @throws IllegalStateException if the segment is closed, or opened for inspection and the
     *     object must be created
     */
    public ObjectRegion object(String name, ObjectKind kind, OpenMode mode, long length, ObjectInitializer init) {
        ensureOpen();
        if (mode != OpenMode.OPEN) {
            ensureWritable();
        }
        return directory.find(name, kind, mode, mode == OpenMode.OPEN ? 0 : length,
                mode == OpenMode.OPEN ? ObjectInitializer.ZERO : init);
    }

    /** Same as {@link #object} with {@link OpenMode#CREATE}. <b>Service-provider API.</b> */
    public ObjectRegion createObject(String name, ObjectKind kind, long length, ObjectInitializer init) {
        return object(name, kind, OpenMode.CREATE, length, init);
    }

    /** Same as {@link #object} with {@link OpenMode#OPEN}. <b>Service-provider API.</b> */
    public ObjectRegion openObject(String name, ObjectKind kind) {
        return object(name, kind, OpenMode.OPEN, 0, ObjectInitializer.ZERO);
    }

    /** Same as {@link #object} with {@link OpenMode#OPEN_OR_CREATE}. <b>Service-provider API.</b> */
    public ObjectRegion openOrCreateObject(String name, ObjectKind kind, long length, ObjectInitializer init) {
        return object(name, kind, OpenMode.OPEN_OR_CREATE, length, init);
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Detaches this process: frees its process slot and makes every handle from this segment throw
     * {@link IllegalStateException}. Locks this attachment still holds become recoverable by
     * others, as after a crash. Idempotent. The memory is not unmapped.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closer = Thread.currentThread();
            closed = true;
        }
        runCloseActions();
        if (inspection) {
            processes.locks().close(); // an inspection's mapping is its own
            return;
        }
        WaitLoop.wakeSleepers(buffer);
        if (!awaitOperationsEnded()) {
            LOG.log(System.Logger.Level.WARNING, () -> "segment '" + name + "' closed while " + inFlight.get()
                    + " operation(s) of this attachment were still running after "
                    + CLOSE_WAIT_MILLIS + " ms; its process slot stays held (ownerId=" + ownerId
                    + ") until they end or this JVM exits, so no other process takes their work over");
            return;
        }
        processes.detach(attachment);
        file.watch().releasedSlot(attachment.slot());
        // Again, now that the slot is free: a sleeper of another attachment of this JVM that
        // checked on the first notice still saw this slot's owner alive, and no watcher watches
        // a slot of its own JVM (a lock held through this attachment was never taken over).
        WaitLoop.wakeSleepers(buffer);
        file.detached();
    }

    /**
     * Runs an action once this segment is closed, in the thread that calls {@link #close()} (or at
     * once in the calling thread if it is already closed). Used by monitoring (JMX registrations
     * end with the segment). Any thread; an exception from the action is logged and ignored.
     *
     * @param action what to run; removed again with {@link #removeCloseAction}
     */
    public void whenClosed(Runnable action) {
        java.util.Objects.requireNonNull(action, "action");
        synchronized (this) {
            if (!closed) {
                closeActions.add(action);
                return;
            }
        }
        runCloseAction(action);
    }

    /**
     * @param action an action given to {@link #whenClosed}
     * @return true if it was still waiting for the close and will now not run
     */
    public boolean removeCloseAction(Runnable action) {
        return closeActions.remove(action);
    }

    private void runCloseActions() {
        for (Runnable action : closeActions) {
            runCloseAction(action);
        }
        closeActions.clear();
    }

    private void runCloseAction(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a close action of segment '" + name + "' failed", e);
        }
    }

    /** How long {@link #close()} waits for this attachment's running operations to notice it. */
    private static final long CLOSE_WAIT_MILLIS = 10_000;

    /** @return true once no operation begun with {@link #beginOperation()} is running */
    private boolean awaitOperationsEnded() {
        long deadline = Deadline.after(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS));
        while (inFlight.get() != 0) {
            long left = Deadline.remaining(deadline);
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(this, Math.min(left, 1_000_000));
        }
        return true;
    }

    /**
     * Removes the segment's name from the file system. Processes that have it open keep working;
     * a later {@code create} of the same name makes a new, separate segment.
     *
     * @return true if the file was removed, false if it was already gone
     */
    public boolean unlink() {
        try {
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new SegmentAccessException("cannot remove segment '" + name + "': path=" + path, e);
        }
    }

    @Override
    public String toString() {
        return "Segment[name=" + name + ", path=" + path + ", size=" + size + ", ownerId=" + ownerId
                + (closed ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------- internals

    /** @return whether {@code name} is a valid segment name */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    private static void checkName(String name) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("invalid segment name: name='" + name
                    + "' (must match [A-Za-z0-9._-]{1,128} and not be . or ..)");
        }
    }

    private static void checkSize(String name, long size, SegmentOptions options) {
        long min = SegmentHeader.layoutSize(options.processTableSize(), options.directorySize());
        if (size < min) {
            throw new IllegalArgumentException("segment size too small: name='" + name + "', size=" + size
                    + ", needed at least " + min + " bytes for the header, " + options.processTableSize()
                    + " process slots and " + options.directorySize() + " directory entries");
        }
        if (size > MAX_SIZE) {
            throw new IllegalArgumentException("segment size too large: name='" + name + "', size=" + size
                    + ", max=" + MAX_SIZE);
        }
    }

    private static Path prepare(String name, SegmentOptions options) {
        checkName(name);
        Path dir = options.directory();
        SegmentFiles.ensureDirectory(dir);
        return dir.resolve(name);
    }

    private static Segment tryOpen(String name, Path path, SegmentOptions options) {
        return SegmentFiles.withDescriptor(name, path, Posix.O_RDWR, (fd, stat) -> {
            SegmentFiles.checkSegmentFile(name, path, stat);
            return new Segment(name, path, options, MappedFile.of(name, path, fd, stat), true);
        }, () -> null);
    }

    /** @return this JVM's view of the segment file (shared by its attachments) */
    public MappedFile file() {
        return file;
    }
}
