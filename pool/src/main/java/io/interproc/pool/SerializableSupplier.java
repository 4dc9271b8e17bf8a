package io.interproc.pool;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * A {@link Supplier} that is {@link Serializable}, for {@link ProcessPool#supplyAsync}: a lambda
 * passed where one is expected is serializable and can run in a worker JVM. Its {@code get} runs
 * in the worker, on the worker's task thread; what it returns must be serializable.
 *
 * @param <T> the type of the result
 */
@FunctionalInterface
public interface SerializableSupplier<T> extends Supplier<T>, Serializable {
}
