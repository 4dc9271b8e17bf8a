package io.interproc.ipc.ring;

import java.util.concurrent.locks.LockSupport;

/**
 * Test hooks of {@link ByteRing}, read once per JVM from system properties that only the tests
 * set, and only in child JVMs they kill. When a hook is off, the JIT removes its check.
 */
final class RingTestHooks {
    /**
     * From {@code interproc.test.stopBetweenCountAndPublish}: a producer completing a message
     * stops for good after counting it and before publishing its tail (the window a kill must not
     * turn into a count that never drains).
     */
    static final boolean STOP_BETWEEN_COUNT_AND_PUBLISH = Boolean.getBoolean(
            "interproc.test.stopBetweenCountAndPublish");

    private RingTestHooks() {
    }

    /** Says so on standard output (the test waits for the line), then parks the thread for good. */
    static void stopBetweenCountAndPublish() {
        System.out.println("stopped between count and publish");
        System.out.flush();
        while (true) {
            LockSupport.park();
        }
    }
}
