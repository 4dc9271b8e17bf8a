package io.interproc.pool.internal;

/**
 * How a map call hands out its outcomes: {@code map}/{@code mapAsync} (all at once, the first
 * failure settles the call), {@code imap} (one by one in argument order) or {@code imapUnordered}
 * (one by one as they complete). Immutable.
 */
public enum MapMode {
    /** {@code map} and {@code mapAsync}: a list of results; the first failure fails the call. */
    MAP("map", true, false),
    /** {@code imap}: an iterator in argument order. */
    IMAP("imap", false, false),
    /** {@code imapUnordered}: an iterator in completion order. */
    IMAP_UNORDERED("imapUnordered", false, true);

    private final String callName;
    private final boolean failFast;
    private final boolean unordered;

    MapMode(String callName, boolean failFast, boolean unordered) {
        this.callName = callName;
        this.failFast = failFast;
        this.unordered = unordered;
    }

    /** @return "map", "imap" or "imapUnordered", for messages */
    public String callName() {
        return callName;
    }

    /** @return whether the first failure settles the whole call */
    public boolean failFast() {
        return failFast;
    }

    /** @return whether outcomes are also kept in completion order */
    public boolean unordered() {
        return unordered;
    }
}
