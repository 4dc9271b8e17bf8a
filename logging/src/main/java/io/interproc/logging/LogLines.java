package io.interproc.logging;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** Formats a {@link LogEvent} as one line of text. Stateless; any thread may call it. */
public final class LogLines {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private LogLines() {
    }

    /**
     * @param e a record
     * @return {@code <time> <LEVEL> [<process>[<pid>]/<thread>] <logger> #<sequence> - <message>},
     *     then {@code  {k=v, ...}} if it has context; line breaks in the message are kept (the
     *     stack trace is not included)
     */
    public static String format(LogEvent e) {
        StringBuilder b = new StringBuilder(96 + e.message().length());
        b.append(TIME.format(e.time())).append(' ').append(String.format("%-5s", e.level())).append(" [")
                .append(e.source()).append("] ").append(e.logger()).append(" #").append(e.sequence())
                .append(" - ").append(e.message());
        if (!e.context().isEmpty()) {
            b.append(" {");
            String sep = "";
            for (Map.Entry<String, String> kv : e.context().entrySet()) {
                b.append(sep).append(kv.getKey()).append('=').append(kv.getValue());
                sep = ", ";
            }
            b.append('}');
        }
        return b.toString();
    }
}
