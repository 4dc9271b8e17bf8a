package io.interproc.cli;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * A small JSON writer for the command's {@code --json} output (the command depends on interproc
 * modules only). Writes maps (as objects, in their iteration order), collections (as arrays),
 * strings, numbers, booleans and {@code null}; a non-finite double is written as a string
 * ({@code "NaN"}, {@code "Infinity"}), since JSON has no such number. Anything else is written as
 * its {@code toString()}. Stateless.
 */
final class Json {
    private Json() {
    }

    /**
     * @param value the value
     * @param pretty true for two-space indentation over several lines, false for one line
     * @return its JSON text
     */
    static String write(Object value, boolean pretty) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, pretty, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object value, boolean pretty, int depth) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof Map<?, ?> map) {
            writeMap(sb, map, pretty, depth);
        } else if (value instanceof Collection<?> list) {
            writeList(sb, list, pretty, depth);
        } else if (value instanceof Boolean) {
            sb.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                sb.append(value);
            } else {
                string(sb, String.valueOf(d));
            }
        } else if (value instanceof Number) {
            sb.append(value);
        } else {
            string(sb, value.toString());
        }
    }

    private static void writeMap(StringBuilder sb, Map<?, ?> map, boolean pretty, int depth) {
        if (map.isEmpty()) {
            sb.append("{}");
            return;
        }
        sb.append('{');
        Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<?, ?> e = it.next();
            newline(sb, pretty, depth + 1);
            string(sb, String.valueOf(e.getKey()));
            sb.append(pretty ? ": " : ":");
            write(sb, e.getValue(), pretty, depth + 1);
            if (it.hasNext()) {
                sb.append(',');
            }
        }
        newline(sb, pretty, depth);
        sb.append('}');
    }

    private static void writeList(StringBuilder sb, Collection<?> list, boolean pretty, int depth) {
        if (list.isEmpty()) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        Iterator<?> it = list.iterator();
        while (it.hasNext()) {
            newline(sb, pretty, depth + 1);
            write(sb, it.next(), pretty, depth + 1);
            if (it.hasNext()) {
                sb.append(',');
            }
        }
        newline(sb, pretty, depth);
        sb.append(']');
    }

    private static void newline(StringBuilder sb, boolean pretty, int depth) {
        if (pretty) {
            sb.append('\n');
            sb.append("  ".repeat(depth));
        }
    }

    /** Appends {@code s} as a JSON string: quotes, backslashes and control characters escaped. */
    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
