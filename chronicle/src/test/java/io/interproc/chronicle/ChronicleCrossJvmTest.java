package io.interproc.chronicle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.interproc.chronicle.children.EchoChild;
import io.interproc.core.Segment;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.process.JvmProcess;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Chronicle objects cross JVMs through SharedQueues; the child is started with exactly the documented flags. */
class ChronicleCrossJvmTest {
    private static final int COUNT = 500;

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    @Test
    void shouldRoundTripTradesThroughAnotherJvm() throws Exception {
        Segment s = segments.create(1 << 22);
        SharedQueue<Trade> in = SharedQueue.create(s, "in", 1 << 16, ChronicleCodec.of(Trade.class, Trade::new));
        SharedQueue<Trade> out = SharedQueue.create(s, "out", 1 << 16, ChronicleCodec.of(Trade.class, Trade::new));
        SharedQueue<Quote> quotes = SharedQueue.create(s, "quotes", 1 << 12, ChronicleCodec.of(Quote.class, Quote::new));
        JvmProcess child = children.start(JvmProcess.builder(EchoChild.class).args(s.name(), String.valueOf(COUNT))
                .inheritJvmOptions(false).jvmOptions(ChronicleJvmOptions.REQUIRED.toArray(String[]::new))
                .jvmOptions(ChronicleJvmOptions.NO_ANALYTICS)
                .captureOutput());
        for (int i = 0; i < COUNT; i++) {
            in.put(new Trade(i, "SYM" + (i % 7), i + 0.25, i * 3));
        }
        for (int i = 0; i < COUNT; i++) {
            Trade t = out.poll(60, TimeUnit.SECONDS);
            assertEquals(new Trade(i, "SYM" + (i % 7), (i + 0.25) * 2, i * 3), t, "trade " + i);
        }
        Quote q = quotes.poll(60, TimeUnit.SECONDS);
        assertEquals(new Quote("child", new long[] {child.pid()}, true), q);
        ChildJvms.awaitSuccess(child, 60);
        assertEquals(0, in.undecodable() + out.undecodable() + quotes.undecodable());
        assertFalse(child.errorOutput().contains("Exception"), child.errorOutput());
    }
}
