package io.interproc.bench;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the fields of the one-line JSON object a Python peer prints after {@code RESULT }
 * ({@code interproc_peers.py} writes it with {@code json.dumps}, so {@code "key": value} with
 * one space). Just enough JSON for that line; not a parser.
 */
final class JsonFields {
    private JsonFields() {
    }

    /** @throws IllegalArgumentException if there is no such number */
    static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": (-?[0-9.eE+-]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("no \"" + key + "\" in " + json);
        }
        return Double.parseDouble(m.group(1));
    }

    /** @throws IllegalArgumentException if there is no such array or it is empty */
    static double[] array(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": \\[([^\\]]*)\\]").matcher(json);
        if (!m.find() || m.group(1).isBlank()) {
            throw new IllegalArgumentException("no \"" + key + "\" samples in " + json);
        }
        return Arrays.stream(m.group(1).split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
    }

    /** @return the string with its escapes as written, or "" if there is none */
    static String string(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }
}
