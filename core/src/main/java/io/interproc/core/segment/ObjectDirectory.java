package io.interproc.core.segment;

import static io.interproc.core.segment.DirectoryDescriptor.CLAIM_OFFSET;
import static io.interproc.core.segment.DirectoryDescriptor.CREATED_AT_OFFSET;
import static io.interproc.core.segment.DirectoryDescriptor.ENTRY_SIZE;
import static io.interproc.core.segment.DirectoryDescriptor.KIND_OFFSET;
import static io.interproc.core.segment.DirectoryDescriptor.MAX_NAME_BYTES;
import static io.interproc.core.segment.DirectoryDescriptor.NAME_LENGTH_OFFSET;
import static io.interproc.core.segment.DirectoryDescriptor.NAME_OFFSET;
import static io.interproc.core.segment.DirectoryDescriptor.OBJECT_LENGTH_OFFSET;
import static io.interproc.core.segment.DirectoryDescriptor.OBJECT_OFFSET_OFFSET;
import static io.interproc.core.segment.DirectoryDescriptor.STATE_CLAIMING;
import static io.interproc.core.segment.DirectoryDescriptor.STATE_FREE;
import static io.interproc.core.segment.DirectoryDescriptor.STATE_READY;
import static io.interproc.core.segment.DirectoryDescriptor.claim;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.InterprocException;
import io.interproc.core.KindMismatchException;
import io.interproc.core.NoSuchObjectException;
import io.interproc.core.ObjectExistsException;
import io.interproc.core.ObjectInfo;
import io.interproc.core.Segment;
import io.interproc.core.SegmentFullException;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.spi.ObjectInitializer;
import io.interproc.core.spi.ObjectKind;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.core.spi.OpenMode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The directory of named objects of one segment (layout: {@link DirectoryDescriptor}) and the
 * bump allocator of its object area. Creation of a name is race-safe across processes: the first
 * to CAS a free entry creates the object; everyone else who asks for the same name waits for that
 * entry to become READY and gets the same object. A claimer that died before READY is detected by
 * its owner id and its entry is taken over (the bytes it had allocated are not reused).
 */
public final class ObjectDirectory {
    private final Segment segment;
    private final SharedBuffer buffer;
    private final int offset;
    private final int capacity;
    private final int areaOffset;
    private final int size;

    /**
     * @param segment the segment whose directory this is
     * @param buffer its mapping, whose header (already validated) says where the directory is
     */
    public ObjectDirectory(Segment segment, SharedBuffer buffer) {
        this.segment = segment;
        this.buffer = buffer;
        this.offset = buffer.getInt(SegmentHeaderDescriptor.DIRECTORY_OFFSET_OFFSET);
        this.capacity = buffer.getInt(SegmentHeaderDescriptor.DIRECTORY_CAPACITY_OFFSET);
        this.areaOffset = buffer.getInt(SegmentHeaderDescriptor.OBJECT_AREA_OFFSET_OFFSET);
        this.size = buffer.capacity();
    }


