package io.interproc.ipc.children;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.ipc.pipe.Connection;
import io.interproc.ipc.pipe.Pipe;

import java.nio.charset.StandardCharsets;

/**
 * Connects end B of pipe {@code args[1]}, sends {@code args[2]} bytes ({@code (byte) i} at index
 * {@code i}), then each further argument as UTF-8 bytes, then exits.
 */
public final class PipeBigSendChild {
    private PipeBigSendChild() {
    }

    public static void main(String[] args) throws Exception {
        try (Segment segment = Segment.open(args[0])) {
            Connection<byte[]> b = Pipe.open(segment, args[1]).connect(Pipe.End.B, Codec.bytes());
            byte[] big = new byte[Integer.parseInt(args[2])];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) i;
            }
            b.sendBytes(big);
            for (int i = 3; i < args.length; i++) {
                b.sendBytes(args[i].getBytes(StandardCharsets.UTF_8));
            }
            System.out.println("sent " + big.length + " bytes and " + (args.length - 3) + " more");
        }
    }
}
