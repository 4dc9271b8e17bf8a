package io.interproc.ipc.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.children.PipeEchoChild;
import io.interproc.process.JvmProcess;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A duplex pipe between this JVM and a child JVM: a hundred thousand checked round trips. */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails, never blocks the build
class PipeMultiProcessTest {
    private static final int ROUND_TRIPS = 100_000;

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    @Test
    void shouldPingPongAHundredThousandMessagesBetweenTwoJvms() throws Exception {
        Segment s = segments.create(1 << 20);
        Pipe pipe = Pipe.create(s, "ping", 4096, true);
        SharedLong echoed = SharedLong.create(s, "echoed", -1);
        JvmProcess echo = children.start(PipeEchoChild.class, s.name(), "ping");
        long start;
        long slowest = 0;
        int over50ms = 0;
        try (Connection<Long> a = pipe.connect(Pipe.End.A, Codec.longs())) {
            a.send(-1L); // the first round trip waits for the child to start
            assertEquals(0L, a.recv());
            start = System.nanoTime();
            for (long i = 0; i < ROUND_TRIPS - 1; i++) {
                long t0 = System.nanoTime();
                a.send(i * 3);
                Long reply = a.recv();
                if (reply != i * 3 + 1) {
                    assertEquals(i * 3 + 1, reply, "reply to round trip " + i);
                }
                long took = System.nanoTime() - t0;
                slowest = Math.max(slowest, took);
                if (took > 50_000_000L) {
                    over50ms++;
                }
            }
        } // closing end A ends the child's loop with an EOFException
        // Diagnostics only, never asserted (a loaded machine makes any round trip slow).
        System.out.printf("%d round trips in %d ms; slowest %.1f ms; %d over 50 ms%n", ROUND_TRIPS,
                (System.nanoTime() - start) / 1_000_000, slowest / 1e6, over50ms);
        ChildJvms.awaitSuccess(echo, 60);
        assertEquals(ROUND_TRIPS, echoed.get());
    }
}
