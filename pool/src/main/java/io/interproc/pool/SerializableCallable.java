package io.interproc.pool;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A {@link Callable} that is {@link Serializable}, so a lambda passed where one is expected (or
 * cast to it) can be sent to a {@link ProcessPool} worker JVM and run there.
 *
 * <pre>{@code
 * Future<Long> pid = pool.submit(() -> ProcessHandle.current().pid());
 * }</pre>
 *
 * <p>A lambda is serialized as its {@link java.lang.invoke.SerializedLambda}: the implementing
 * method's name and the captured values, which must be serializable themselves.
 *
 * @param <V> the type of the result
 */
@FunctionalInterface
public interface SerializableCallable<V> extends Callable<V>, Serializable {
}
