package io.interproc.logging;

import io.interproc.core.CodecException;
import io.interproc.core.Segment;
import io.interproc.ipc.queue.SharedQueue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes log records from a shared queue, in arrival order, and writes each to its sinks (Python:
 * {@code logging.handlers.QueueListener}). One thread of its own does it; run it in the parent of
 * the logging JVMs, or as a process of its own ({@link #main}). One listener per queue: records
 * are taken, so two listeners would each see part of them.
 *
 * <pre>{@code
 * try (Segment s = Segment.openOrCreate("app-logs", 4 << 20)) {
 *     SharedQueue<LogEvent> q = SharedQueue.openOrCreate(s, "logs", 1 << 20, LogEvent.codec());
 *     LogListener listener = LogListener.start(q, LogSink.jul(new FileHandler("app.log")));
 *     ... start the workers, whose handlers or appenders name segment app-logs ...
 *     listener.stop(Duration.ofSeconds(10));     // writes what is queued, then stops
 * }
 * }</pre>
 *
 * <p><b>Stopping.</b> {@link #stop(Duration)} drains: every record in the queue when it is called
 * (in particular every record whose publish returned before it) is written before the thread ends,
 * unless the timeout passes first. A record the codec cannot read (written by something else
 * than a {@link LogPublisher}, or damaged) is counted in {@link #undecodable()} and skipped; a
 * sink that throws is counted in {@link #sinkFailures()} and the next record is still written.
 *
 * <p>Thread-safe: any thread may call any method. Actions of a logging thread before its record
 * was published happen-before the sinks' handling of that record.
 */
public final class LogListener implements AutoCloseable {
    /** How often the thread looks at its stop flag while the queue is empty. */
    private static final long SLICE_MILLIS = 100;
    /** What {@link #close()} allows for the drain. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

    private final SharedQueue<LogEvent> queue;
    private final List<LogSink> sinks;
    private final Thread thread;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong undecodable = new AtomicLong();
    private final AtomicLong sinkFailures = new AtomicLong();
    private volatile boolean stopping;
    private volatile long drainDeadline;
    private volatile Throwable lastFailure;

    private LogListener(SharedQueue<LogEvent> queue, List<LogSink> sinks) {
        this.queue = queue;
        this.sinks = sinks;
        this.thread = new Thread(this::run, "interproc-log-listener-" + queue.name());
        this.thread.setDaemon(true);
    }

    /**
     * Starts a listener thread. Any thread may call this.
     *
     * @param queue the log queue, of {@link LogEvent#codec()}
     * @param sinks where each record is written, in this order
     * @return the running listener
     * @throws IllegalArgumentException if no sink is given
     */
    public static LogListener start(SharedQueue<LogEvent> queue, LogSink... sinks) {
        Objects.requireNonNull(queue, "queue");
        if (sinks.length == 0) {
            throw new IllegalArgumentException("a log listener needs at least one sink");
        }
        LogListener l = new LogListener(queue, List.of(sinks));
        l.thread.start();
        return l;
    }

    private void run() {
        try {
            while (!stopping) {
                step(SLICE_MILLIS);
            }
            while (System.nanoTime() - drainDeadline < 0 && step(0)) {
                // drain what is queued
            }
        } catch (InterruptedException | IllegalStateException end) {
            lastFailure = end; // interrupted by someone else, or the segment closed under it
        } finally {
            for (LogSink s : sinks) {
                try {
                    s.flush();
                } catch (RuntimeException e) {
                    sinkFailures.incrementAndGet();
                    lastFailure = e;
                }
            }
            finished.countDown();
        }
    }

    /**
     * Takes one record and writes it.
     *
     * @return false if the queue had none within the wait; true if one was taken (written, or
     *     skipped as unreadable)
     */
    private boolean step(long millis) throws InterruptedException {
        LogEvent e;
        try {
            e = millis == 0 ? queue.poll() : queue.poll(millis, TimeUnit.MILLISECONDS);
        } catch (CodecException unreadable) {
            undecodable.incrementAndGet();
            lastFailure = unreadable;
            return true;
        }
        if (e == null) {
            return false;
        }
        write(e);
        return true;
    }

    private void write(LogEvent e) {
        for (LogSink s : sinks) {
            try {
                s.write(e);
            } catch (RuntimeException ex) {
                sinkFailures.incrementAndGet();
                lastFailure = ex;
            }
        }
        written.incrementAndGet();
    }

    /**
     * Stops taking new records once the queue is empty: writes what is queued now, then ends the
     * thread and flushes the sinks. Idempotent. Any thread may call this (not a sink).
     *
     * @param timeout how long the drain may take and this call waits
     * @return true if the thread has ended (everything queued at the call was written)
     * @throws InterruptedException if interrupted while waiting (the listener still stops)
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        long nanos = Math.max(0, timeout.toNanos());
        if (!stopping) {
            drainDeadline = System.nanoTime() + nanos;
            stopping = true;
        }
        return finished.await(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Waits until the listener has stopped (after {@link #stop}, or because its segment closed).
     * Any thread may call this.
     *
     * @param timeout how long to wait
     * @return whether it has stopped
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return finished.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** {@link #stop(Duration) Stops} with {@link #DEFAULT_STOP_TIMEOUT}; keeps an interrupt. */
    @Override
    public void close() {
        try {
            stop(DEFAULT_STOP_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return records taken and handed to the sinks */
    public long written() {
        return written.get();
    }

    /** @return records taken that the codec could not read (skipped) */
    public long undecodable() {
        return undecodable.get();
    }

    /** @return times a sink threw (the record still went to the other sinks) */
    public long sinkFailures() {
        return sinkFailures.get();
    }

    /** @return the last failure counted (undecodable record, sink failure), or {@code null} */
    public Throwable lastFailure() {
        return lastFailure;
    }

    /** @return whether the listener's thread is still running */
    public boolean isRunning() {
        return finished.getCount() > 0;
    }

    @Override
    public String toString() {
        return "LogListener[" + queue.name() + ", written=" + written() + ", undecodable=" + undecodable()
                + ", sinkFailures=" + sinkFailures() + (isRunning() ? "" : ", stopped") + "]";
    }

    /**
     * Runs a listener as a process of its own until the JVM is told to stop (SIGTERM, Ctrl-C),
     * then drains the queue and exits:
     * {@code java -cp ... io.interproc.logging.LogListener SEGMENT [QUEUE] [--out FILE] [--capacity BYTES]}.
     * The segment and queue are created if missing (capacity default 1 MiB); records are printed
     * one line each ({@link LogLines}) to standard output or appended to FILE. Exit code 2 on a
     * usage error.
     *
     * @param args the command line
     * @throws Exception if the segment, queue or file cannot be opened
     */
    public static void main(String[] args) throws Exception {
        String segmentName = null;
        String queueName = LogPublisher.DEFAULT_QUEUE;
        String out = null;
        long capacity = LogPublisher.DEFAULT_CAPACITY;
        int positional = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--out") || a.equals("--capacity")) && i + 1 < args.length) {
                String v = args[++i];
                if (a.equals("--out")) {
                    out = v;
                } else {
                    try {
                        capacity = Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        usage("--capacity needs a number of bytes, not '" + v + "'");
                        return;
                    }
                }
            } else if (a.startsWith("-")) {
                usage("unknown or incomplete option '" + a + "'");
                return;
            } else if (positional++ == 0) {
                segmentName = a;
            } else if (positional == 2) {
                queueName = a;
            } else {
                usage("unexpected argument '" + a + "'");
                return;
            }
        }
        if (segmentName == null) {
            usage("missing SEGMENT");
            return;
        }
        PrintStream stream = out == null ? System.out
                : new PrintStream(new FileOutputStream(out, true), false, StandardCharsets.UTF_8);
        Segment segment = Segment.openOrCreate(segmentName, capacity + LogPublisher.SEGMENT_OVERHEAD);
        SharedQueue<LogEvent> queue = SharedQueue.openOrCreate(segment, queueName, capacity, LogEvent.codec());
        LogListener listener = start(queue, LogSink.print(stream));
        Thread hook = new Thread(() -> {
            try {
                listener.stop(DEFAULT_STOP_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                segment.close();
                if (stream != System.out) {
                    stream.close();
                }
            }
        }, "interproc-log-listener-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        listener.finished.await();
    }

    private static void usage(String problem) throws IOException {
        System.err.println("LogListener: " + problem);
        System.err.println("usage: java ... io.interproc.logging.LogListener SEGMENT [QUEUE] [--out FILE] [--capacity BYTES]");
        System.exit(2);
    }
}
