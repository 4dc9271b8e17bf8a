package io.interproc.core.wait;

import io.interproc.core.memory.SharedBuffer;

import java.util.concurrent.locks.LockSupport;

/**
 * Portable {@link Waiter}: a waiting thread parks for a short, growing time and re-reads the
 * word; {@link #wake} does nothing, since a thread cannot unpark one in another process. Within
 * one wait the park grows from {@value #MIN_PARK_NANOS} ns, doubling each time, up to
 * {@value #MAX_PARK_NANOS} ns, so a long wait costs about a thousand wake-ups a second and a
 * change of the word is noticed within a millisecond.
 *
 * <p>In {@link WaitLoop}'s sleep the loop also ends when the sleeper's kick word changes; a
 * {@link #kick} unparks the thread, so a liveness notice or an interrupt is seen at once.
 */
final class ParkingWaiter extends Waiter {
    static final ParkingWaiter INSTANCE = new ParkingWaiter();

    static final long MIN_PARK_NANOS = 1_000;
    static final long MAX_PARK_NANOS = 1_000_000;

    private ParkingWaiter() {
    }

    @Override
    public String name() {
        return "parking";
    }

    @Override
    public void await(SharedBuffer buffer, int offset, int expected, long nanos) {
        parkWhile(() -> buffer.getIntVolatile(offset) == expected, nanos);
    }

    @Override
    public int wake(SharedBuffer buffer, int offset, int count) {
        // Waiters poll the word; there is no one to unpark across processes.
        return -1;
    }

    @Override
    void await(SharedBuffer buffer, int offset, int expected, Sleeper sleeper, int kicksSeen, long nanos) {
        parkWhile(() -> buffer.getIntVolatile(offset) == expected && sleeper.kicks() == kicksSeen, nanos);
    }

    /** Parks in growing steps while {@code waiting} holds, until the timeout or an interrupt. */
    private void parkWhile(java.util.function.BooleanSupplier waiting, long nanos) {
        long end = Deadline.after(nanos);
        long park = MIN_PARK_NANOS;
        while (waiting.getAsBoolean()) {
            long left = end == Deadline.NONE ? MAX_PARK_NANOS : Deadline.remaining(end);
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                return;
            }
            LockSupport.parkNanos(this, Math.min(park, left));
            park = Math.min(park * 2, MAX_PARK_NANOS);
        }
    }

    @Override
    void kick(Sleeper sleeper) {
        LockSupport.unpark(sleeper.thread());
    }

    @Override
    boolean needsInterruptKick() {
        return false; // park returns on an interrupt, and the loop checks the interrupt status
    }
}
