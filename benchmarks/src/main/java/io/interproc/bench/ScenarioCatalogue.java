package io.interproc.bench;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.ipc.pipe.Pipe;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.process.JvmProcess;
import io.interproc.sync.SharedEvent;
import io.interproc.sync.SharedLock;
import io.interproc.sync.SharedReentrantLock;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The harness's scenarios, in the order they run: for each, interproc's figure and its peers'
 * (Java peer JVMs, Agrona, Unix-domain sockets, {@code FileChannel.lock()}, Python), measured one
 * after the other by {@link JvmRuns}, {@link BlockedRuns} and {@link PythonRuns}.
 * benchmarks/README.md says what each scenario measures.
 */
final class ScenarioCatalogue {
    private static final int QUEUE_CAPACITY = 1 << 20;
    private static final int PIPE_CAPACITY = 64 << 10;

    /** One entry of the catalogue: runs its scenarios (one, or a scenario and its variants). */
    @FunctionalInterface
    private interface Entry {
        List<Scenario> run() throws Exception;
    }

    private final Settings settings;
    private final Workspace workspace;
    private final Progress progress;
    private final JvmRuns jvm;
    private final BlockedRuns blocked;
    private final PythonRuns python;

    ScenarioCatalogue(Settings settings, Workspace workspace, Progress progress, JvmRuns jvm, BlockedRuns blocked,
            PythonRuns python) {
        this.settings = settings;
        this.workspace = workspace;
        this.progress = progress;
        this.jvm = jvm;
        this.blocked = blocked;
        this.python = python;
    }

