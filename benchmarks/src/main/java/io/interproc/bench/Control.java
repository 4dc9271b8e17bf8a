package io.interproc.bench;

import io.interproc.core.Segment;
import io.interproc.core.SharedLongArray;

/**
 * The control block the harness shares with the Java peers of one run: a ready count, a go flag,
 * a stop flag and one op counter per peer, each on its own 128-byte line, in a
 * {@link SharedLongArray} named {@code ctl} in the run's segment. Peers count ops locally and
 * publish their count every {@link #PUBLISH_EVERY} ops, so the harness can sample throughput
 * without disturbing the measured loop.
 */
final class Control {
    /** Ops between two publications of a peer's counter. */
    static final int PUBLISH_EVERY = 256;
    /** Most peers in one run. */
    static final int MAX_PEERS = 8;

    private static final int STRIDE = 16; // longs: 128 bytes
    private static final int READY = 0;
    private static final int GO = STRIDE;
    private static final int STOP = 2 * STRIDE;
    private static final int COUNTERS = 3 * STRIDE;

    private final SharedLongArray ctl;

    private Control(SharedLongArray ctl) {
        this.ctl = ctl;
    }

    /** @return a new control block in {@code segment} (the harness's side) */
    static Control create(Segment segment) {
        return new Control(SharedLongArray.create(segment, "ctl", COUNTERS + MAX_PEERS * STRIDE));
    }

    /** @return the control block of {@code segment} (a peer's side) */
    static Control open(Segment segment) {
        return new Control(SharedLongArray.open(segment, "ctl"));
    }

    /** Says this peer is set up and about to wait for {@link #awaitGo()}. */
    void ready() {
        ctl.incrementAndGet(READY);
    }

    /** @return how many peers said {@link #ready()} */
    long readyCount() {
        return ctl.get(READY);
    }

    /** Lets every peer start its measured loop. */
    void go() {
        ctl.set(GO, 1);
    }

    /** Spins (with short sleeps) until {@link #go()}; a peer calls it once, before its loop. */
    void awaitGo() throws InterruptedException {
        while (ctl.get(GO) == 0) {
            Thread.sleep(0, 100_000);
        }
    }

    /** Asks every peer to end its loop. */
    void stop() {
        ctl.set(STOP, 1);
    }

    /** @return true once {@link #stop()} was called (a volatile read of a read-mostly line) */
    boolean stopRequested() {
        return ctl.get(STOP) != 0;
    }

    /** @param peer peer index @param count ops done so far, published by that peer */
    void publish(int peer, long count) {
        ctl.set(COUNTERS + peer * STRIDE, count);
    }

    /** @param peer peer index @return the count that peer published last */
    long count(int peer) {
        return ctl.get(COUNTERS + peer * STRIDE);
    }
}
