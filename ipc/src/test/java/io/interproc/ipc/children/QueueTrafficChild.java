package io.interproc.ipc.children;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.ipc.queue.SharedQueue;

import java.nio.charset.StandardCharsets;

/**
 * Producer and consumer of SharedQueue {@code args[1]} in one JVM. A producer thread puts
 * {@code "s<i>"} for i below {@code args[2]}; the consumer takes until it has seen every one of
 * them and the message {@code "END"}, checking every message that is neither: it must be the
 * {@code args[3]}-byte message with {@code (byte) i} at index {@code i}. Prints
 * {@code smalls=<distinct> duplicates=<n> big=<n> bad=<n>} and exits 0, or prints the failure
 * and exits 1.
 */
public final class QueueTrafficChild {
    private QueueTrafficChild() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[2]);
        int bigSize = Integer.parseInt(args[3]);
        try (Segment segment = Segment.open(args[0])) {
            SharedQueue<byte[]> q = SharedQueue.open(segment, args[1], Codec.bytes());
            Throwable[] producerFailure = {null};
            Thread producer = new Thread(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        q.put(("s" + i).getBytes(StandardCharsets.UTF_8));
                    }
                } catch (Throwable t) {
                    producerFailure[0] = t;
                }
            }, "producer");
            producer.start();
            boolean[] seen = new boolean[n];
            int distinct = 0;
            int duplicates = 0;
            int big = 0;
            int bad = 0;
            boolean end = false;
            while (distinct < n || !end) {
                byte[] m = q.take();
                String text = m.length < 16 ? new String(m, StandardCharsets.UTF_8) : "";
                if (text.equals("END")) {
                    end = true;
                } else if (text.startsWith("s")) {
                    int i = Integer.parseInt(text.substring(1));
                    if (seen[i]) {
                        duplicates++;
                    } else {
                        seen[i] = true;
                        distinct++;
                    }
                } else if (m.length == bigSize && isPattern(m)) {
                    big++;
                } else {
                    bad++;
                    System.out.println("bad message of " + m.length + " bytes");
                }
            }
            producer.join();
            if (producerFailure[0] != null) {
                throw new AssertionError("producer failed", producerFailure[0]);
            }
            System.out.println("smalls=" + distinct + " duplicates=" + duplicates + " big=" + big + " bad=" + bad);
        }
    }

    private static boolean isPattern(byte[] m) {
        for (int i = 0; i < m.length; i++) {
            if (m[i] != (byte) i) {
                return false;
            }
        }
        return true;
    }
}
