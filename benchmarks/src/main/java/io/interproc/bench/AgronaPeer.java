package io.interproc.bench;

import io.interproc.core.Segment;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The Agrona peer processes of the {@link Harness}: {@link OneToOneRingBuffer} and
 * {@link ManyToOneRingBuffer} over a file the harness created (zero-filled, in {@code /dev/shm}
 * like interproc's segments), mapped by each peer. Producers and consumers busy-spin with
 * {@link Thread#onSpinWait()} when the ring is full or empty (Agrona has no blocking wait). Args:
 * {@code kind segment index file [params...]}; the segment holds only the {@link Control} block.
 * <ul>
 *   <li>{@code producer o2o|m2o capacity size}, {@code consumer o2o|m2o capacity size};</li>
 *   <li>{@code ping capacity size warmup rounds maxMillis}, {@code pong capacity size warmup rounds}: two
 *       one-to-one rings in one file, ping → pong at offset 0, pong → ping after it.</li>
 * </ul>
 */
public final class AgronaPeer {
    private static final int MSG_TYPE = 1;

    private AgronaPeer() {
    }

    /**
     * @param args kind, segment name, peer index, ring file, then the kind's parameters
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int index = Integer.parseInt(args[2]);
        Path file = Path.of(args[3]);
        String[] p = Arrays.copyOfRange(args, 4, args.length);
        try (Segment segment = Segment.open(args[1])) {
            Control control = Control.open(segment);
            switch (kind) {
                case "producer":
                    producer(control, index, ring(file, p[0], Integer.parseInt(p[1]), 0), Integer.parseInt(p[2]));
                    break;
                case "consumer":
                    consumer(control, index, ring(file, p[0], Integer.parseInt(p[1]), 0), Integer.parseInt(p[2]));
                    break;
                case "ping": {
                    int capacity = Integer.parseInt(p[0]);
                    pingPong(true, ring(file, "o2o", capacity, 0), ring(file, "o2o", capacity, 1), Integer.parseInt(p[1]),
                            Integer.parseInt(p[2]), Integer.parseInt(p[3]), Long.parseLong(p[4]));
                    break;
                }
                case "pong": {
                    int capacity = Integer.parseInt(p[0]);
                    pingPong(false, ring(file, "o2o", capacity, 1), ring(file, "o2o", capacity, 0), Integer.parseInt(p[1]),
                            Integer.parseInt(p[2]), Integer.parseInt(p[3]), Long.MAX_VALUE);
                    break;
                }
                default:
                    throw new IllegalArgumentException("unknown Agrona peer kind: kind=" + kind);
            }
        }
    }

    /** @return the file length the harness must create for {@code rings} rings of {@code capacity} */
    static long fileLength(int capacity, int rings) {
        return (long) rings * (capacity + RingBufferDescriptor.TRAILER_LENGTH);
    }

    private static RingBuffer ring(Path file, String type, int capacity, int slot) throws IOException {
        int length = capacity + RingBufferDescriptor.TRAILER_LENGTH;
        MappedByteBuffer mapped;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            mapped = channel.map(FileChannel.MapMode.READ_WRITE, (long) slot * length, length);
        }
        UnsafeBuffer buffer = new UnsafeBuffer(mapped);
        return type.equals("m2o") ? new ManyToOneRingBuffer(buffer) : new OneToOneRingBuffer(buffer);
    }

    private static void producer(Control control, int index, RingBuffer ring, int size) throws InterruptedException {
        UnsafeBuffer src = new UnsafeBuffer(new byte[size]);
        control.ready();
        control.awaitGo();
        for (long n = 1; ; n++) {
            while (!ring.write(MSG_TYPE, src, 0, size)) {
                Thread.onSpinWait();
            }
            if ((n & (Control.PUBLISH_EVERY - 1)) == 0) {
                control.publish(index, n);
                if (control.stopRequested()) {
                    return;
                }
            }
        }
    }

    private static void consumer(Control control, int index, RingBuffer ring, int size) throws InterruptedException {
        byte[] dst = new byte[size];
        MessageHandler copyOut = (type, buffer, at, length) -> buffer.getBytes(at, dst, 0, length);
        control.ready();
        control.awaitGo();
        long total = 0;
        long published = 0;
        while (true) {
            int n = ring.read(copyOut);
            if (n == 0) {
                Thread.onSpinWait();
                continue;
            }
            total += n;
            if (total - published >= Control.PUBLISH_EVERY) {
                control.publish(index, total); // never stops by itself: the harness kills it
                published = total;
            }
        }
    }

    private static void pingPong(boolean ping, RingBuffer out, RingBuffer in, int size, int warmup, int rounds,
            long maxMillis) {
        UnsafeBuffer src = new UnsafeBuffer(new byte[size]);
        byte[] dst = new byte[size];
        MessageHandler copyOut = (type, buffer, at, length) -> buffer.getBytes(at, dst, 0, length);
        Histogram h = Peer.newHistogram();
        long end = Long.MAX_VALUE;
        for (int i = 0; i < warmup + rounds; i++) {
            long t0 = System.nanoTime();
            if (ping) {
                send(out, src, size);
                receive(in, copyOut);
                if (i >= warmup) {
                    long t1 = System.nanoTime();
                    h.recordValue(t1 - t0);
                    if (i == warmup) {
                        end = t1 + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(maxMillis);
                    } else if (t1 - end > 0) {
                        break; // the time cap: fewer rounds on a slow machine
                    }
                }
            } else {
                receive(in, copyOut);
                send(out, src, size);
            }
        }
        if (ping) {
            Peer.printLatency(h);
        }
    }

    private static void send(RingBuffer ring, UnsafeBuffer src, int size) {
        while (!ring.write(MSG_TYPE, src, 0, size)) {
            Thread.onSpinWait();
        }
    }

    private static void receive(RingBuffer ring, MessageHandler handler) {
        while (ring.read(handler, 1) == 0) {
            Thread.onSpinWait();
        }
    }
}
