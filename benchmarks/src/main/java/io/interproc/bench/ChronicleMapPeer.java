package io.interproc.bench;

import io.interproc.core.Segment;

import java.io.File;
import java.util.Arrays;
import java.util.List;

import net.openhft.chronicle.map.ChronicleMap;

/**
 * The Chronicle Map peer of the map scenarios ({@link CollectionScenarios}): the same loops as
 * {@link MapPeer} over a Chronicle Map persisted in {@code /dev/shm} (args {@code kind segment
 * index keyKind keys file}). Every peer of a run opens the file with {@code createPersistedTo} and
 * fills it (idempotent), then counts ops in its {@link Control} slot. Only its JVMs load Chronicle.
 */
public final class ChronicleMapPeer {
    /** The module flags Chronicle needs on JDK 17+ (its peer JVMs only). */
    static final List<String> JVM_OPTIONS = List.of(
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");

    private ChronicleMapPeer() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int index = Integer.parseInt(args[2]);
        String[] params = Arrays.copyOfRange(args, 3, args.length);
        String keyKind = params[0];
        int n = Integer.parseInt(params[1]);
        File file = new File(params[2]);
        Object[] keys = MapPeer.keys(keyKind, n);
        try (Segment segment = Segment.open(args[1]); ChronicleMap<Object, Long> map = open(keyKind, n, file)) {
            Control control = Control.open(segment);
            for (Object k : keys) {
                map.put(k, 1L);
            }
            control.ready();
            control.awaitGo();
            int i = index * 7919 % keys.length;
            for (long c = 1; ; c++) {
                Object k = keys[i];
                switch (kind) {
                    case "get" -> map.get(k);
                    case "put" -> map.put(k, c);
                    case "remove" -> {
                        map.remove(k);
                        map.put(k, c);
                    }
                    default -> throw new IllegalArgumentException("unknown kind: " + kind);
                }
                if (++i == keys.length) {
                    i = 0;
                }
                if ((c & (Control.PUBLISH_EVERY - 1)) == 0) {
                    control.publish(index, c);
                    if (control.stopRequested()) {
                        return;
                    }
                }
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ChronicleMap<Object, Long> open(String keyKind, int n, File file) throws Exception {
        if (keyKind.equals("long")) {
            return (ChronicleMap) ChronicleMap.of(Long.class, Long.class).name("bench").entries(n)
                    .createPersistedTo(file);
        }
        return (ChronicleMap) ChronicleMap.of(String.class, Long.class).name("bench").entries(n)
                .averageKeySize(100).createPersistedTo(file);
    }
}
