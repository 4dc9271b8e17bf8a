package io.interproc.stress;

import io.interproc.core.Codec;
import io.interproc.ipc.pipe.Connection;
import io.interproc.ipc.pipe.Pipe;
import io.interproc.ipc.pipe.PipeDescriptor;

import java.util.concurrent.TimeUnit;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/**
 * {@link Pipe} / {@link Connection} across two mappings of one segment: end A is connected through
 * attachment A, end B through attachment B, once per pipe, as two processes would.
 */
public final class PipeStress {
    private PipeStress() {
    }

    /** Smallest ring: 256 bytes per direction; a Long message costs 16. */
    static final int CAPACITY = 256;

    /** A duplex pipe with end A connected through attachment A and end B through attachment B. */
    static final class Ends {
        final Connection<Long> a;
        final Connection<Long> b;

        Ends(TwoMappings m, String name) {
            Pipe.openOrCreate(m.a, name, CAPACITY, true);
            this.a = Pipe.open(m.a, name).connect(Pipe.End.A, Codec.longs());
            this.b = Pipe.open(m.b, name).connect(Pipe.End.B, Codec.longs());
        }
    }

    // ------------------------------------------------------------------ send / recv

    @JCStressTest
    @Description("Duplex exchange: end A (mapping A) sends 1 then 2 and waits for a reply; end B (mapping B) "
            + "receives two messages and replies with their concatenation. Messages arrive in order, once, "
            + "whole, and the blocking recv on each side is woken by the other's send. "
            + "r1 = reply A got, r2 and r3 = what B got.")
    @Outcome(id = "12, 1, 2", expect = Expect.ACCEPTABLE, desc = "in order, both directions")
    @Outcome(expect = Expect.FORBIDDEN, desc = "lost, duplicated, reordered or corrupted messages")
    @State
    public static class SendRecv {
        static final TwoMappings M = TwoMappings.create(SendRecv.class,
                RecycledObjects.segmentSize(1, PipeDescriptor.size(CAPACITY, true), 0),
                RecycledObjects.directoryEntries(1));
        static final RecycledObjects<Ends> OBJECTS = new RecycledObjects<>(slot -> new Ends(M, "p" + slot));

        final RecycledObjects.Lease<Ends> pipe = OBJECTS.claim();

        public SendRecv() {
            // a pipe is empty again once its state is done
        }

        @Actor
        public void endA(JJJ_Result r) {
            Connection<Long> a = pipe.item.a;
            r.r1 = Unchecked.get(() -> {
                a.send(1L);
                a.send(2L);
                return a.recv();
            });
        }

        @Actor
        public void endB(JJJ_Result r) {
            Connection<Long> b = pipe.item.b;
            long first = Unchecked.get(b::recv);
            long second = Unchecked.get(b::recv);
            r.r2 = first;
            r.r3 = second;
            Unchecked.run(() -> b.send(first * 10 + second));
            pipe.check();
        }
    }

    // ------------------------------------------------------------------ wake-ups (termination)

    @JCStressTest(Mode.Termination)
    @Description("recv() on an empty pipe (end B, mapping B) must wake when end A (mapping A) sends. Wait slices "
            + "are 120 s here, so a lost wake-up hangs past jcstress's 30 s limit.")
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the receiver got the message")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the receiver never woke: lost wake-up")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the receiver failed, or got another value")
    @State
    public static class RecvWokenBySend {
        static final Ends ENDS = new Ends(TwoMappings.create(RecvWokenBySend.class, 1L << 20, 16), "pipe");

        public RecvWokenBySend() {
            // empty: each state's receiver takes the one message its sender sent
        }

        @Actor
        public void receiver() throws Exception {
            long v = ENDS.b.recv();
            if (v != 7) {
                throw new IllegalStateException("received " + v + ", expected 7");
            }
        }

        @Signal
        public void sender() throws InterruptedException {
            ENDS.a.send(7L);
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("send() on a full pipe (end A, mapping A) must wake when end B (mapping B) receives. Wait slices "
            + "are 120 s here, so a lost wake-up hangs past jcstress's 30 s limit.")
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the sender got room and sent")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the sender never woke: lost wake-up")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the sender or the receiver failed")
    @State
    public static class SendWokenByRecv {
        static final Ends ENDS = new Ends(TwoMappings.create(SendWokenByRecv.class, 1L << 20, 16), "pipe");

        public SendWokenByRecv() {
            Unchecked.run(() -> {
                while (ENDS.b.recv(0, TimeUnit.NANOSECONDS) != null) {
                    // left full by the previous state
                }
                long n = 0;
                while (ENDS.a.send(n++, 0, TimeUnit.NANOSECONDS)) {
                    // fill it
                }
            });
        }

        @Actor
        public void sender() throws InterruptedException {
            ENDS.a.send(-1L);
        }

        @Signal
        public void receiver() throws Exception {
            if (ENDS.b.recv() != 0) {
                throw new IllegalStateException("the oldest message was not 0");
            }
        }
    }
}
