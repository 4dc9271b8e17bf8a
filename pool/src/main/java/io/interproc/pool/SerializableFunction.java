package io.interproc.pool;

import java.io.Serializable;

/**
 * A function that a {@link ProcessPool} worker JVM applies to one argument: a functional
 * interface that extends {@link Serializable}, so a lambda or method reference passed where one is
 * expected (or cast to it) is serializable and can be sent to another JVM.
 *
 * <pre>{@code
 * List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));
 * SerializableFunction<String, Integer> length = String::length;
 * }</pre>
 *
 * <p>What travels is the lambda's {@link java.lang.invoke.SerializedLambda}: the name of the
 * implementing method and the captured values, which must be serializable themselves. The worker
 * runs the same class path as the pool's JVM, so the method resolves there. A worker may keep one
 * deserialized copy of a function and reuse it for later tasks that carry the very same serialized
 * bytes (see {@link ProcessPool}), so a function should not count on fresh state per call.
 *
 * @param <T> the type of the argument
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Serializable {
    /**
     * Computes the result; called in a worker JVM, on the worker's task thread.
     *
     * @param argument the argument, a deserialized copy of what the caller passed
     * @return the result, to be serialized back to the caller ({@code null} is allowed)
     * @throws Exception anything; it fails this argument's result with the exception as the cause
     */
    R apply(T argument) throws Exception;
}
