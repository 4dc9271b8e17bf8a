package io.interproc.examples;

import io.interproc.cli.args.ArgParser;
import io.interproc.cli.args.ParsedArgs;
import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.ipc.pipe.Connection;
import io.interproc.ipc.pipe.Pipe;
import io.interproc.process.JvmProcess;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A {@link Pipe} ping-pong between this JVM and a child JVM: end A sends an 8-byte counter, end B
 * echoes it back; prints the round-trip time (median, p99, p99.9).
 *
 * <p>Flags: {@code --rounds N} (default 200,000; the first quarter more are warm-up).
 */
public final class PipePingPongDemo {
    private PipePingPongDemo() {
    }

    /** The command line: {@code pipe-ping-pong [--rounds N]}. */
    static final ArgParser ARGS = new ArgParser("pipe-ping-pong", "pipe-ping-pong [--rounds N]").help()
            .option("--rounds", "N");

    /** @return {@code --rounds}; @throws io.interproc.cli.args.UsageException on a bad value */
    static int rounds(ParsedArgs a) {
        return a.intValue("--rounds", 200_000, 1, Integer.MAX_VALUE);
    }

    /**
     * @param args flags
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int rounds = ARGS.parseOrExit(args, PipePingPongDemo::rounds);
        int warmup = rounds / 4;
        String name = "demo-pipe-" + ProcessHandle.current().pid();
        try (Segment segment = Segment.create(name, 1 << 20)) {
            try {
                Pipe pipe = Pipe.create(segment, "ping", 4096, true);
                try (JvmProcess echo = JvmProcess.builder(Echo.class).args(name).start();
                        Connection<byte[]> a = pipe.connect(Pipe.End.A, Codec.bytes())) {
                    ByteBuffer out = ByteBuffer.allocateDirect(8);
                    ByteBuffer in = ByteBuffer.allocateDirect(8);
                    long[] rtt = new long[rounds];
                    for (int i = -warmup; i < rounds; i++) {
                        long t0 = System.nanoTime();
                        out.clear();
                        out.putLong(0, i);
                        a.sendBytes(out);
                        in.clear();
                        a.recvBytesInto(in);
                        long t1 = System.nanoTime();
                        if (in.getLong(0) != i) {
                            throw new IllegalStateException("echo mismatch: sent " + i + ", got " + in.getLong(0));
                        }
                        if (i >= 0) {
                            rtt[i] = t1 - t0;
                        }
                    }
                    a.close();
                    echo.join();
                    Arrays.sort(rtt);
                    System.out.printf("pipe round trip over %,d rounds: p50 %.2f us, p99 %.2f us, p99.9 %.2f us%n", rounds,
                            rtt[rounds / 2] / 1e3, rtt[(int) (rounds * 0.99)] / 1e3, rtt[(int) (rounds * 0.999)] / 1e3);
                }
            } finally {
                segment.unlink();
            }
        }
    }

    /** The echo JVM: returns every message until end A closes. Args: segment. */
    public static final class Echo {
        private Echo() {
        }

        /**
         * @param args segment
         * @throws Exception on failure
         */
        public static void main(String[] args) throws Exception {
            try (Segment segment = Segment.open(args[0]);
                    Connection<byte[]> b = Pipe.open(segment, "ping").connect(Pipe.End.B, Codec.bytes())) {
                ByteBuffer buf = ByteBuffer.allocateDirect(64);
                while (true) {
                    buf.clear();
                    try {
                        b.recvBytesInto(buf);
                    } catch (java.io.EOFException eof) {
                        return;
                    }
                    buf.flip();
                    b.sendBytes(buf);
                }
            }
        }
    }
}
