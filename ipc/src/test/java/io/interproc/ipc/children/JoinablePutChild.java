package io.interproc.ipc.children;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.ipc.queue.JoinableQueue;

/**
 * Puts each argument after the first two into JoinableQueue {@code args[1]}. Started with
 * {@code -Dinterproc.test.stopBetweenCountAndPublish=true}, it stops for good in its first put,
 * after counting the message and before publishing it, and says so on stdout.
 */
public final class JoinablePutChild {
    private JoinablePutChild() {
    }

    public static void main(String[] args) throws Exception {
        try (Segment segment = Segment.open(args[0])) {
            JoinableQueue<String> q = JoinableQueue.open(segment, args[1], Codec.utf8());
            for (int i = 2; i < args.length; i++) {
                q.put(args[i]);
            }
        }
    }
}
