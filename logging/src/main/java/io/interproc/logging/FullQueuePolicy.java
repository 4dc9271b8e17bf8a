package io.interproc.logging;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

/**
 * What a handler or appender does when the log queue has no room for a record: {@link #block}
 * the logging thread up to a bound, then drop the record, or {@link #dropAndCount() drop} it at
 * once. Either way a dropped record is counted ({@link LogPublisher#dropped()}, shown by every
 * handler and appender), never lost silently, and the listener sees the gap in
 * {@link LogEvent#sequence()}. An immutable value; any thread may use it.
 */
public final class FullQueuePolicy {
    /** The default: block up to 5 seconds, then drop and count. */
    public static final Duration DEFAULT_BLOCK = Duration.ofSeconds(5);

    private final Duration maxBlock;

    private FullQueuePolicy(Duration maxBlock) {
        this.maxBlock = maxBlock;
    }

    /**
     * Block the logging thread until there is room, at most {@code maxBlock}; then drop and count.
     * Any thread may call this.
     *
     * @param maxBlock the bound, positive
     * @return the policy
     * @throws IllegalArgumentException if {@code maxBlock} is not positive
     */
    public static FullQueuePolicy block(Duration maxBlock) {
        Objects.requireNonNull(maxBlock, "maxBlock");
        if (maxBlock.isNegative() || maxBlock.isZero()) {
            throw new IllegalArgumentException("the bound of BLOCK must be positive, not " + maxBlock);
        }
        return new FullQueuePolicy(maxBlock);
    }

    /**
     * Never wait: a record that finds no room is dropped and counted. Any thread may call this.
     *
     * @return the policy
     */
    public static FullQueuePolicy dropAndCount() {
        return new FullQueuePolicy(Duration.ZERO);
    }

    /** @return the default policy, {@code block(DEFAULT_BLOCK)}; any thread may call this */
    public static FullQueuePolicy defaults() {
        return new FullQueuePolicy(DEFAULT_BLOCK);
    }

    /**
     * Parses a policy as the configuration files give it: {@code DROP_AND_COUNT} (or {@code DROP}),
     * {@code BLOCK} (the default bound) or {@code BLOCK:<duration>}, the duration as
     * {@code 250ms}, {@code 5s}, {@code 1m} or ISO-8601 ({@code PT5S}). Case does not matter. Any
     * thread may call this.
     *
     * @param text the policy
     * @return the policy
     * @throws IllegalArgumentException naming the text if it is no policy
     */
    public static FullQueuePolicy parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.equals("DROP_AND_COUNT") || t.equals("DROP")) {
            return dropAndCount();
        }
        if (t.equals("BLOCK")) {
            return defaults();
        }
        if (t.startsWith("BLOCK:")) {
            return block(duration(t.substring("BLOCK:".length()), text));
        }
        throw new IllegalArgumentException("no full-queue policy '" + text
                + "' (expected DROP_AND_COUNT, BLOCK or BLOCK:<duration> such as BLOCK:5s)");
    }

    private static Duration duration(String d, String text) {
        try {
            if (d.startsWith("P")) {
                return Duration.parse(d);
            } else if (d.endsWith("MS")) {
                return Duration.ofMillis(Long.parseLong(d.substring(0, d.length() - 2)));
            } else if (d.endsWith("S")) {
                return Duration.ofSeconds(Long.parseLong(d.substring(0, d.length() - 1)));
            } else if (d.endsWith("M")) {
                return Duration.ofMinutes(Long.parseLong(d.substring(0, d.length() - 1)));
            }
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("bad duration in full-queue policy '" + text + "'", e);
        }
        throw new IllegalArgumentException("bad duration in full-queue policy '" + text
                + "' (expected e.g. 250ms, 5s, 1m or PT5S)");
    }

    /** @return whether the logging thread waits for room at all */
    public boolean blocks() {
        return !maxBlock.isZero();
    }

    /** @return how long the logging thread waits for room at most; zero for drop-and-count */
    public Duration maxBlock() {
        return maxBlock;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FullQueuePolicy p && p.maxBlock.equals(maxBlock);
    }

    @Override
    public int hashCode() {
        return maxBlock.hashCode();
    }

    @Override
    public String toString() {
        return blocks() ? "BLOCK:" + maxBlock.toMillis() + "ms" : "DROP_AND_COUNT";
    }
}
