package io.interproc.bench;

import io.interproc.cli.args.ArgParser;
import io.interproc.pool.ProcessPool;
import io.interproc.pool.SerializableFunction;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Tasks per second of {@link ProcessPool} for tiny tasks (squaring an int), against Python's
 * {@code multiprocessing.Pool} running the same work in the same run
 * ({@code benchmarks/src/main/python/pool_peer.py}), with the same number of workers. Modes:
 * <ul>
 *   <li>{@code map}: {@code map(square, 0..n)} with the default chunk size, {@code ceil(n / (4 * workers))};</li>
 *   <li>{@code map1}: the same with chunk size 1, one task per item;</li>
 *   <li>{@code apply}: {@code applyAsync(square, i)} for every item, then {@code get} each (Python's
 *       {@code apply_async});</li>
 *   <li>{@code imapu}: {@code imapUnordered(square, 0..n)}, chunk size 1, consumed as results come.</li>
 * </ul>
 * Each mode runs {@code --warmup} times unmeasured (the worker JVMs' JIT compilers need it; Python
 * does the same runs), then {@code --runs} times; the table shows the median. Pool start-up (until
 * every worker answered a task) is shown apart.
 *
 * <p>Run (after {@code mvn -pl benchmarks -am package -DskipTests}):
 * {@code java -cp benchmarks/target/benchmarks.jar io.interproc.bench.PoolBenchmark [--workers 2]
 * [--tasks 100000] [--per-task 20000] [--runs 3] [--warmup 5] [--python python3] [--script path/to/pool_peer.py]}.
 */
public final class PoolBenchmark {
    private static final List<String> MODES = List.of("map", "map1", "apply", "imapu");

    private PoolBenchmark() {
    }

    /**
     * @param args flags, see the class comment
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        record Options(int workers, int tasks, int perTask, int runs, int warmup, String python, String script) {
        }
        Options o = new ArgParser("PoolBenchmark", "PoolBenchmark [--workers N] [--tasks N] [--per-task N] [--runs N]"
                + " [--warmup N] [--python EXE] [--script PATH]").help()
                .option("--workers", "N").option("--tasks", "N").option("--per-task", "N").option("--runs", "N")
                .option("--warmup", "N").option("--python", "EXE").option("--script", "PATH")
                .parseOrExit(args, a -> new Options(a.intValue("--workers", 2, 1, 1024),
                        a.intValue("--tasks", 100_000, 1, Integer.MAX_VALUE),
                        a.intValue("--per-task", 20_000, 1, Integer.MAX_VALUE), a.intValue("--runs", 3, 1, 1000),
                        a.intValue("--warmup", 5, 0, 1000), a.value("--python", "python3"), a.value("--script")));
        int workers = o.workers();
        int tasks = o.tasks();
        int perTask = o.perTask();
        int runs = o.runs();
        int warmup = o.warmup();
        String python = o.python();
        String script = o.script();
        Path peer = script != null ? Paths.get(script) : findScript();

        Map<String, Double> javaRates = new LinkedHashMap<>();
        double javaStartup;
        long t0 = System.nanoTime();
        try (ProcessPool pool = ProcessPool.builder().workers(workers).start()) {
            pool.map(x -> x, IntStream.range(0, workers).boxed().collect(Collectors.toList()), 1);
            javaStartup = (System.nanoTime() - t0) / 1e9;
            for (String mode : MODES) {
                int n = mode.equals("map") ? tasks : perTask;
                for (int w = 0; w < warmup; w++) {
                    run(pool, mode, n);
                }
                double[] seconds = new double[runs];
                for (int r = 0; r < runs; r++) {
                    seconds[r] = run(pool, mode, n);
                }
                javaRates.put(mode, n / median(seconds));
            }
        }

        Map<String, List<Double>> pythonSeconds = new LinkedHashMap<>();
        double pythonStartup = Double.NaN;
        Process p = new ProcessBuilder(python, peer.toString(), "--workers", Integer.toString(workers), "--tasks",
                Integer.toString(tasks), "--per-task", Integer.toString(perTask), "--runs", Integer.toString(runs),
                "--warmup", Integer.toString(warmup))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String pythonVersion = version(python);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                String[] f = line.trim().split(" ");
                if (f[0].equals("STARTUP")) {
                    pythonStartup = Double.parseDouble(f[1]);
                } else if (f[0].equals("RESULT")) {
                    pythonSeconds.computeIfAbsent(f[1], k -> new ArrayList<>()).add(Double.parseDouble(f[3]));
                }
            }
        }
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("python peer failed: exit code " + (p.isAlive() ? "(running)" : p.exitValue()));
        }

        System.out.printf("Process pool, tiny tasks (square an int), %d workers, %d CPUs, median of %d runs after %d"
                + " warm-up runs%n", workers, Runtime.getRuntime().availableProcessors(), runs, warmup);
        System.out.printf("Java %s vs %s (multiprocessing.Pool, default start method)%n%n",
                System.getProperty("java.version"), pythonVersion);
        System.out.println("| mode | items | interproc ProcessPool (tasks/s) | Python Pool (tasks/s) | ratio |");
        System.out.println("|---|---|---|---|---|");
        for (String mode : MODES) {
            int n = mode.equals("map") ? tasks : perTask;
            double j = javaRates.get(mode);
            List<Double> py = pythonSeconds.get(mode);
            double pyRate = py == null ? Double.NaN : n / median(py.stream().mapToDouble(Double::doubleValue).toArray());
            System.out.printf("| %s | %d | %,.0f | %,.0f | %.2f |%n", mode, n, j, pyRate, j / pyRate);
        }
        System.out.printf("%nPool start-up until every worker answered: interproc %.3f s, Python %.3f s%n", javaStartup,
                pythonStartup);
    }

    private static double run(ProcessPool pool, String mode, int n) throws Exception {
        List<Integer> items = IntStream.range(0, n).boxed().collect(Collectors.toList());
        SerializableFunction<Integer, Integer> square = x -> x * x;
        long start = System.nanoTime();
        long sum = 0;
        switch (mode) {
            case "map" -> {
                for (int v : pool.map(square, items)) {
                    sum += v;
                }
            }
            case "map1" -> {
                for (int v : pool.map(square, items, 1)) {
                    sum += v;
                }
            }
            case "apply" -> {
                List<Future<Integer>> futures = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    futures.add(pool.applyAsync(square, i));
                }
                for (Future<Integer> f : futures) {
                    sum += f.get();
                }
            }
            case "imapu" -> {
                for (int v : pool.imapUnordered(square, items)) {
                    sum += v;
                }
            }
            default -> throw new IllegalArgumentException(mode);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long expected = sumOfSquares(n);
        if (sum != expected) {
            throw new IllegalStateException(mode + ": wrong sum " + sum + ", expected " + expected);
        }
        return seconds;
    }

    private static long sumOfSquares(int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += i * i; // int arithmetic, overflowing as the task's does
        }
        return s;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private static String version(String python) {
        try {
            Process v = new ProcessBuilder(python, "--version").redirectErrorStream(true).start();
            String out = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            v.waitFor();
            return out;
        } catch (IOException | InterruptedException e) {
            return python;
        }
    }

    private static Path findScript() {
        Path relative = Paths.get("benchmarks", "src", "main", "python", "pool_peer.py");
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
            Path sibling = dir.resolve("src").resolve("main").resolve("python").resolve("pool_peer.py");
            if (Files.isRegularFile(sibling)) {
                return sibling;
            }
        }
        throw new IllegalStateException("cannot find " + relative + " above " + Paths.get("").toAbsolutePath()
                + "; pass --script");
    }
}
