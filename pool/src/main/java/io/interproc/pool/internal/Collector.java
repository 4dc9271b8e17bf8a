package io.interproc.pool.internal;

import io.interproc.core.BufferTooSmallException;
import io.interproc.core.CodecException;
import io.interproc.core.InterprocException;
import io.interproc.core.Segment;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.process.JvmProcess;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * The body of a pool's collector thread, the only reader of the result queue: it marks workers
 * ready, hands each RESULT to the submission its job came from, and on a worker's EXITED marker
 * (put by the {@link WorkerMonitor} behind everything the dead worker published) has the
 * {@link Settler} settle the jobs the worker still held.
 *
 * <p>The collector must outlive anything one message does to it, or every future hangs: a failure
 * handling one message is logged and fails at most that message's task. A result this JVM has no
 * heap for is taken off the queue into a mapped file ({@link ResultSpill}) and fails its task.
 */
final class Collector implements Runnable {
    private static final System.Logger LOG = System.getLogger(Collector.class.getName());

    private final PoolState state;
    private final PoolSettings settings;
    private final Segment segment;
    private final SharedQueue<byte[]> results;
    private final Settler settler;
    private final Termination termination;
    /**
     * Allocates the buffer for a result message of the given size; tests replace it to make this
     * JVM's heap look too small.
     */
    private volatile IntFunction<ByteBuffer> resultBuffers = ByteBuffer::allocate;
    private volatile boolean stopped;

    Collector(PoolState state, PoolSettings settings, Segment segment, SharedQueue<byte[]> results, Settler settler,
            Termination termination) {
        this.state = state;
        this.settings = settings;
        this.segment = segment;
        this.results = results;
        this.settler = settler;
        this.termination = termination;
    }

    void setResultBuffers(IntFunction<ByteBuffer> resultBuffers) {
        this.resultBuffers = resultBuffers;
    }

