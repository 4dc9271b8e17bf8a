package io.interproc.bench;

import io.interproc.collections.SharedList;
import io.interproc.collections.SharedMap;
import io.interproc.core.Codec;
import io.interproc.core.Segment;

import java.util.Arrays;

/**
 * The interproc peer of the map and list scenarios ({@link CollectionScenarios}): args
 * {@code kind segment index keyKind keys}, kind one of {@code get}, {@code put}, {@code remove}
 * (a remove and a put back, one op), {@code append}; keyKind {@code long} (8-byte keys) or
 * {@code string100} (100-byte string keys); values are 8-byte longs. Counts ops in its
 * {@link Control} slot until stopped.
 */
public final class MapPeer {
    private MapPeer() {
    }

    /** @return the keys of a run: the same in every peer and in the set-up */
    static Object[] keys(String keyKind, int n) {
        Object[] keys = new Object[n];
        for (int i = 0; i < n; i++) {
            keys[i] = keyKind.equals("long") ? (Object) (long) i : String.format("%0100d", i);
        }
        return keys;
    }

    /** @return the map of a run, with the codec its key kind needs */
    @SuppressWarnings("unchecked")
    static SharedMap<Object, Long> open(Segment segment, String keyKind) {
        Codec<?> keyCodec = keyKind.equals("long") ? Codec.longs() : Codec.utf8();
        return SharedMap.open(segment, "map", (Codec<Object>) keyCodec, Codec.longs());
    }

    /** The set-up, in the harness: creates and fills the map (and the list). */
    @SuppressWarnings("unchecked")
    static void setUp(Segment segment, String keyKind, int n) {
        Codec<?> keyCodec = keyKind.equals("long") ? Codec.longs() : Codec.utf8();
        SharedMap<Object, Long> map = SharedMap.create(segment, "map", (Codec<Object>) keyCodec, Codec.longs(), n,
                keyKind.equals("long") ? 8 : 100, 8);
        for (Object k : keys(keyKind, n)) {
            map.put(k, 1L);
        }
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int index = Integer.parseInt(args[2]);
        String[] params = Arrays.copyOfRange(args, 3, args.length);
        try (Segment segment = Segment.open(args[1])) {
            Control control = Control.open(segment);
            if (kind.equals("append")) {
                append(segment, control, index);
                return;
            }
            SharedMap<Object, Long> map = open(segment, params[0]);
            Object[] keys = keys(params[0], Integer.parseInt(params[1]));
            control.ready();
            control.awaitGo();
            int i = index * 7919 % keys.length;
            for (long n = 1; ; n++) {
                Object k = keys[i];
                switch (kind) {
                    case "get" -> map.get(k);
                    case "put" -> map.put(k, n);
                    case "remove" -> {
                        map.remove(k);
                        map.put(k, n);
                    }
                    default -> throw new IllegalArgumentException("unknown kind: " + kind);
                }
                if (++i == keys.length) {
                    i = 0;
                }
                if ((n & (Control.PUBLISH_EVERY - 1)) == 0) {
                    control.publish(index, n);
                    if (control.stopRequested()) {
                        return;
                    }
                }
            }
        }
    }

    private static void append(Segment segment, Control control, int index) throws InterruptedException {
        SharedList<Long> list = SharedList.open(segment, "list", Codec.longs());
        control.ready();
        control.awaitGo();
        for (long n = 1; ; n++) {
            if (list.longSize() > CollectionScenarios.LIST_CAPACITY - 1000) {
                list.clear(); // keep appending within the capacity; a clear per 100k appends
            }
            list.append(n);
            if ((n & (Control.PUBLISH_EVERY - 1)) == 0) {
                control.publish(index, n);
                if (control.stopRequested()) {
                    return;
                }
            }
        }
    }
}
