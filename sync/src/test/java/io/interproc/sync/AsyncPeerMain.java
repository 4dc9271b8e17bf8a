package io.interproc.sync;

import io.interproc.core.Segment;

/**
 * Child JVM for {@link AsyncWaitsSyncTest}: completes, from another process, what the parent's
 * asynchronous waits wait for. Args: segment, action, object name, count. Actions: {@code set}
 * (the event), {@code pulse} (set then clear the event), {@code release} (count permits of the
 * semaphore, one release each).
 */
public final class AsyncPeerMain {
    private AsyncPeerMain() {
    }

    public static void main(String[] args) throws Exception {
        try (Segment segment = Segment.open(args[0])) {
            String name = args[2];
            int count = Integer.parseInt(args[3]);
            switch (args[1]) {
                case "set" -> SharedEvent.open(segment, name).set();
                case "pulse" -> {
                    SharedEvent ev = SharedEvent.open(segment, name);
                    ev.set();
                    ev.clear();
                }
                case "release" -> {
                    SharedSemaphore sem = SharedSemaphore.open(segment, name);
                    for (int i = 0; i < count; i++) {
                        sem.release();
                    }
                }
                default -> throw new IllegalArgumentException("unknown action: " + args[1]);
            }
        }
    }
}
