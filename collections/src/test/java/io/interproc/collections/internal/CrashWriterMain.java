package io.interproc.collections.internal;

import io.interproc.collections.SharedMap;
import io.interproc.core.Codec;
import io.interproc.core.Segment;

/**
 * Child JVM of {@link MapCrashPointTest}, started with {@code -Dinterproc.collections.crashAt=P}:
 * opens the map "m" (long keys, string values) and does one write, freezing at P (it prints
 * {@code FROZEN P}) to be killed there. Args: segment, op ({@code put} key value | {@code remove}
 * key | {@code clear}). Prints {@code DONE} if it never reached P.
 */
public final class CrashWriterMain {
    private CrashWriterMain() {
    }

    public static void main(String[] args) {
        Segment segment = Segment.open(args[0]);
        SharedMap<Long, String> m = SharedMap.open(segment, "m", Codec.longs(), Codec.utf8());
        switch (args[1]) {
            case "put" -> m.put(Long.parseLong(args[2]), args[3]);
            case "remove" -> m.remove(Long.parseLong(args[2]));
            case "clear" -> m.clear();
            default -> throw new IllegalArgumentException(args[1]);
        }
        System.out.println("DONE");
        System.out.flush();
        segment.close();
    }
}
