package io.interproc.pool;

import java.io.Serializable;

/**
 * A {@link Runnable} that is {@link Serializable}, so a lambda passed where one is expected (or
 * cast to it) can be sent to a {@link ProcessPool} worker JVM by
 * {@link ProcessPool#execute(Runnable)} or {@link ProcessPool#submit(Runnable)}.
 *
 * <pre>{@code
 * pool.execute((SerializableRunnable) () -> System.out.println("hello from a worker"));
 * }</pre>
 */
@FunctionalInterface
public interface SerializableRunnable extends Runnable, Serializable {
}
