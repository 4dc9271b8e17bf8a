package io.interproc.core.wait;

import io.interproc.core.memory.SharedBuffer;

/**
 * Sleeps on, and wakes, a 32-bit word in shared memory. Two implementations:
 * {@link FutexWaiter} (Linux, the {@code futex} system call on the shared word, never the
 * {@code _PRIVATE} variants) and {@link ParkingWaiter} (anywhere: short parks with backoff,
 * used where futex is unavailable or when the system property {@value #PROPERTY} is
 * {@code "parking"}).
 *
 * <p>A wait may return early for any reason (a wake-up, a changed word, a signal, a
 * {@linkplain Sleeper#kick() kick}); callers always re-check their condition. Use
 * {@link WaitLoop} rather than calling this directly: it adds the spin, the waiter count,
 * liveness notices, deadlines and interrupts.
 *
 * <p><b>Internal API</b>, thread-safe.
 */
public abstract class Waiter {
    /** System property that selects the implementation: {@code futex} or {@code parking}. */
    public static final String PROPERTY = "interproc.waiter";

    private static final Waiter DEFAULT = choose(System.getProperty(PROPERTY, ""));

    Waiter() {
    }

    /**
     * The waiter this JVM uses: futex on Linux x86_64/aarch64 unless
     * {@code -Dinterproc.waiter=parking}, the parking fallback otherwise.
     *
     * @return the process-wide waiter
     */
    public static Waiter get() {
        return DEFAULT;
    }

    static Waiter choose(String requested) {
        switch (requested) {
            case "parking":
                return ParkingWaiter.INSTANCE;
            case "futex":
                if (!FutexWaiter.isSupported()) {
                    throw new IllegalStateException("futex waiter requested but unsupported here: "
                            + "os.name=" + System.getProperty("os.name")
                            + ", os.arch=" + System.getProperty("os.arch"));
                }
                return FutexWaiter.INSTANCE;
            case "":
                return FutexWaiter.isSupported() ? FutexWaiter.INSTANCE : ParkingWaiter.INSTANCE;
            default:
                throw new IllegalArgumentException("unknown waiter: " + PROPERTY + "=" + requested
                        + " (expected futex or parking)");
        }
    }

    /** @return {@code "futex"} or {@code "parking"} */
    public abstract String name();

    /**
     * Sleeps while the int at {@code offset} equals {@code expected}, for at most
     * {@code nanos}. Returns at once if the word already differs.
     *
     * @param buffer the mapping holding the word
     * @param offset byte offset of a 4-byte-aligned int
     * @param expected the value the caller last read
     * @param nanos longest sleep, positive
     */
    public abstract void await(SharedBuffer buffer, int offset, int expected, long nanos);

    /**
     * Wakes up to {@code count} threads, in any process, sleeping on the word. The caller must
     * have published the word's new value with a volatile write or atomic update before
     * deciding to wake.
     *
     * @param buffer the mapping holding the word
     * @param offset byte offset of a 4-byte-aligned int
     * @param count how many to wake; {@link Integer#MAX_VALUE} for all
     * @return how many threads were woken, or -1 if this waiter cannot tell
     */
    public abstract int wake(SharedBuffer buffer, int offset, int count);

    /**
     * The sleep of {@link WaitLoop}: sleeps while the int at {@code offset} equals
     * {@code expected} <em>and</em> the sleeper's kick word equals {@code kicksSeen}, for at most
     * {@code nanos}. A {@link Sleeper#kick()} made after the caller read {@code kicksSeen} ends
     * the sleep, or prevents it, even if it comes just before the thread enters the kernel
     * ({@link FutexWaiter} on kernels without {@code futex_waitv} is the documented exception:
     * there the sleep is cut into slices of {@link WaitLoop#SLICE_NANOS}). May return early for
     * any reason; the caller re-checks.
     *
     * @param buffer the mapping holding the word
     * @param offset byte offset of a 4-byte-aligned int
     * @param expected the value the caller last read
     * @param sleeper the calling thread's sleeper, registered
     * @param kicksSeen the sleeper's kick count, read before the caller's last check
     * @param nanos longest sleep, positive; {@link Long#MAX_VALUE} for no limit
     */
    abstract void await(SharedBuffer buffer, int offset, int expected, Sleeper sleeper, int kicksSeen, long nanos);

    /**
     * Makes a sleep of {@code sleeper} in {@link #await(SharedBuffer, int, int, Sleeper, int, long)}
     * return; called after its kick word was incremented.
     *
     * @param sleeper a sleeper of a platform thread
     */
    abstract void kick(Sleeper sleeper);

    /**
     * @return true if an interrupt does not end {@link #await(SharedBuffer, int, int, Sleeper, int, long)}
     *     by itself (a thread blocked in a system call), so that {@link WaitLoop} must turn it
     *     into a kick
     */
    abstract boolean needsInterruptKick();
}
