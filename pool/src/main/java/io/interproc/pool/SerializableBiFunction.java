package io.interproc.pool;

import java.io.Serializable;

/**
 * A function of two arguments that a {@link ProcessPool} worker JVM applies, for
 * {@link ProcessPool#starmap}: a functional interface that extends {@link Serializable}, so a
 * lambda or method reference passed where one is expected is serializable (see
 * {@link SerializableFunction} for what travels and the reuse of a deserialized function).
 *
 * <pre>{@code
 * List<Integer> sums = pool.starmap(Integer::sum, List.of(Map.entry(7, 3), Map.entry(9, 4)));   // [10, 13]
 * }</pre>
 *
 * @param <T> the type of the first argument
 * @param <U> the type of the second argument
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface SerializableBiFunction<T, U, R> extends Serializable {
    /**
     * Computes the result; called in a worker JVM, on the worker's task thread.
     *
     * @param first the first argument, a deserialized copy of what the caller passed
     * @param second the second argument, likewise
     * @return the result, to be serialized back to the caller ({@code null} is allowed)
     * @throws Exception anything; it fails this pair's result with the exception as the cause
     */
    R apply(T first, U second) throws Exception;
}
