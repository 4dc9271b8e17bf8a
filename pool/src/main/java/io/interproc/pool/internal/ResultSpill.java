package io.interproc.pool.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a process pool's collector receives a result message it cannot allocate on the heap:
 * a file mapped in the pool's segment directory and unlinked at once, so the message can be taken
 * off the result queue (the queue has no way to drop a message unread, and a message larger than
 * the ring keeps its worker waiting until it is read) and its header read to learn which task to
 * fail. The mapping's pages go when the buffer is garbage-collected. Used by the collector thread
 * only.
 */
final class ResultSpill {
    private ResultSpill() {
    }

    /**
     * @param directory where to make the file (the segment directory: memory, not disk, by default)
     * @param prefix start of the file's name
     * @param size bytes of the message
     * @return a little-endian buffer of {@code size} bytes, not on the heap
     * @throws IOException if the file cannot be made or mapped
     */
    static ByteBuffer map(Path directory, String prefix, int size) throws IOException {
        Path file = Files.createTempFile(directory, prefix + "-spill-", ".tmp");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
            mapped.order(ByteOrder.LITTLE_ENDIAN);
            return mapped;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
