package io.interproc.pool.internal;

/**
 * How a map call hands out its outcomes: {@code map}/{@code mapAsync} (all at once, the first
 * failure settles the call), {@code imap} (one by one in argument order) or {@code imapUnordered}
 * (one by one as they complete). Immutable.
 */
public enum MapMode {
    /** {@code map} and {@code mapAsync}: a list of results; the first failure fails the call. */
    MAP,
    /** {@code imap}: an iterator in argument order. */
    IMAP,
    /** {@code imapUnordered}: an iterator in completion order. */
    IMAP_UNORDERED;

    /** @return "map", "imap" or "imapUnordered", for messages */
    public String callName() {
        return this == MAP ? "map" : this == IMAP ? "imap" : "imapUnordered";
    }

    /** @return whether the first failure settles the whole call (only {@code map}) */
    public boolean failFast() {
        return this == MAP;
    }

    /** @return whether outcomes are also kept in completion order (only {@code imapUnordered}) */
    public boolean unordered() {
        return this == IMAP_UNORDERED;
    }
}
