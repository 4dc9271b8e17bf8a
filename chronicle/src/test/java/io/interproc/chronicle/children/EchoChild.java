package io.interproc.chronicle.children;

import io.interproc.chronicle.ChronicleCodec;
import io.interproc.chronicle.Quote;
import io.interproc.chronicle.Trade;
import io.interproc.core.Segment;
import io.interproc.ipc.queue.SharedQueue;

import java.util.concurrent.TimeUnit;

/**
 * Child JVM for ChronicleCrossJvmTest: takes COUNT trades from queue "in" and puts each back on
 * "out" with its price doubled, then a Quote (default, reflective marshalling) on "quotes".
 * Args: segment, count.
 */
public final class EchoChild {
    private EchoChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        try (Segment segment = Segment.open(args[0])) {
            SharedQueue<Trade> in = SharedQueue.open(segment, "in", ChronicleCodec.of(Trade.class, Trade::new));
            SharedQueue<Trade> out = SharedQueue.open(segment, "out", ChronicleCodec.of(Trade.class, Trade::new));
            SharedQueue<Quote> quotes = SharedQueue.open(segment, "quotes", ChronicleCodec.of(Quote.class, Quote::new));
            for (int i = 0, n = Integer.parseInt(args[1]); i < n; i++) {
                Trade t = in.poll(60, TimeUnit.SECONDS);
                if (t == null) {
                    throw new IllegalStateException("no trade " + i + " within 60 s");
                }
                t.price *= 2;
                out.put(t);
            }
            quotes.put(new Quote("child", new long[] {ProcessHandle.current().pid()}, true));
        }
    }
}
