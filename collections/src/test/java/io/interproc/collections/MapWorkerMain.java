package io.interproc.collections;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.SharedLong;

import java.util.Random;

/**
 * Child JVM for the multi-process map and list tests. Args: segment, mode, then per mode:
 * {@code merge <iterations> <keys>} (merge +1 and compute +1 on shared keys, then exit),
 * {@code churn <seed>} (put/replace/remove keys 1000..1999 with self-checking values forever,
 * counting in the SharedLong "progress"), {@code hold <key>} (compute on a key and sleep inside the
 * function, after writing its pid to the SharedLong "held"), {@code append <count>} (append
 * "pid:i" to the list "list"), {@code append-forever} (append "child:i" and count it in the SharedLong
 * "confirmed" until killed).
 */
public final class MapWorkerMain {
    private MapWorkerMain() {
    }

    /** @return the value churn writes for a key: self-describing, with a variable length */
    static String valueFor(long key, int variant) {
        return key + ":" + "x".repeat(variant % 90) + ":" + key;
    }

    /** @return true if a value is one {@link #valueFor} wrote for this key */
    static boolean isValueFor(long key, String value) {
        return value.startsWith(key + ":") && value.endsWith(":" + key);
    }

    public static void main(String[] args) throws Exception {
        Segment segment = Segment.open(args[0]);
        switch (args[1]) {
            case "merge" -> {
                SharedMap<String, Long> m = SharedMap.open(segment, "m", Codec.utf8(), Codec.longs());
                int iterations = Integer.parseInt(args[2]);
                int keys = Integer.parseInt(args[3]);
                for (int i = 0; i < iterations; i++) {
                    String k = "k" + (i % keys);
                    if (i % 2 == 0) {
                        m.merge(k, 1L, Long::sum);
                    } else {
                        m.compute(k, (key, v) -> v == null ? 1L : v + 1);
                    }
                }
            }
            case "churn" -> {
                SharedMap<Long, String> m = SharedMap.open(segment, "m", Codec.longs(), Codec.utf8());
                SharedLong progress = SharedLong.open(segment, "progress");
                Random r = new Random(Long.parseLong(args[2]));
                while (true) {
                    long k = 1000 + r.nextInt(1000);
                    switch (r.nextInt(4)) {
                        case 0 -> m.remove(k);
                        case 1 -> m.merge(k, valueFor(k, r.nextInt(100)), (a, b) -> a.length() > 60 ? null : b);
                        default -> m.put(k, valueFor(k, r.nextInt(100)));
                    }
                    progress.incrementAndGet();
                }
            }
            case "hold" -> {
                SharedMap<String, Long> m = SharedMap.open(segment, "m", Codec.utf8(), Codec.longs());
                SharedLong held = SharedLong.open(segment, "held");
                m.compute(args[2], (k, v) -> {
                    held.set(ProcessHandle.current().pid());
                    try {
                        Thread.sleep(Long.MAX_VALUE); // holding the entry until killed
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return -1L;
                });
            }
            case "append" -> {
                SharedList<String> list = SharedList.open(segment, "list", Codec.utf8());
                int count = Integer.parseInt(args[2]);
                long pid = ProcessHandle.current().pid();
                for (int i = 0; i < count; i++) {
                    list.append(pid + ":" + i);
                }
            }
            case "append-forever" -> {
                SharedList<String> list = SharedList.open(segment, "list", Codec.utf8());
                SharedLong confirmed = SharedLong.open(segment, "confirmed");
                for (long i = 0; ; i++) {
                    list.append("child:" + i);
                    confirmed.set(i + 1);
                }
            }
            default -> throw new IllegalArgumentException("mode " + args[1]);
        }
        segment.close();
    }
}
