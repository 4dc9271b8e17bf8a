package io.interproc.cli.args;

import java.util.List;
import java.util.Map;

/**
 * A command line parsed by {@link ArgParser}: which options were given, their values, and the
 * other arguments. The typed getters check the values and throw a {@link UsageException} naming
 * the option. Immutable; any thread.
 */
public final class ParsedArgs {
    private final Map<String, List<String>> values;
    private final Map<String, Boolean> separate;
    private final List<String> arguments;

    ParsedArgs(Map<String, List<String>> values, Map<String, Boolean> separate, List<String> arguments) {
        this.values = Map.copyOf(values);
        this.separate = Map.copyOf(separate);
        this.arguments = List.copyOf(arguments);
    }

    /**
     * @param name an option's (first declared) name
     * @return whether it was given
     */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * @param name an option with one value
     * @return its value, or {@code null} if it was not given (or, for an optional value, given
     *     without one)
     */
    public String value(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /**
     * @param name an option with one value
     * @param fallback what to return if it was not given
     * @return its value, or {@code fallback}
     */
    public String value(String name, String fallback) {
        String v = value(name);
        return v == null ? fallback : v;
    }

    /**
     * @param name an option
     * @return its values, in order; empty if it was not given
     */
    public List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    /**
     * @param name an option with an optional value
     * @return whether its value was the next word ({@code --watch 5}) rather than after {@code =}
     */
    public boolean valueWasSeparateWord(String name) {
        return separate.getOrDefault(name, false);
    }

    /** @return the words that are not options or their values, in order */
    public List<String> arguments() {
        return arguments;
    }

    /**
     * The option's value as an {@code int} in {@code [min, max]}.
     *
     * @param name an option with one value
     * @param fallback what to return if it was not given (not checked against the range)
     * @param min the smallest value allowed
     * @param max the largest value allowed
     * @return the value
     * @throws UsageException if it is not a whole number, or out of range
     */
    public int intValue(String name, int fallback, int min, int max) {
        return has(name) ? (int) number(name, value(name), min, max) : fallback;
    }

    /**
     * The option's value as a {@code long} in {@code [min, max]}.
     *
     * @param name an option with one value
     * @param fallback what to return if it was not given (not checked against the range)
     * @param min the smallest value allowed
     * @param max the largest value allowed
     * @return the value
     * @throws UsageException if it is not a whole number, or out of range
     */
    public long longValue(String name, long fallback, long min, long max) {
        return has(name) ? number(name, value(name), min, max) : fallback;
    }

    /**
     * The {@code index}th value of an option with several values, as an {@code int} in
     * {@code [min, max]}.
     *
     * @param name the option (which was given)
     * @param index which of its values
     * @param min the smallest value allowed
     * @param max the largest value allowed
     * @return the value
     * @throws UsageException if it is not a whole number, or out of range
     */
    public int intValueAt(String name, int index, int min, int max) {
        return (int) number(name, values(name).get(index), min, max);
    }

    /**
     * Checks a number given for an option; for programs that read values themselves.
     *
     * @param option the option, for the message
     * @param text the value as given
     * @param min the smallest value allowed
     * @param max the largest value allowed
     * @return the value
     * @throws UsageException if {@code text} is not a whole number, or out of range
     */
    public static long number(String option, String text, long min, long max) {
        long n;
        try {
            n = Long.parseLong(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(option, option + " needs a whole number, not '" + text + "'");
        }
        if (n < min || n > max) {
            throw new UsageException(option, option + " must be " + range(min, max) + ", not '" + text + "'");
        }
        return n;
    }

    private static String range(long min, long max) {
        if (max == Long.MAX_VALUE) {
            return "at least " + min;
        }
        return "from " + min + " to " + max;
    }
}
