package io.interproc.bench;

import io.interproc.chronicle.ChronicleCodec;
import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.ipc.queue.SharedQueue;

import java.util.Arrays;

/**
 * A peer of the {@code codec-chronicle} scenario: puts or takes {@link BenchOrder} objects through
 * the run's {@code SharedQueue} "q" with {@link ChronicleCodec} or {@code Codec.serializable}, so
 * the two differ only in the codec. Started with the flags Chronicle Bytes needs
 * ({@link io.interproc.chronicle.ChronicleJvmOptions}) whichever codec it uses.
 * Args: {@code producer|consumer segment index chronicle|serializable}.
 */
public final class CodecPeer {
    private CodecPeer() {
    }

    /**
     * @param args role, segment name, peer index, codec
     * @throws Exception on failure (the harness reports the peer as failed, with this)
     */
    public static void main(String[] args) throws Exception {
        String role = args[0];
        int index = Integer.parseInt(args[2]);
        String[] params = Arrays.copyOfRange(args, 3, args.length);
        try (Segment segment = Segment.open(args[1])) {
            Control control = Control.open(segment);
            Codec<BenchOrder> codec = codec(params[0]);
            SharedQueue<BenchOrder> queue = SharedQueue.open(segment, "q", codec);
            warmUp(codec);
            control.ready();
            control.awaitGo();
            if (role.equals("producer")) {
                BenchOrder order = BenchOrder.sample();
                for (long n = 1; ; n++) {
                    order.id = n;
                    queue.put(order);
                    if ((n & (Control.PUBLISH_EVERY - 1)) == 0) {
                        control.publish(index, n);
                        if (control.stopRequested()) {
                            return;
                        }
                    }
                }
            } else if (role.equals("consumer")) {
                for (long n = 1; ; n++) {
                    if (queue.take().id <= 0) {
                        throw new IllegalStateException("order " + n + " arrived without its id");
                    }
                    if ((n & (Control.PUBLISH_EVERY - 1)) == 0) {
                        control.publish(index, n); // never stops by itself: the harness kills it
                    }
                }
            } else {
                throw new IllegalArgumentException("unknown role: role=" + role);
            }
        }
    }

    /**
     * Encodes and decodes in this JVM before saying ready, so that class loading (Chronicle's is
     * long) and the first compilations happen before the measured loop, for both codecs alike.
     */
    private static void warmUp(Codec<BenchOrder> codec) {
        BenchOrder order = BenchOrder.sample();
        long check = 0;
        for (int i = 1; i <= WARM_UP_ROUND_TRIPS; i++) {
            order.id = i;
            byte[] bytes = codec.encode(order);
            check += codec.decode(bytes, 0, bytes.length).id;
        }
        if (check != (long) WARM_UP_ROUND_TRIPS * (WARM_UP_ROUND_TRIPS + 1) / 2) {
            throw new IllegalStateException("warm-up round trips lost ids: sum=" + check);
        }
    }

    private static final int WARM_UP_ROUND_TRIPS = 20_000;

    private static Codec<BenchOrder> codec(String name) {
        switch (name) {
            case "chronicle":
                return ChronicleCodec.of(BenchOrder.class, BenchOrder::new);
            case "serializable":
                return Codec.serializable(BenchOrder.class.getName());
            default:
                throw new IllegalArgumentException("unknown codec: codec=" + name);
        }
    }
}