    /**
     * Runs the selected scenarios one after the other.
     *
     * @param selected whether to run the entry with this id ({@code --only})
     * @return their figures, in catalogue order
     */
    List<Scenario> run(Predicate<String> selected) throws Exception {
        Map<String, Entry> entries = new LinkedHashMap<>();
        entries.put("uncontended", this::uncontended);
        entries.put("lock-handoff", () -> List.of(lockHandoff()));
        entries.put("value-increment", () -> List.of(valueIncrement()));
        for (int size : MESSAGE_SIZES) {
            entries.put("queue-1to1-" + sizeSuffix(size), () -> queueOneToOne(size));
        }
        for (int size : MESSAGE_SIZES) {
            entries.put("queue-2to2-" + sizeSuffix(size), () -> queueTwoToTwo(size));
        }
        entries.put("pipe-pingpong", () -> List.of(pipePingPong()));
        entries.put("event-wakeup", () -> List.of(eventWakeup()));
        entries.put("blocked-cpu", () -> List.of(blockedCpu()));
        entries.put("blocked-cpu-1000", () -> List.of(blockedThousand()));
        // issue 17: the lock and queue scenarios on Redis
        RedisScenarios redis = new RedisScenarios(jvm, workspace);
        entries.put("redis-lock-handoff", () -> List.of(redis.lockHandoff()));
        entries.put("redis-queue-1to1-8B", () -> List.of(redis.queueOneToOne()));
        entries.put("codec-chronicle", () -> List.of(codecChronicle()));
        // collections (issue 15): SharedMap against Chronicle Map and Manager().dict(), SharedList.append
        new CollectionScenarios(settings, workspace, progress, jvm, python).entries()
                .forEach((id, scenarios) -> entries.put(id, scenarios::call));
        List<Scenario> scenarios = new ArrayList<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (selected.test(e.getKey())) {
                scenarios.addAll(e.getValue().run());
            }
        }
        return scenarios;
    }

    private List<Scenario> uncontended() throws Exception {
        String note = "one thread, one JVM, timed loop of " + settings.uncontendedOps() + " lock()+unlock(), median of "
                + settings.uncontendedIterations() + " (JMH LockBenchmark is the careful figure)";
        String seg = workspace.newSegmentName();
        progress.step("uncontended lock+unlock (1 JVM)");
        String[] names = {"SharedLock", "SharedReentrantLock", "ReentrantLock"};
        double[] medians = new double[3];
        String failure = null;
        try (Segment segment = Segment.create(seg, 1 << 20)) {
            Control.create(segment);
            SharedLock.create(segment, "lock");
            SharedReentrantLock.create(segment, "rlock");
            JvmProcess p = jvm.start(PeerSpec.of(Peer.class, "uncontended", 0, settings.uncontendedIterations(),
                    settings.uncontendedOps()), seg);
            try {
                if (!p.join(120, TimeUnit.SECONDS) || p.exitCode() != 0) {
                    failure = Failures.reason(p);
                } else {
                    for (int i = 0; i < 3; i++) {
                        Matcher m = Pattern.compile("RESULT " + names[i] + " ([0-9.]+)").matcher(p.output());
                        if (!m.find()) {
                            failure = "no RESULT for " + names[i] + " in: " + p.output();
                            break;
                        }
                        medians[i] = Double.parseDouble(m.group(1));
                    }
                }
            } finally {
                p.close();
                segment.unlink();
            }
        }
        List<Scenario> result = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Figure ours = failure != null ? Figure.failed("interproc " + names[i], failure)
                    : Figure.of("interproc " + names[i], medians[i], note);
            Figure peer = failure != null ? Figure.failed("ReentrantLock", failure)
                    : Figure.of("ReentrantLock", medians[2], "same JVM, same loop");
            result.add(new Scenario(i == 0 ? "uncontended-lock" : "uncontended-rlock",
                    "uncontended " + names[i] + " lock+unlock (1 JVM)", "ns", false, progress.withLoad(ours),
                    List.of(progress.withLoad(peer))));
        }
        return result;
    }

    private Scenario lockHandoff() throws Exception {
        Figure ours = jvm.throughput("interproc SharedLock", "2 JVMs: lock(); counter++; unlock()",
                s -> {
                    SharedLock.create(s, "lock");
                    SharedLong.create(s, "counter");
                    SharedLong.create(s, "last");
                    SharedLong.create(s, "handoffs");
                }, List.of(PeerSpec.of(Peer.class, "lock-shared", 0), PeerSpec.of(Peer.class, "lock-shared", 1)), 0, 2, true);
        Path lockFile = workspace.nextRunFile("lockfile-", "");
        Figure file = jvm.throughput("FileChannel.lock()", "2 JVMs: channel.lock() on one file; counter++; release()",
                s -> {
                    SharedLong.create(s, "counter");
                    SharedLong.create(s, "last");
                    SharedLong.create(s, "handoffs");
                    new RandomAccessFile(lockFile.toFile(), "rw").close();
                }, List.of(PeerSpec.of(Peer.class, "lock-file", 0, lockFile), PeerSpec.of(Peer.class, "lock-file", 1, lockFile)),
                0, 2, true);
        Figure py = python.throughput("Python multiprocessing.Lock", "lock");
        return new Scenario("lock-handoff", "lock hand-off, 2 processes", "ops/s", true, ours, List.of(file, py));
    }

    private Scenario valueIncrement() throws Exception {
        Figure ours = jvm.throughput("interproc SharedLong.incrementAndGet", "2 JVMs, one CAS-free getAndAdd each",
                s -> SharedLong.create(s, "value"),
                List.of(PeerSpec.of(Peer.class, "value-shared", 0), PeerSpec.of(Peer.class, "value-shared", 1)), 0, 2, true);
        Figure py = python.throughput("Python multiprocessing.Value (with its lock)", "value");
        return new Scenario("value-increment", "shared value increments, 2 processes", "ops/s", true, ours, List.of(py));
    }

    /** The message sizes of the queue scenarios, in bytes. */
    private static final int[] MESSAGE_SIZES = {8, 1024};

    /** @return the size in a scenario id: {@code 8B} or {@code 1KiB} */
    private static String sizeSuffix(int size) {
        return size == 8 ? "8B" : "1KiB";
    }

    /** @return the size in a scenario title: {@code 8 B} or {@code 1 KiB} */
    private static String sizeText(int size) {
        return size == 8 ? "8 B" : "1 KiB";
    }

    private List<Scenario> queueOneToOne(int size) throws Exception {
        String suffix = sizeSuffix(size);
        Figure ours = jvm.throughput("interproc SharedQueue (bytes path)", "putBytes -> takeBytes, 1 MiB ring",
                s -> SharedQueue.create(s, "q", QUEUE_CAPACITY, Codec.bytes()),
                List.of(PeerSpec.of(Peer.class, "queue-producer", 0, size), PeerSpec.of(Peer.class, "queue-consumer", 1, size)),
                1, 2, false);
        Path ring = agronaFile(1);
        Figure agrona = jvm.throughput("Agrona OneToOneRingBuffer", "busy-spin, 1 MiB ring over a mapped file in /dev/shm",
                s -> { }, List.of(PeerSpec.of(AgronaPeer.class, "producer", 0, ring, "o2o", QUEUE_CAPACITY, size),
                        PeerSpec.of(AgronaPeer.class, "consumer", 1, ring, "o2o", QUEUE_CAPACITY, size)), 1, 2, false);
        Path socket = workspace.nextRunFile("uds-", ".sock");
        Figure uds = jvm.throughput("Unix-domain socket (SocketChannel)", "one write(2) per message, reader drains 64 KiB",
                s -> { }, List.of(PeerSpec.of(Peer.class, "uds-producer", 0, socket, size),
                        PeerSpec.of(Peer.class, "uds-consumer", 1, socket, size)), 1, 2, false);
        Figure py = python.throughput("Python multiprocessing.Queue", "queue", "--size", String.valueOf(size));
        String sizeText = sizeText(size);
        List<Scenario> result = new ArrayList<>();
        result.add(new Scenario("queue-1to1-" + suffix, "queue 1→1, " + sizeText + " messages", "msg/s", true, ours,
                List.of(agrona, uds, py)));
        // The batch take against Agrona's read(), which also publishes its head once per batch.
        Figure batch = jvm.throughput("interproc SharedQueue, batch take (putBytes -> drainBytes)",
                "drainBytes(handler, 4096, 1 s): head published once per batch, 1 MiB ring",
                s -> SharedQueue.create(s, "q", QUEUE_CAPACITY, Codec.bytes()),
                List.of(PeerSpec.of(Peer.class, "queue-producer", 0, size),
                        PeerSpec.of(Peer.class, "queue-consumer-batch", 1, size)), 1, 2, false);
        result.add(new Scenario("queue-1to1-" + suffix + "-batch", "queue 1→1, " + sizeText
                + " messages, batch take like Agrona's read()", "msg/s", true, batch, List.of(agrona)));
        Figure batches = jvm.throughput("interproc SharedQueue, batch put and take (putAllBytes -> drainBytes)",
                "putAllBytes of 256: tail published once per run; drainBytes(handler, 4096, 1 s), 1 MiB ring",
                s -> SharedQueue.create(s, "q", QUEUE_CAPACITY, Codec.bytes()),
                List.of(PeerSpec.of(Peer.class, "queue-producer-batch", 0, size),
                        PeerSpec.of(Peer.class, "queue-consumer-batch", 1, size)), 1, 2, false);
        result.add(new Scenario("queue-1to1-" + suffix + "-batches", "queue 1→1, " + sizeText
                + " messages, batch put and batch take", "msg/s", true, batches, List.of(agrona)));
        if (size == 8) {
            // The same ring driven like Agrona's (never blocking), against the same Agrona figure: separates the
            // cost of the blocking protocol from the cost of the queue's own path.
            Figure spin = jvm.throughput("interproc SharedQueue, non-blocking (offerBytes/pollBytes busy-spin)",
                    "offerBytes -> pollBytes retried with Thread.onSpinWait(), 1 MiB ring",
                    s -> SharedQueue.create(s, "q", QUEUE_CAPACITY, Codec.bytes()),
                    List.of(PeerSpec.of(Peer.class, "queue-producer-spin", 0, size),
                            PeerSpec.of(Peer.class, "queue-consumer-spin", 1, size)), 1, 2, false);
            result.add(new Scenario("queue-1to1-" + suffix + "-spin", "queue 1→1, " + sizeText
                    + " messages, busy-spin like Agrona", "msg/s", true, spin, List.of(agrona)));
        }
        return result;
    }

    private List<Scenario> queueTwoToTwo(int size) throws Exception {
        Figure ours = jvm.throughput("interproc SharedQueue 2→2 (bytes path)", "2 producer JVMs, 2 consumer JVMs, 1 MiB ring",
                s -> SharedQueue.create(s, "q", QUEUE_CAPACITY, Codec.bytes()),
                List.of(PeerSpec.of(Peer.class, "queue-producer", 0, size), PeerSpec.of(Peer.class, "queue-producer", 1, size),
                        PeerSpec.of(Peer.class, "queue-consumer", 2, size), PeerSpec.of(Peer.class, "queue-consumer", 3, size)),
                2, 4, false);
        Path ring = agronaFile(1);
        Figure agrona = jvm.throughput("Agrona ManyToOneRingBuffer 2→1",
                "2 producers, ONE consumer (Agrona has no many-to-many ring), busy-spin, 1 MiB ring",
                s -> { }, List.of(PeerSpec.of(AgronaPeer.class, "producer", 0, ring, "m2o", QUEUE_CAPACITY, size),
                        PeerSpec.of(AgronaPeer.class, "producer", 1, ring, "m2o", QUEUE_CAPACITY, size),
                        PeerSpec.of(AgronaPeer.class, "consumer", 2, ring, "m2o", QUEUE_CAPACITY, size)), 2, 3, false);
        Figure batch = jvm.throughput("interproc SharedQueue 2→2, batch take (putBytes -> drainBytes)",
                "2 producer JVMs, 2 consumer JVMs taking with drainBytes(handler, 4096, 1 s), 1 MiB ring",
                s -> SharedQueue.create(s, "q", QUEUE_CAPACITY, Codec.bytes()),
                List.of(PeerSpec.of(Peer.class, "queue-producer", 0, size), PeerSpec.of(Peer.class, "queue-producer", 1, size),
                        PeerSpec.of(Peer.class, "queue-consumer-batch", 2, size),
                        PeerSpec.of(Peer.class, "queue-consumer-batch", 3, size)),
                2, 4, false);
        Figure batches = jvm.throughput("interproc SharedQueue 2→2, batch put and take (putAllBytes -> drainBytes)",
                "2 producer JVMs putting with putAllBytes of 256, 2 consumer JVMs taking with drainBytes(handler, 4096,"
                        + " 1 s), 1 MiB ring",
                s -> SharedQueue.create(s, "q", QUEUE_CAPACITY, Codec.bytes()),
                List.of(PeerSpec.of(Peer.class, "queue-producer-batch", 0, size),
                        PeerSpec.of(Peer.class, "queue-producer-batch", 1, size),
                        PeerSpec.of(Peer.class, "queue-consumer-batch", 2, size),
                        PeerSpec.of(Peer.class, "queue-consumer-batch", 3, size)),
                2, 4, false);
        String suffix = sizeSuffix(size);
        return List.of(new Scenario("queue-2to2-" + suffix, "queue 2→2, " + sizeText(size) + " messages", "msg/s",
                true, ours, List.of(agrona)),
                new Scenario("queue-2to2-" + suffix + "-batch", "queue 2→2, " + sizeText(size)
                        + " messages, batch take like Agrona's read()", "msg/s", true, batch, List.of(agrona)),
                new Scenario("queue-2to2-" + suffix + "-batches", "queue 2→2, " + sizeText(size)
                        + " messages, batch put and batch take", "msg/s", true, batches, List.of(agrona)));
    }

    private Scenario pipePingPong() throws Exception {
        int size = 8;
        int w = settings.pingWarmup();
        int r = settings.pingRounds();
        Figure ours = jvm.latency("interproc Pipe/Connection", "sendBytes/recvBytesInto, 8 B, spin-then-block (default 20 µs spin)",
                s -> Pipe.create(s, "pp", PIPE_CAPACITY, true),
                PeerSpec.of(Peer.class, "pipe-pong", 0, size, w, r), PeerSpec.of(Peer.class, "pipe-ping", 1, size, w, r, settings.pingMaxMillis()));
        Path ring = agronaFile(2);
        Figure agrona = jvm.latency("Agrona OneToOneRingBuffer ping-pong", "two 64 KiB rings, busy-spin",
                s -> { }, PeerSpec.of(AgronaPeer.class, "pong", 0, ring, PIPE_CAPACITY, size, w, r),
                PeerSpec.of(AgronaPeer.class, "ping", 1, ring, PIPE_CAPACITY, size, w, r, settings.pingMaxMillis()));
        Path socket = workspace.nextRunFile("uds-", ".sock");
        Figure uds = jvm.latency("Unix-domain socket ping-pong", "blocking SocketChannel, 8 B",
                s -> { }, PeerSpec.of(Peer.class, "uds-pong", 0, socket, size, w, r),
                PeerSpec.of(Peer.class, "uds-ping", 1, socket, size, w, r, settings.pingMaxMillis()));
        Figure py = python.latency("Python multiprocessing.Pipe", "pipe", "--size", "8",
                "--warmup-rounds", String.valueOf(settings.pyPingWarmup()), "--rounds", String.valueOf(settings.pyPingRounds()));
        return new Scenario("pipe-pingpong", "pipe ping-pong round trip, 8 B", "ns", false, ours, List.of(agrona, uds, py));
    }

    private Scenario eventWakeup() throws Exception {
        int w = settings.eventWarmup();
        int r = settings.eventRounds();
        long gap = 200;
        Figure ours = jvm.latency("interproc SharedEvent", "set() in one JVM -> await() returns in another, " + gap
                + " µs apart (the waiter is asleep in futex), System.nanoTime stamps",
                s -> {
                    SharedEvent.create(s, "ev");
                    SharedEvent.create(s, "ack");
                    SharedLong.create(s, "stamp");
                    SharedLong.create(s, "done");
                }, PeerSpec.of(Peer.class, "event-setter", 0, w, r, settings.pingMaxMillis(), gap),
                PeerSpec.of(Peer.class, "event-waiter", 1, w, r, settings.pingMaxMillis()));
        Figure py = python.latency("Python multiprocessing.Event", "event", "--gap-us", "200",
                "--warmup-rounds", String.valueOf(settings.eventWarmup()), "--rounds", String.valueOf(settings.eventRounds()));
        return new Scenario("event-wakeup", "event wake-up latency (set → await returns, other process)", "ns", false,
                ours, List.of(py));
    }

    private Scenario blockedCpu() throws Exception {
        Figure ours = blocked.twoJvms();
        Figure py = python.blockedQueueGet();
        return new Scenario("blocked-cpu", "CPU of a waiter blocked in take()/get()", "cpu", false, ours, List.of(py));
    }

    /** Threads blocked at once in the {@code blocked-cpu-1000} scenario. */
    static final int BLOCKED_THREADS = 1000;

    private Scenario blockedThousand() throws Exception {
        return new Scenario("blocked-cpu-1000", "CPU of " + BLOCKED_THREADS + " threads blocked in take() (one JVM)",
                "cpu", false, blocked.threads(BLOCKED_THREADS), List.of());
    }

    private Scenario codecChronicle() throws Exception {
        String what = "1 producer JVM -> 1 consumer JVM, put/take of one 60-byte order object, 1 MiB ring";
        Figure chronicle = jvm.throughput("interproc ChronicleCodec", what,
                s -> SharedQueue.create(s, "q", QUEUE_CAPACITY, Codec.bytes()),
                List.of(PeerSpec.of(CodecPeer.class, "producer", 0, "chronicle"),
                        PeerSpec.of(CodecPeer.class, "consumer", 1, "chronicle")), 1, 2, false);
        Figure serializable = jvm.throughput("Codec.serializable (same objects, same queue)", what,
                s -> SharedQueue.create(s, "q", QUEUE_CAPACITY, Codec.bytes()),
                List.of(PeerSpec.of(CodecPeer.class, "producer", 0, "serializable"),
                        PeerSpec.of(CodecPeer.class, "consumer", 1, "serializable")), 1, 2, false);
        return new Scenario("codec-chronicle", "objects through a queue 1→1: ChronicleCodec vs Java serialization",
                "msg/s", true, chronicle, List.of(serializable));
    }

    /** @return a fresh file for {@code rings} Agrona rings of the queue's capacity, in /dev/shm where possible */
    private Path agronaFile(int rings) throws IOException {
        Path file = workspace.nextRunSharedMemoryFile("agrona-", ".ring");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(((long) rings) * (QUEUE_CAPACITY + 768)); // >= rings * (capacity + Agrona's trailer)
        }
        return file;
    }
}
