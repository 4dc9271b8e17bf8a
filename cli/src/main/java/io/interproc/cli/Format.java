package io.interproc.cli;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** How the commands write sizes, times and counts for people. */
final class Format {
    private Format() {
    }

    /** @return a size in bytes for people: {@code 512 B}, {@code 16.0 KiB}, {@code 1.5 MiB}; {@code -} if negative */
    static String bytes(long n) {
        if (n < 0) {
            return "-";
        }
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** @return an ISO-8601 instant to the second, e.g. {@code 2024-05-01T10:00:00Z}; {@code null} if not positive */
    static String instant(long epochMillis) {
        return epochMillis <= 0 ? null : Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** @return e.g. {@code 1 process}, {@code 2 processes} */
    static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
