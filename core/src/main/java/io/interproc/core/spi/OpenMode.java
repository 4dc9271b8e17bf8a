package io.interproc.core.spi;

/**
 * How a factory finds a named object: the three forms every shared type offers
 * ({@code create}, {@code open}, {@code openOrCreate}), as one value a module passes to
 * {@link io.interproc.core.Segment#object}.
 */
public enum OpenMode {
    /** Create it; fail with {@link io.interproc.core.ObjectExistsException} if the name exists. */
    CREATE,
    /** Open it; fail with {@link io.interproc.core.NoSuchObjectException} if there is none. */
    OPEN,
    /** Open it if it exists (checking its kind), create it otherwise. */
    OPEN_OR_CREATE
}
