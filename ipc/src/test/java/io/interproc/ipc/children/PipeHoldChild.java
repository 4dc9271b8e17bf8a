package io.interproc.ipc.children;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.SharedInt;
import io.interproc.ipc.pipe.Connection;
import io.interproc.ipc.pipe.Pipe;

/**
 * Pipe-end JVM of the kill tests: claims end B, sends "m0" .. "m(n-1)", sets the SharedInt "ready"
 * and then, if a size is given, sends a message of that many bytes (streamed, if larger than the
 * ring); then it sleeps, reading nothing, until it is killed. Args: segment, pipe, n[, size].
 */
public final class PipeHoldChild {
    private PipeHoldChild() {
    }

    public static void main(String[] args) throws Exception {
        Segment segment = Segment.open(args[0]);
        int n = Integer.parseInt(args[2]);
        Connection<String> b = Pipe.open(segment, args[1]).connect(Pipe.End.B, Codec.utf8());
        for (int i = 0; i < n; i++) {
            b.send("m" + i);
        }
        SharedInt.open(segment, "ready").set(1);
        if (args.length > 3) {
            b.sendBytes(new byte[Integer.parseInt(args[3])]);
        }
        while (true) {
            Thread.sleep(60_000); // until killed
        }
    }
}