    static byte[] encodeName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("object name must not be null");
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("object name must be 1 to " + MAX_NAME_BYTES
                    + " UTF-8 bytes: name='" + name + "', bytes=" + bytes.length);
        }
        return bytes;
    }

    public ObjectRegion find(String name, ObjectKind kind, OpenMode mode, long length, ObjectInitializer init) {
        byte[] key = encodeName(name);
        if (mode != OpenMode.OPEN && (length < 0 || length > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("object length out of range: name='" + name
                    + "', length=" + length);
        }
        long timeoutNanos = segment.options().openTimeoutNanos();
        boolean timed = timeoutNanos < Long.MAX_VALUE / 2; // longer: no deadline (~146 years)
        long deadline = System.nanoTime() + (timed ? timeoutNanos : 0);
        int start = DirectoryDescriptor.hash(key) % capacity;
        for (int probe = 0; probe < capacity; probe++) {
            int entry = offset + ((start + probe) % capacity) * ENTRY_SIZE;
            while (true) {
                long c = buffer.getLongAcquire(entry + CLAIM_OFFSET);
                int state = DirectoryDescriptor.state(c);
                if (state == STATE_READY) {
                    if (!nameEquals(entry, key)) {
                        break; // next probe
                    }
                    if (mode == OpenMode.CREATE) {
                        throw new ObjectExistsException("object '" + name + "' already exists in segment '"
                                + segment.name() + "' (as " + kindAt(entry) + ")");
                    }
                    return region(entry, name, kind);
                }
                if (state == STATE_FREE) {
                    if (mode == OpenMode.OPEN) {
                        throw new NoSuchObjectException("no object named '" + name + "' in segment '"
                                + segment.name() + "'");
                    }
                    if (buffer.compareAndSetLong(entry + CLAIM_OFFSET, c, claim(segment.ownerId(), STATE_CLAIMING))) {
                        return initialise(entry, key, name, kind, (int) length, init);
                    }
                    continue; // lost the race: look at what the winner is creating
                }
                if (state != STATE_CLAIMING) {
                    throw new CorruptSegmentException("directory entry " + ((start + probe) % capacity)
                            + " of segment '" + segment.name() + "' has state=" + state);
                }
                int claimer = DirectoryDescriptor.ownerId(c);
                if (!segment.isAlive(claimer)) {
                    if (mode == OpenMode.OPEN) {
                        break; // abandoned half-created entry: not an object
                    }
                    if (buffer.compareAndSetLong(entry + CLAIM_OFFSET, c, claim(segment.ownerId(), STATE_CLAIMING))) {
                        return initialise(entry, key, name, kind, (int) length, init);
                    }
                    continue;
                }
                if (timed && System.nanoTime() - deadline > 0) {
                    throw new InterprocException("timed out after "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms waiting for pid="
                            + segment.pidOf(claimer) + " to finish creating an object in segment '"
                            + segment.name() + "' (looking for '" + name + "')");
                }
                sleepBriefly();
            }
        }
        if (mode == OpenMode.OPEN) {
            throw new NoSuchObjectException("no object named '" + name + "' in segment '" + segment.name() + "'");
        }
        throw new SegmentFullException("directory of segment '" + segment.name() + "' is full: "
                + capacity + " entries used, cannot add '" + name + "'; create the segment with more "
                + "directory entries (SegmentOptions.directorySize)");
    }

    private static void sleepBriefly() {
        try {
            TimeUnit.MICROSECONDS.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterprocException("interrupted while waiting for another process to create an object", e);
        }
    }

    private ObjectRegion initialise(int entry, byte[] key, String name, ObjectKind kind, int length,
            ObjectInitializer init) {
        buffer.setInt(entry + KIND_OFFSET, kind.code());
        buffer.setInt(entry + NAME_LENGTH_OFFSET, key.length);
        buffer.zero(entry + NAME_OFFSET, MAX_NAME_BYTES);
        buffer.putBytes(entry + NAME_OFFSET, key, 0, key.length);
        int at;
        try {
            at = allocate(name, length);
        } catch (RuntimeException e) {
            // Leave the entry reusable: FREE again, so the name can be created once there is room.
            buffer.setLongVolatile(entry + CLAIM_OFFSET, claim(0, STATE_FREE));
            throw e;
        }
        buffer.setLong(entry + OBJECT_OFFSET_OFFSET, at);
        buffer.setLong(entry + OBJECT_LENGTH_OFFSET, length);
        buffer.setLong(entry + CREATED_AT_OFFSET, System.currentTimeMillis());
        init.initialize(buffer, at, length);
        buffer.setLongRelease(entry + CLAIM_OFFSET, claim(segment.ownerId(), STATE_READY));
        return new ObjectRegion(segment, name, kind, at, length);
    }

    private int allocate(String name, int length) {
        int cursorAt = SegmentHeaderDescriptor.ALLOCATION_CURSOR_OFFSET;
        while (true) {
            long cursor = buffer.getLongVolatile(cursorAt);
            if (cursor < areaOffset || cursor > size) {
                throw new CorruptSegmentException("segment '" + segment.name() + "' is corrupt: allocation cursor="
                        + cursor + " is outside [" + areaOffset + ", " + size + "]");
            }
            long at = SegmentHeaderDescriptor.align(cursor, SegmentHeaderDescriptor.OBJECT_ALIGNMENT);
            long end = at + Math.max(length, 1);
            if (end > size) {
                throw new SegmentFullException("segment '" + segment.name() + "' is full: object '" + name
                        + "' needs " + length + " bytes, " + Math.max(0, size - at) + " of " + size
                        + " bytes are free; create the segment with a larger size (Segment.create(name, size))");
            }
            if (buffer.compareAndSetLong(cursorAt, cursor, end)) {
                return (int) at;
            }
        }
    }

    private boolean nameEquals(int entry, byte[] key) {
        int len = buffer.getInt(entry + NAME_LENGTH_OFFSET);
        if (len != key.length) {
            return false;
        }
        byte[] stored = new byte[len];
        buffer.getBytes(entry + NAME_OFFSET, stored, 0, len);
        return Arrays.equals(stored, key);
    }

    private ObjectKind kindAt(int entry) {
        int code = buffer.getInt(entry + KIND_OFFSET);
        ObjectKind found = ObjectKind.ofCode(code);
        if (found == null) {
            Inspection.defineKnownKinds();
            found = ObjectKind.ofCode(code);
        }
        if (found == null) {
            throw new CorruptSegmentException("directory entry at offset " + entry + " of segment '"
                    + segment.name() + "' has unknown kind code=" + code
                    + " (no module on the class path defines it)");
        }
        return found;
    }

    private ObjectRegion region(int entry, String name, ObjectKind kind) {
        ObjectKind found = kindAt(entry);
        if (found != kind) {
            throw new KindMismatchException("object '" + name + "' in segment '" + segment.name() + "' is a "
                    + found + ", not a " + kind);
        }
        long at = buffer.getLong(entry + OBJECT_OFFSET_OFFSET);
        long len = buffer.getLong(entry + OBJECT_LENGTH_OFFSET);
        long cursor = buffer.getLongVolatile(SegmentHeaderDescriptor.ALLOCATION_CURSOR_OFFSET);
        // at + len could overflow: compare len with the room left after at instead.
        if (at < areaOffset || at > Math.min(cursor, size) || len < 0 || len > Math.min(cursor, size) - at
                || at % SegmentHeaderDescriptor.OBJECT_ALIGNMENT != 0) {
            throw new CorruptSegmentException("object '" + name + "' in segment '" + segment.name()
                    + "' is corrupt: offset=" + at + ", length=" + len + " is outside the allocated area ["
                    + areaOffset + ", " + Math.min(cursor, size) + ") or misaligned");
        }
        return new ObjectRegion(segment, name, kind, (int) at, (int) len);
    }

    public List<ObjectInfo> list() {
        List<ObjectInfo> out = new ArrayList<>();
        for (int i = 0; i < capacity; i++) {
            int entry = offset + i * ENTRY_SIZE;
            long c = buffer.getLongAcquire(entry + CLAIM_OFFSET);
            if (DirectoryDescriptor.state(c) != STATE_READY) {
                continue;
            }
            int len = buffer.getInt(entry + NAME_LENGTH_OFFSET);
            if (len < 1 || len > MAX_NAME_BYTES) {
                throw new CorruptSegmentException("directory entry " + i + " of segment '" + segment.name()
                        + "' has name length=" + len);
            }
            byte[] bytes = new byte[len];
            buffer.getBytes(entry + NAME_OFFSET, bytes, 0, len);
            String name = new String(bytes, StandardCharsets.UTF_8);
            ObjectRegion r = region(entry, name, kindAt(entry));
            out.add(new ObjectInfo(name, r.kind(), r.offset(), r.length(), buffer.getLong(entry + CREATED_AT_OFFSET)));
        }
        return out;
    }
}