    /** Makes {@link #run} return within its poll interval (100 ms). Any thread. */
    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        ByteBuffer buf = ByteBuffer.allocate(64 << 10);
        while (!stopped) {
            int n;
            try {
                buf.clear();
                n = results.pollWholeBytes(buf, 100, TimeUnit.MILLISECONDS); // a result is never given up half-read
            } catch (BufferTooSmallException e) {
                try {
                    buf = resultBuffers.apply(e.needed());
                } catch (OutOfMemoryError oom) {
                    receiveUnallocatable(e.needed(), oom);
                }
                continue;
            } catch (InterruptedException e) {
                continue;
            } catch (IllegalStateException e) {
                if (segment.isClosed()) {
                    return;
                }
                LOG.log(System.Logger.Level.ERROR, "process pool " + settings.name() + ": reading results failed", e);
                continue;
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "process pool " + settings.name() + ": reading results failed", e);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                continue;
            }
            if (n < 0) {
                continue;
            }
            try {
                handle(buf.array(), n);
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "process pool " + settings.name() + ": handling a result failed", e);
            }
            if (buf.capacity() > (4 << 20)) {
                buf = ByteBuffer.allocate(64 << 10);
            }
        }
    }

    private void handle(byte[] array, int length) {
        PoolWire.Reader r = new PoolWire.Reader(array, 0, length);
        int type = r.getInt();
        int index = r.getInt();
        int generation = r.getInt();
        long id = r.getLong();
        if (index < 0 || index >= state.slots.length) {
            throw new CodecException("result for an unknown worker slot: slot=" + index + ", type=" + type);
        }
        WorkerSlot s = state.slots[index];
        switch (type) {
            case PoolWire.READY:
                state.lock.lock();
                try {
                    if (s.markReady(generation)) {
                        state.startFailures = 0;
                        state.work.signal();
                        state.stateChanged.signalAll();
                    }
                } finally {
                    state.lock.unlock();
                }
                break;
            case PoolWire.RESULT:
                handleResult(s, generation, id, r);
                break;
            case PoolWire.EXITED:
                handleExit(s, generation);
                break;
            default:
                throw new CodecException("unknown result message: type=" + type);
        }
    }

    /**
     * Takes a result message this JVM has no heap for off the queue into a mapped file, and fails
     * the one task it answers. If even that fails the message stays queued and the collector tries
     * again after a pause.
     */
    private void receiveUnallocatable(int needed, OutOfMemoryError oom) {
        ByteBuffer spill;
        int n;
        try {
            spill = ResultSpill.map(settings.segmentOptions().directory(), settings.name(), needed);
            n = results.pollWholeBytes(spill, 100, TimeUnit.MILLISECONDS);
        } catch (Exception | Error e) {
            e.addSuppressed(oom);
            LOG.log(System.Logger.Level.ERROR, "process pool " + settings.name() + ": cannot receive a result message"
                    + " of " + needed + " bytes, neither on the heap nor in a mapped file; retrying", e);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            return;
        }
        if (n < 0) {
            return; // not there after all: the next poll tells
        }
        spill.flip();
        int type = spill.remaining() >= 20 ? spill.getInt(0) : -1;
        int index = type == PoolWire.RESULT ? spill.getInt(4) : -1;
        if (index < 0 || index >= state.slots.length) {
            LOG.log(System.Logger.Level.ERROR, "process pool " + settings.name() + ": discarded a result message of "
                    + n + " bytes this JVM has no heap for, not a task's result: type=" + type + ", slot=" + index, oom);
            return;
        }
        PoolJob job = takeJob(state.slots[index], spill.getInt(8), spill.getLong(12));
        if (job != null) {
            job.submission().failAll(job, new CodecException("cannot receive the result of " + job.description()
                    + ": " + n + " bytes do not fit in this JVM's heap (" + oom + "); the result was discarded"
                    + " (maxResultBytes=" + settings.maxResultBytes() + ")", oom));
        }
    }

    private void handleResult(WorkerSlot s, int generation, long id, PoolWire.Reader r) {
        PoolJob job = takeJob(s, generation, id);
        if (job == null) {
            return; // settled meanwhile (shutdownNow)
        }
        try {
            deliverResult(job, r);
        } catch (RuntimeException | Error e) {
            // outcomes already delivered stay; the rest fail with the cause
            job.submission().failAll(job, new CodecException("cannot receive the result of " + job.description()
                    + ": " + e, e));
        }
    }

    /** Removes the job a result answers from its worker's held jobs. @return it, or null if settled meanwhile */
    private PoolJob takeJob(WorkerSlot s, int generation, long id) {
        state.lock.lock();
        try {
            PoolJob job = s.answered(generation, id, settings.maxTasksPerWorker());
            if (job != null) {
                state.work.signal();
            }
            return job;
        } finally {
            state.lock.unlock();
        }
    }

    private void deliverResult(PoolJob job, PoolWire.Reader r) {
        int count = r.getInt();
        if (count != job.count()) {
            job.submission().failAll(job, new CodecException("worker answered " + job.description() + " with "
                    + count + " outcomes, expected " + job.count()));
            return;
        }
        boolean[] ok = new boolean[count];
        Object[] values = new Object[count];
        for (int i = 0; i < count; i++) {
            byte status = r.get();
            if (status == PoolWire.OK) {
                int length = r.getInt();
                int at = r.skip(length);
                try {
                    values[i] = settings.codec().decode(r.array(), at, length);
                    ok[i] = true;
                } catch (CodecException e) {
                    values[i] = new CodecException("cannot receive the result of " + job.description() + ": "
                            + e.getMessage(), e);
                }
            } else {
                values[i] = PoolWire.readError(r, settings.codec());
            }
        }
        job.submission().deliverAll(job, ok, values);
    }

    private void handleExit(WorkerSlot s, int generation) {
        String what;
        WorkerSlot.ExitAction action;
        boolean giveUp = false;
        state.lock.lock();
        try {
            if (s.generation() != generation) {
                return;
            }
            boolean wasStarting = s.state() == WorkerSlot.State.STARTING;
            what = "worker pid=" + s.process().pid() + " exited with code " + describeExit(s.process().exitCode());
            action = s.exited(what);
            if (wasStarting) {
                giveUp = state.startFailed(what + " before it was ready");
            }
            state.stateChanged.signalAll();
            state.work.signal();
        } finally {
            state.lock.unlock();
        }
        if (action == WorkerSlot.ExitAction.SETTLE_NOW) {
            settler.settle(s, what);
        }
        state.wakeMonitor();
        if (giveUp) {
            termination.stopNow(new InterprocException("process pool " + settings.name() + " stopped: "
                    + WorkerMonitor.MAX_START_FAILURES + " worker JVMs in a row exited before they were ready; the last: "
                    + state.lastStartFailure));
        }
    }

    private static String describeExit(int code) {
        switch (code) {
            case 3:
                return "3 (OutOfMemoryError: workers run with -XX:+ExitOnOutOfMemoryError)";
            case 134:
                return "134 (SIGABRT: the JVM aborted)";
            case 137:
                return "137 (SIGKILL)";
            case 143:
                return "143 (SIGTERM)";
            case JvmProcess.PARENT_DIED_EXIT_CODE:
                return code + " (its parent JVM was gone)";
            default:
                return Integer.toString(code);
        }
    }
}
