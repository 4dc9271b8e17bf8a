package io.interproc.collections.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * Named points of the map's write protocol where a test can freeze a writer, to kill its process
 * there with SIGKILL ({@code MapCrashPointTest}): a JVM started with
 * {@code -Dinterproc.collections.crashAt=<point>} prints {@code FROZEN <point>} when a thread
 * reaches that point and parks it for ever. Without the property every call is a test of a
 * {@code static final} null, which the JIT folds away.
 */
final class CrashPoints {
    private static final String ARMED = System.getProperty("interproc.collections.crashAt");

    private CrashPoints() {
    }

    /** @param point the point reached */
    static void reach(String point) {
        if (ARMED != null && ARMED.equals(point)) {
            freeze(point);
        }
    }

    private static void freeze(String point) {
        System.out.println("FROZEN " + point);
        System.out.flush();
        while (true) {
            LockSupport.park();
        }
    }
}
