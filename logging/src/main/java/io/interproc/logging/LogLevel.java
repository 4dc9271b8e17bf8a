package io.interproc.logging;

import java.util.logging.Level;

/**
 * The severity of a {@link LogEvent}: the five levels SLF4J, Logback and Log4j2 share. JUL's seven
 * levels map onto them by value ({@link #fromJul(Level)}), as SLF4J's JUL bridge does.
 */
public enum LogLevel {
    /** Finest detail (JUL {@code FINER}, {@code FINEST}). */
    TRACE(Level.FINEST),
    /** Debugging detail (JUL {@code FINE}, {@code CONFIG}). */
    DEBUG(Level.FINE),
    /** Normal operation (JUL {@code INFO}). */
    INFO(Level.INFO),
    /** Something unexpected that was handled (JUL {@code WARNING}). */
    WARN(Level.WARNING),
    /** A failure (JUL {@code SEVERE}). */
    ERROR(Level.SEVERE);

    private static final LogLevel[] VALUES = values();

    private final Level jul;

    LogLevel(Level jul) {
        this.jul = jul;
    }

    /** @return the JUL level a sink logs this level at; any thread may call this */
    public Level toJul() {
        return jul;
    }

    /**
     * Any thread may call this.
     *
     * @param level a JUL level, standard or custom
     * @return the level of the same severity: {@code SEVERE} and above is {@link #ERROR},
     *     {@code WARNING} {@link #WARN}, {@code INFO} {@link #INFO}, {@code CONFIG} and {@code FINE}
     *     {@link #DEBUG}, below that {@link #TRACE}
     */
    public static LogLevel fromJul(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return ERROR;
        } else if (v >= Level.WARNING.intValue()) {
            return WARN;
        } else if (v >= Level.INFO.intValue()) {
            return INFO;
        } else if (v >= Level.FINE.intValue()) {
            return DEBUG;
        }
        return TRACE;
    }

    /**
     * Any thread may call this.
     *
     * @param name a level name such as {@code INFO}, {@code warn} or {@code WARNING}; {@code FATAL}
     *     is {@link #ERROR}, {@code OFF}/{@code ALL} are refused
     * @return the level
     * @throws IllegalArgumentException if the name is no level
     */
    public static LogLevel parse(String name) {
        String n = name.trim().toUpperCase(java.util.Locale.ROOT);
        switch (n) {
            case "FATAL", "SEVERE":
                return ERROR;
            case "WARNING":
                return WARN;
            case "FINE", "CONFIG":
                return DEBUG;
            case "FINER", "FINEST":
                return TRACE;
            default:
                for (LogLevel l : VALUES) {
                    if (l.name().equals(n)) {
                        return l;
                    }
                }
                throw new IllegalArgumentException("no log level named '" + name
                        + "' (expected TRACE, DEBUG, INFO, WARN or ERROR, or a JUL level name)");
        }
    }

    static LogLevel ofOrdinal(int ordinal) {
        return ordinal >= 0 && ordinal < VALUES.length ? VALUES[ordinal] : null;
    }
}
