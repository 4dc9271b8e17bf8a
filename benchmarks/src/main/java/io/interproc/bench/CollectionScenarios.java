package io.interproc.bench;

import io.interproc.collections.SharedList;
import io.interproc.core.Codec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The collections scenarios of the harness (issue 15): {@code SharedMap} get, put and remove with
 * 8-byte keys and with 100-byte string keys (values 8 bytes), in 1 JVM, 2 JVMs (one writer, one
 * reader: the reader's gets) and 2 writers, against Chronicle Map persisted in {@code /dev/shm}
 * ({@link ChronicleMapPeer}) and Python's {@code Manager().dict()}; and {@code SharedList.append}
 * from 2 JVMs against {@code Manager().list().append}. Python's figures come from
 * {@code manager_peers.py}.
 */
final class CollectionScenarios {
    /** Keys per map: a working set the 4 MiB run segment holds for 100-byte keys too. */
    static final int KEYS = 10_000;
    /** Capacity of the appended list; a peer clears it before it fills. */
    static final int LIST_CAPACITY = 50_000;

    private final Settings settings;
    private final Workspace workspace;
    private final Progress progress;
    private final JvmRuns jvm;
    private final PythonRuns python;
    private Path script;

    CollectionScenarios(Settings settings, Workspace workspace, Progress progress, JvmRuns jvm, PythonRuns python) {
        this.settings = settings;
        this.workspace = workspace;
        this.progress = progress;
        this.jvm = jvm;
        this.python = python;
    }

    /** @return the scenarios by id, in the order they run */
    Map<String, Callable<List<Scenario>>> entries() {
        Map<String, Callable<List<Scenario>>> out = new LinkedHashMap<>();
        for (String keyKind : new String[] {"long", "string100"}) {
            String suffix = keyKind.equals("long") ? "8B" : "100B";
            for (String op : new String[] {"get", "put", "remove"}) {
                out.put("map-" + op + "-" + suffix, () -> List.of(oneJvm(op, keyKind, suffix)));
            }
        }
        out.put("map-1w1r-8B", () -> List.of(writerReader()));
        out.put("map-2w-8B", () -> List.of(twoWriters()));
        out.put("list-append-2jvm", () -> List.of(listAppend()));
        return out;
    }

    private static String title(String op, String suffix) {
        String what = op.equals("remove") ? "remove + put back" : op;
        return "map " + what + ", " + (suffix.equals("8B") ? "8-byte keys" : "100-byte string keys")
                + " and 8-byte values, 1 process";
    }

    private Scenario oneJvm(String op, String keyKind, String suffix) throws Exception {
        String what = "1 JVM, " + op + (op.equals("remove") ? " + put back (one op)" : "") + " over " + KEYS + " keys";
        Figure ours = jvm.throughput("interproc SharedMap", what, s -> MapPeer.setUp(s, keyKind, KEYS),
                List.of(PeerSpec.of(MapPeer.class, op, 0, keyKind, KEYS)), 0, 1, false);
        Path file = workspace.nextRunSharedMemoryFile("bench-chronicle-", ".dat");
        Figure chronicle = jvm.throughput("Chronicle Map", what + ", persisted in /dev/shm", s -> { },
                List.of(PeerSpec.of(ChronicleMapPeer.class, op, 0, keyKind, KEYS, file)), 0, 1, false);
        Files.deleteIfExists(file);
        Figure py = pythonThroughput("Python Manager().dict()", "dict-" + op, "--keys", keyKind);
        return new Scenario("map-" + op + "-" + suffix, title(op, suffix), "ops/s", true, ours, List.of(chronicle, py));
    }

    private Scenario writerReader() throws Exception {
        String what = "2 JVMs: one puts, one gets (the reader's gets counted), " + KEYS + " 8-byte keys";
        Figure ours = jvm.throughput("interproc SharedMap", what, s -> MapPeer.setUp(s, "long", KEYS),
                List.of(PeerSpec.of(MapPeer.class, "get", 0, "long", KEYS),
                        PeerSpec.of(MapPeer.class, "put", 1, "long", KEYS)), 0, 1, false);
        Path file = workspace.nextRunSharedMemoryFile("bench-chronicle-", ".dat");
        Figure chronicle = jvm.throughput("Chronicle Map", what + ", persisted in /dev/shm", s -> { },
                List.of(PeerSpec.of(ChronicleMapPeer.class, "get", 0, "long", KEYS, file),
                        PeerSpec.of(ChronicleMapPeer.class, "put", 1, "long", KEYS, file)), 0, 1, false);
        Files.deleteIfExists(file);
        Figure py = pythonThroughput("Python Manager().dict()", "dict-1w1r", "--keys", "long");
        return new Scenario("map-1w1r-8B", "map gets while another process puts, 8-byte keys", "ops/s", true, ours,
                List.of(chronicle, py));
    }

    private Scenario twoWriters() throws Exception {
        String what = "2 JVMs putting (both counted), " + KEYS + " 8-byte keys";
        Figure ours = jvm.throughput("interproc SharedMap", what, s -> MapPeer.setUp(s, "long", KEYS),
                List.of(PeerSpec.of(MapPeer.class, "put", 0, "long", KEYS),
                        PeerSpec.of(MapPeer.class, "put", 1, "long", KEYS)), 0, 2, true);
        Path file = workspace.nextRunSharedMemoryFile("bench-chronicle-", ".dat");
        Figure chronicle = jvm.throughput("Chronicle Map", what + ", persisted in /dev/shm", s -> { },
                List.of(PeerSpec.of(ChronicleMapPeer.class, "put", 0, "long", KEYS, file),
                        PeerSpec.of(ChronicleMapPeer.class, "put", 1, "long", KEYS, file)), 0, 2, true);
        Files.deleteIfExists(file);
        Figure py = pythonThroughput("Python Manager().dict()", "dict-2w", "--keys", "long");
        return new Scenario("map-2w-8B", "map puts from 2 processes, 8-byte keys", "ops/s", true, ours,
                List.of(chronicle, py));
    }

    private Scenario listAppend() throws Exception {
        Figure ours = jvm.throughput("interproc SharedList.append", "2 JVMs appending 8-byte elements (both counted)",
                s -> SharedList.create(s, "list", Codec.longs(), LIST_CAPACITY, 8),
                List.of(PeerSpec.of(MapPeer.class, "append", 0), PeerSpec.of(MapPeer.class, "append", 1)), 0, 2, true);
        Figure py = pythonThroughput("Python Manager().list().append", "list-append");
        return new Scenario("list-append-2jvm", "list append from 2 processes", "ops/s", true, ours, List.of(py));
    }

    // ---------------------------------------------------------------- Python

    private Figure pythonThroughput(String impl, String scenario, String... extra) throws InterruptedException {
        if (python.missingReason() != null) {
            return Figure.missing(impl, python.missingReason());
        }
        try {
            List<String> command = new ArrayList<>(List.of(python.interpreter(), script().toString(), scenario,
                    "--warmup", seconds(settings.warmupMs()), "--iterations", String.valueOf(settings.iterations()),
                    "--duration", seconds(settings.iterationMs()), "--n", String.valueOf(KEYS)));
            command.addAll(Arrays.asList(extra));
            progress.step(impl + " (python " + scenario + ")");
            Path out = workspace.file("manager.out");
            Path err = workspace.file("manager.err");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(settings.runTimeoutSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Figure.failed(impl, "no result after " + settings.runTimeoutSeconds() + " s");
            }
            String json = Files.readString(out).lines().filter(l -> l.startsWith("RESULT ")).map(l -> l.substring(7))
                    .findFirst().orElse(null);
            if (json == null) {
                return Figure.failed(impl, "exit code " + p.exitValue() + ", no RESULT: "
                        + Failures.lastLines(Files.readString(err)));
            }
            double[] sorted = JsonFields.array(json, "samples").clone();
            Arrays.sort(sorted);
            return progress.withLoad(Figure.of(impl, sorted[sorted.length / 2], JsonFields.string(json, "what")
                    + "; median of " + sorted.length + " × " + settings.iterationMs() + " ms, range "
                    + Report.value(sorted[0], "/s") + " – " + Report.value(sorted[sorted.length - 1], "/s")));
        } catch (IOException | RuntimeException e) {
            return Figure.failed(impl, e.getMessage());
        }
    }

    private Path script() throws IOException {
        if (script == null) {
            try (InputStream in = CollectionScenarios.class.getResourceAsStream("/python/manager_peers.py")) {
                if (in != null) {
                    script = workspace.file("manager_peers.py");
                    Files.write(script, new String(in.readAllBytes(), StandardCharsets.UTF_8).getBytes(
                            StandardCharsets.UTF_8));
                } else {
                    script = Path.of("benchmarks", "src", "main", "python", "manager_peers.py");
                }
            }
        }
        return script;
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }
}
