package io.interproc.ipc.children;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.ipc.pipe.Connection;
import io.interproc.ipc.pipe.Pipe;

import java.io.EOFException;

/**
 * Echo JVM of the pipe ping-pong test: holds end B, answers every long with that long plus one,
 * until end A closes; then stores how many it answered in the SharedLong "echoed".
 * Args: segment, pipe.
 */
public final class PipeEchoChild {
    private PipeEchoChild() {
    }

    public static void main(String[] args) throws Exception {
        try (Segment segment = Segment.open(args[0])) {
            SharedLong echoed = SharedLong.open(segment, "echoed");
            long count = 0;
            try (Connection<Long> b = Pipe.open(segment, args[1]).connect(Pipe.End.B, Codec.longs())) {
                while (true) {
                    long v;
                    try {
                        v = b.recv();
                    } catch (EOFException end) {
                        break;
                    }
                    b.send(v + 1);
                    count++;
                }
            }
            echoed.set(count);
        }
    }
}
