package io.interproc.pool;

/**
 * A {@link SerializableBiFunction} as the one-argument function a {@code map} applies to
 * {@code {first, second}} pairs (for {@link ProcessPool#starmap}). Immutable; serialized in the
 * submitting thread, applied in workers.
 *
 * @param <T> the type of the first argument
 * @param <U> the type of the second argument
 * @param <R> the type of the result
 */
final class StarCall<T, U, R> implements SerializableFunction<Object[], R> {
    private static final long serialVersionUID = 1L;

    private final SerializableBiFunction<? super T, ? super U, ? extends R> function;

    StarCall(SerializableBiFunction<? super T, ? super U, ? extends R> function) {
        this.function = function;
    }

    @Override
    @SuppressWarnings("unchecked")
    public R apply(Object[] pair) throws Exception {
        return function.apply((T) pair[0], (U) pair[1]);
    }
}
