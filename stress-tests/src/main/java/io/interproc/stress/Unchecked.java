package io.interproc.stress;

/**
 * jcstress 0.16 calls the actors of a normal (not {@code Mode.Termination}) test from methods that
 * declare no checked exception; blocking operations that throw {@code InterruptedException} or
 * {@code EOFException} go through here. An exception fails the test, as any exception from an
 * actor does.
 */
final class Unchecked {
    private Unchecked() {
    }

    /** A call that may throw a checked exception. */
    @FunctionalInterface
    interface Call<T> {
        T call() throws Exception;
    }

    /** An action that may throw a checked exception. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    static <T> T get(Call<T> call) {
        try {
            return call.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("unexpected " + e, e);
        }
    }

    static void run(Action action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("unexpected " + e, e);
        }
    }
}
