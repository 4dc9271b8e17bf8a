package io.interproc.pool;

import java.util.concurrent.Callable;

/**
 * A {@link SerializableSupplier} as the {@link Callable} a worker runs (for
 * {@link ProcessPool#supplyAsync}). Immutable; serialized in the submitting thread, run in a worker.
 *
 * @param <T> the type of the result
 */
final class SupplierCall<T> implements SerializableCallable<T> {
    private static final long serialVersionUID = 1L;

    private final SerializableSupplier<T> supplier;

    SupplierCall(SerializableSupplier<T> supplier) {
        this.supplier = supplier;
    }

    @Override
    public T call() {
        return supplier.get();
    }
}
