package io.interproc.redis.children;

import io.interproc.context.Context;
import io.interproc.context.Interproc;
import io.interproc.core.Codec;

import java.util.concurrent.BlockingQueue;

/**
 * Takes longs from a Redis queue until it takes -1, printing each on its own line.
 * Args: address, namespace, queue name.
 */
public final class QueueConsumerChild {
    private QueueConsumerChild() {
    }

    public static void main(String[] args) throws Exception {
        try (Context ctx = Interproc.redis(args[0], args[1])) {
            BlockingQueue<Long> q = ctx.queue(args[2], Codec.longs());
            StringBuilder taken = new StringBuilder();
            System.out.println("READY");
            System.out.flush();
            while (true) {
                long v = q.take();
                if (v < 0) {
                    break;
                }
                taken.append(v).append('\n');
            }
            System.out.print(taken);
            System.out.println("DONE");
            System.out.flush();
        }
    }
}
