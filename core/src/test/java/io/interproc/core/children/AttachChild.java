package io.interproc.core.children;

import io.interproc.core.Segment;
import io.interproc.core.SharedInt;

/** Child JVM for ProcessKillTest: attaches, publishes its owner id, then waits to be killed. Args: segment. */
public final class AttachChild {
    private AttachChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        Segment segment = Segment.open(args[0]);
        SharedInt.open(segment, "child-id").set(segment.ownerId());
        Thread.sleep(120_000);
    }
}
