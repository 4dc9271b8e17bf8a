package io.interproc.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The cross-process harness (issues 3, 4 and 6): starts its peer JVMs ({@link JvmProcess}) and
 * Python processes itself, warms them up, measures, and writes a Markdown table, a PNG chart of
 * the ratios and one MET / NOT MET line per target.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.interproc.bench.Harness [--quick] [--check]
 *      [--out DIR] [--only ID[,ID...]] [--python EXE]
 * </pre>
 * <ul>
 *   <li>{@code --quick}: a smoke run (well under a minute): short warm-ups and iterations; the
 *       figures mean little. Writes to {@code benchmarks/target/results-quick} unless {@code --out}.</li>
 *   <li>{@code --check}: exit 1 unless every figure is present (a peer missing on this machine,
 *       with its reason, counts as present; a failed run does not). Never judges speed.</li>
 *   <li>{@code --out DIR}: where {@code <date>-<host>.md/.png} and {@code latest.md/.png} go
 *       (default {@code benchmarks/results}).</li>
 *   <li>{@code --only}: run only the scenarios whose id starts with one of these prefixes.</li>
 * </ul>
 * Every measurement runs alone, one after the other; the harness JVM itself sleeps while its
 * peers run. See benchmarks/README.md for what each scenario measures.
 *
 * <p>This class is the entry point and writes the report; the parts live beside it:
 * {@link HarnessOptions} (the command line), {@link Settings} (durations per mode),
 * {@link ScenarioCatalogue} (the scenarios), {@link JvmRuns} and {@link BlockedRuns} (peer JVMs
 * started and timed), {@link PythonRuns} (the Python peers), {@link Targets} and
 * {@link FigureCheck} (the verdicts), {@link Environment}, {@link Workspace} and {@link Progress}.
 */
public final class Harness {
    private Harness() {
    }

    /**
     * @param args see the class comment
     * @throws Exception on a harness failure (a failed peer run is reported, not thrown)
     */
    public static void main(String[] args) throws Exception {
        HarnessOptions options = HarnessOptions.parseOrExit(args);
        long start = System.nanoTime();
        Settings settings = options.quick() ? Settings.quickMode() : Settings.fullMode();
        Progress progress = new Progress();
        Workspace workspace = Workspace.create();
        int status;
        try {
            status = run(options, settings, workspace, progress);
        } finally {
            workspace.cleanUp();
        }
        System.out.printf(Locale.ROOT, "Harness finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
        System.exit(status);
    }

    /** Runs the selected scenarios, writes the report files and, with {@code --check}, judges them. */
    private static int run(HarnessOptions options, Settings settings, Workspace workspace, Progress progress)
            throws Exception {
        Path out = options.out();
        String loadBefore = Environment.loadAverage();
        LocalDateTime started = LocalDateTime.now();
        PythonRuns python = PythonRuns.check(options.python(), settings, workspace, progress);
        JvmRuns jvm = new JvmRuns(settings, workspace, progress);
        BlockedRuns blocked = new BlockedRuns(settings, workspace, progress, jvm);
        List<Scenario> scenarios = new ScenarioCatalogue(settings, workspace, progress, jvm, blocked, python)
                .run(options::selects);
        String loadAfter = Environment.loadAverage();

        List<Report.Target> targets = Targets.of(scenarios);
        String host = Environment.hostName();
        String date = LocalDate.now().toString();
        List<String> environment = Environment.describe(started, host, settings, options.commandLine(), loadBefore,
                loadAfter, python.description());
        Files.createDirectories(out);
        String base = date + "-" + host;
        String chartNote = null;
        try {
            Report.chart("interproc vs peers, " + date + " on " + host + (settings.quick() ? " (quick)" : ""), scenarios,
                    out.resolve(base + ".png"));
            Files.copy(out.resolve(base + ".png"), out.resolve("latest.png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (Exception | Error e) {
            chartNote = "chart not drawn: " + e;
            System.err.println(chartNote);
        }
        String heading = "interproc cross-process benchmarks — " + date + " on " + host;
        List<String> env = chartNote == null ? environment
                : Stream.concat(environment.stream(), Stream.of(chartNote)).collect(Collectors.toList());
        String dated = Report.markdown(heading, env, scenarios, targets, chartNote == null ? base + ".png" : null,
                settings.quick());
        String latest = Report.markdown(heading, env, scenarios, targets, chartNote == null ? "latest.png" : null,
                settings.quick());
        Report.write(out.resolve(base + ".md"), dated);
        Report.write(out.resolve("latest.md"), latest);
        System.out.println(dated);
        System.out.println("Written: " + out.resolve(base + ".md") + " and " + out.resolve("latest.md"));
        return options.check() ? FigureCheck.check(scenarios, out, base) : 0;
    }
}
