package io.interproc.core.testing;

import java.util.Arrays;
import java.util.TreeMap;

/**
 * Child main for tests: reports what reached it, one {@code name=value} line each on standard
 * output, in this order: {@code args=[...]} ({@link Arrays#toString(Object[])}), every system
 * property whose name starts with {@value #PROPERTY_PREFIX} (sorted by name), the environment
 * variable {@value #ENVIRONMENT_VARIABLE} if set, and {@code user.dir=<working directory>}. Then
 * it writes the single line {@value #STDERR_LINE} to standard error.
 */
public final class EchoMain {
    /** Prefix of the system properties that are echoed. */
    public static final String PROPERTY_PREFIX = "echo.";
    /** The environment variable that is echoed. */
    public static final String ENVIRONMENT_VARIABLE = "INTERPROC_ECHO";
    /** What is written to standard error. */
    public static final String STDERR_LINE = "echo on stderr";

    private EchoMain() {
    }

    /**
     * Called by the child JVM's launcher.
     *
     * @param args echoed as they are
     */
    public static void main(String[] args) {
        StringBuilder out = new StringBuilder();
        out.append("args=").append(Arrays.toString(args)).append('\n');
        TreeMap<String, String> properties = new TreeMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(PROPERTY_PREFIX)) {
                properties.put(name, System.getProperty(name));
            }
        }
        properties.forEach((name, value) -> out.append(name).append('=').append(value).append('\n'));
        String variable = System.getenv(ENVIRONMENT_VARIABLE);
        if (variable != null) {
            out.append(ENVIRONMENT_VARIABLE).append('=').append(variable).append('\n');
        }
        out.append("user.dir=").append(System.getProperty("user.dir")).append('\n');
        System.out.print(out);
        System.out.flush();
        System.err.println(STDERR_LINE);
        System.err.flush();
    }
}
