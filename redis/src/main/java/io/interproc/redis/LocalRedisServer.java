package io.interproc.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} child process on a free loopback port, with persistence off
 * ({@code --save "" --appendonly no}): for tests, demos and benchmarks on one machine, not for
 * production. {@link #close()} stops it (and a JVM shutdown hook does, if the JVM exits first).
 * Any thread may call these methods.
 */
public final class LocalRedisServer implements AutoCloseable {
    private static final List<String> PLACES = List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server",
            "/usr/sbin/redis-server");

    private final Process process;
    private final int port;
    private final Path log;
    private final Thread hook;

    private LocalRedisServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.hook = new Thread(process::destroyForcibly, "redis-server-stopper");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** @return the {@code redis-server} binary on the PATH or in the usual places, if any */
    public static Optional<Path> binary() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return PLACES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts a server and waits until it answers {@code PING}.
     *
     * @return the running server
     * @throws IllegalStateException if there is no {@code redis-server} binary, or it did not
     *     start answering within 10 s (its log is in the message)
     */
    public static LocalRedisServer start() {
        Path binary = binary().orElseThrow(() -> new IllegalStateException("no redis-server binary on the PATH or in "
                + PLACES + " (Debian: apt-get install redis-server)"));
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // a free port can be taken before the server binds it
            try {
                return startOn(binary, freePort());
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    private static LocalRedisServer startOn(Path binary, int port) {
        Path log;
        Process p;
        try {
            log = Files.createTempFile("redis-server-" + port + "-", ".log");
            p = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
        }
        LocalRedisServer server = new LocalRedisServer(p, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!server.answersPing()) {
            if (!p.isAlive() || System.nanoTime() - deadline > 0) {
                String output = server.logText();
                server.close();
                throw new IllegalStateException("redis-server on port " + port + " did not start answering PING"
                        + " within 10 s (exit=" + (p.isAlive() ? "running" : p.exitValue()) + "); its log:\n" + output);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                server.close();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting redis-server", e);
            }
        }
        return server;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port: " + e.getMessage(), e);
        }
    }

    private boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException notYet) {
            return false;
        }
    }

    private String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** @return the port it listens on, on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** @return {@code redis://127.0.0.1:<port>} */
    public String address() {
        return "redis://127.0.0.1:" + port;
    }

    /** @return the server's process id */
    public long pid() {
        return process.pid();
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s) and deletes its log. Idempotent. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file: left for the OS
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    @Override
    public String toString() {
        return "redis-server[" + address() + ", pid=" + process.pid() + "]";
    }
}
