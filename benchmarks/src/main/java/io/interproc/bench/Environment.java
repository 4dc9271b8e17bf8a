package io.interproc.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The machine the harness runs on, as the report states it: host name, CPU model, load average,
 * JDK, Python and Agrona versions and the durations of the mode. Reads {@code /proc} where there
 * is one and says "unknown" where not; never fails a run.
 */
final class Environment {
    private Environment() {
    }

    /**
     * @param started when the run started
     * @param host {@link #hostName()}
     * @param settings the mode's durations
     * @param commandLine the harness's arguments
     * @param loadBefore {@link #loadAverage()} before the first scenario
     * @param loadAfter {@link #loadAverage()} after the last one
     * @param python {@link PythonRuns#description()}
     * @return the environment lines at the top of the report
     */
    static List<String> describe(LocalDateTime started, String host, Settings settings, String commandLine,
            String loadBefore, String loadAfter, String python) {
        List<String> agronaOptions = JvmRuns.agronaOptions();
        return List.of(
                "run: " + started.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).replace('T', ' ') + " on host `" + host
                        + "`, mode " + (settings.quick() ? "**quick (smoke run: figures are indicative only)**"
                        : "full") + ", command `Harness " + commandLine + "`",
                "machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + cpuModel()
                        + "; load average (1, 5, 15 min) before: " + loadBefore + ", after: " + loadAfter,
                "JDK: " + System.getProperty("java.vm.name") + " " + Runtime.version() + "; peer JVM options: "
                        + String.join(" ", JvmRuns.JAVA_OPTIONS) + (agronaOptions.isEmpty() ? ""
                        : "; Agrona peers also: " + String.join(" ", agronaOptions)),
                "Python: " + python + "; Agrona " + agronaVersion(),
                "throughput: warm-up " + settings.warmupMs() + " ms, then the median of " + settings.iterations()
                        + " iterations of " + settings.iterationMs() + " ms; latency: " + settings.pingWarmup()
                        + " warm-up + " + settings.pingRounds() + " measured round trips (Python: "
                        + settings.pyPingWarmup() + " + " + settings.pyPingRounds() + "), HdrHistogram");
    }

    /** @return the 1, 5 and 15 minute load averages as {@code "a, b, c"}, or {@code "unknown"} */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown CPU");
        } catch (IOException | RuntimeException e) {
            return "unknown CPU";
        }
    }

    /** @return the host name, safe in a file name ({@code <date>-<host>.md}) */
    static String hostName() {
        String h = null;
        try {
            h = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            h = System.getenv("HOSTNAME");
        }
        if (h == null || h.isBlank()) {
            h = "unknown-host";
        }
        return h.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** @return the Agrona version the jar was built with (from {@code peers.properties}) */
    private static String agronaVersion() {
        try (InputStream in = Environment.class.getResourceAsStream("peers.properties")) {
            if (in == null) {
                return "version unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("agrona.version", "version unknown");
        } catch (IOException e) {
            return "version unknown";
        }
    }
}
