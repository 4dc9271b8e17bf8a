package io.interproc.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Python {@code multiprocessing} peers: extracts {@code interproc_peers.py} from the jar,
 * checks that the interpreter can import {@code multiprocessing}, runs one scenario per process
 * and turns its {@code RESULT {json}} line into a {@link Figure}. Where Python cannot run, every
 * Python figure is "missing" with the reason.
 */
final class PythonRuns {
    private final String python;
    private final Settings settings;
    private final Workspace workspace;
    private final Progress progress;
    private Path script;
    private String version;
    private String missing;

    private PythonRuns(String python, Settings settings, Workspace workspace, Progress progress) {
        this.python = python;
        this.settings = settings;
        this.workspace = workspace;
        this.progress = progress;
    }

    /**
     * @param python the interpreter ({@code --python})
     * @return the runner, its interpreter checked (found or missing with the reason)
     */
    static PythonRuns check(String python, Settings settings, Workspace workspace, Progress progress)
            throws IOException {
        PythonRuns runs = new PythonRuns(python, settings, workspace, progress);
        runs.check();
        return runs;
    }

    private void check() throws IOException {
        try (InputStream in = PythonRuns.class.getResourceAsStream("/python/interproc_peers.py")) {
            if (in != null) {
                script = workspace.file("interproc_peers.py");
                Files.copy(in, script);
            } else {
                Path source = Path.of("benchmarks", "src", "main", "python", "interproc_peers.py");
                script = Files.isRegularFile(source) ? source : Path.of("src", "main", "python", "interproc_peers.py");
            }
        }
        if (!Files.isRegularFile(script)) {
            missing = "interproc_peers.py not found in the jar nor in src/main/python";
            return;
        }
        try {
            Process p = new ProcessBuilder(python, "-c", "import multiprocessing, sys; print(sys.version.split()[0])")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                missing = python + " cannot import multiprocessing: " + Failures.lastLines(out);
            } else {
                version = out;
            }
        } catch (IOException e) {
            missing = python + " not found on PATH (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            missing = "interrupted";
        }
    }

    /** @return the Python line of the report: the version and interpreter, or why it is missing */
    String description() {
        return missing != null ? "missing (" + missing + ")" : version + " (" + python + ")";
    }

    /** @return the interpreter, for other scripts' runs ({@link CollectionScenarios}) */
    String interpreter() {
        return python;
    }

    /** @return why Python cannot run here, or null if it can */
    String missingReason() {
        return missing;
    }

    private String run(List<String> args, String what) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python, script.toString()));
        command.addAll(args);
        progress.step(what + " (python " + String.join(" ", args) + ")");
        Path out = workspace.file("py.out");
        Path err = workspace.file("py.err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        long timeout = settings.runTimeoutSeconds();
        if (!p.waitFor(timeout, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("no result after " + timeout + " s");
        }
        String stdout = Files.readString(out);
        for (String line : stdout.lines().collect(Collectors.toList())) {
            if (line.startsWith("RESULT ")) {
                return line.substring(7);
            }
        }
        throw new IOException("exit code " + p.exitValue() + ", no RESULT: " + Failures.lastLines(Files.readString(err)));
    }

    /** @return the median of the script's throughput iterations for {@code scenario} */
    Figure throughput(String impl, String scenario, String... extra) throws InterruptedException {
        if (missing != null) {
            return Figure.missing(impl, missing);
        }
        List<String> args = new ArrayList<>(List.of(scenario, "--warmup", seconds(settings.warmupMs()),
                "--iterations", String.valueOf(settings.iterations()), "--duration", seconds(settings.iterationMs())));
        args.addAll(List.of(extra));
        try {
            String json = run(args, impl);
            double[] samples = JsonFields.array(json, "samples");
            double[] sorted = samples.clone();
            Arrays.sort(sorted);
            String handoffs = json.contains("\"handoffs_per_s\"")
                    ? "; hand-offs (an acquisition from the other process) " + Report.value(JsonFields.number(json, "handoffs_per_s"), "/s")
                    : "";
            return progress.withLoad(Figure.of(impl, sorted[sorted.length / 2], JsonFields.string(json, "what") + "; median of " + samples.length
                    + " × " + settings.iterationMs() + " ms, range " + Report.value(sorted[0], "/s") + " – "
                    + Report.value(sorted[sorted.length - 1], "/s") + handoffs));
        } catch (IOException | RuntimeException e) {
            return Figure.failed(impl, e.getMessage());
        }
    }

    /** @return the percentiles of the script's round trips for {@code scenario} */
    Figure latency(String impl, String scenario, String... args) throws InterruptedException {
        if (missing != null) {
            return Figure.missing(impl, missing);
        }
        try {
            String json = run(List.of(Stream.concat(Stream.of(scenario), Stream.of(args)).toArray(String[]::new)), impl);
            return progress.withLoad(Figure.latency(impl, JsonFields.number(json, "p50"), JsonFields.number(json, "p99"),
                    JsonFields.number(json, "p999"), JsonFields.string(json, "what") + "; p90 "
                    + Report.value(JsonFields.number(json, "p90"), "ns") + ", max "
                    + Report.value(JsonFields.number(json, "max"), "ns") + ", " + (long) JsonFields.number(json, "count")
                    + " measured, " + JsonFields.string(json, "clock")));
        } catch (IOException | RuntimeException e) {
            return Figure.failed(impl, e.getMessage());
        }
    }

    /**
     * The script's {@code blocked} scenario prints {@code PID n} of a child blocked in
     * {@code Queue.get()} and waits for a line on stdin; meanwhile this measures the child's CPU.
     *
     * @return the child's CPU in ms per second, all its threads
     */
    Figure blockedQueueGet() throws Exception {
        String impl = "Python multiprocessing.Queue.get()";
        if (missing != null) {
            return Figure.missing(impl, missing);
        }
        progress.step(impl + " (blocked)");
        Path errFile = workspace.file("py-blocked.err");
        Process p = new ProcessBuilder(python, script.toString(), "blocked").redirectError(
                ProcessBuilder.Redirect.to(errFile.toFile())).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                OutputStream stdin = p.getOutputStream()) {
            String line = in.readLine();
            if (line == null || !line.startsWith("PID ")) {
                p.waitFor(5, TimeUnit.SECONDS);
                return Figure.failed(impl, "no PID line: " + Failures.lastLines(Files.readString(errFile)));
            }
            long pid = Long.parseLong(line.substring(4).trim());
            Thread.sleep(settings.settleMs());
            long before = ThreadCpu.total(pid);
            long t0 = System.nanoTime();
            Thread.sleep(settings.cpuWindowMs());
            long after = ThreadCpu.total(pid);
            double seconds = (System.nanoTime() - t0) / 1e9;
            stdin.write('\n');
            stdin.flush();
            p.waitFor(10, TimeUnit.SECONDS);
            return progress.withLoad(Figure.of(impl, (after - before) / 1e6 / seconds, String.format(Locale.ROOT,
                    "1 child process blocked in Queue.get() for %.1f s, all its threads, same /proc measure", seconds)));
        } finally {
            p.destroyForcibly();
        }
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }
}
