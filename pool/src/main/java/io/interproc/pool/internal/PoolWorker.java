package io.interproc.pool.internal;

import io.interproc.core.Codec;
import io.interproc.core.CodecException;
import io.interproc.core.DeserializationLimits;
import io.interproc.core.Segment;
import io.interproc.core.SegmentOptions;
import io.interproc.core.wait.WaitLoop;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.pool.SerializableFunction;

import java.nio.ByteBuffer;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The {@code main} of a process pool's worker JVM; started by the pool through
 * {@link io.interproc.process.JvmProcess}, not for other callers.
 *
 * <p>Command line: {@code <segment> <directory> <slot> <generation> <maxTasks> <filter>
 * <maxResultBytes> <limits>}, where {@code maxTasks} 0 means unlimited, {@code filter} is the
 * deserialization allow-list pattern or {@code -} for none, {@code maxResultBytes} bounds the
 * encoded results of one result message (a result beyond it fails its task here, see
 * {@code ProcessPoolBuilder.maxResultBytes}) and {@code limits} are the
 * {@link DeserializationLimits} as {@link DeserializationLimits#toString()} writes them. The worker opens the pool's segment, its inbox and the result queue,
 * announces itself ({@code READY} with its pid), then takes one message at a time from its inbox,
 * runs it on this thread and puts the outcome on the result queue (see {@link PoolWire}). It exits
 * with code 0 after a {@code STOP} message or after {@code maxTasks} tasks. Any other exit (a
 * {@code System.exit} in a task, an {@link OutOfMemoryError} — the pool starts workers with
 * {@code -XX:+ExitOnOutOfMemoryError} — or a signal) is seen by the parent's monitor, which fails
 * the task the worker held.
 */
final class PoolWorker {
    /** How many distinct functions a worker keeps deserialized for {@code APPLY} tasks. */
    private static final int FUNCTION_CACHE = 16;

    private final int slot;
    private final int generation;
    private final PoolCodec codec;
    private final long maxResultBytes;
    private final Map<ByteBuffer, SerializableFunction<Object, Object>> functions =
            new LinkedHashMap<>(32, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<ByteBuffer, SerializableFunction<Object, Object>> eldest) {
                    return size() > FUNCTION_CACHE;
                }
            };

    PoolWorker(int slot, int generation, PoolCodec codec, long maxResultBytes) {
        this.slot = slot;
        this.generation = generation;
        this.codec = codec;
        this.maxResultBytes = maxResultBytes;
    }

    /**
     * Entry point of a worker JVM.
     *
     * @param args {@code <segment> <directory> <slot> <generation> <maxTasks> <filter> <maxResultBytes>
     *     <limits>}
     * @throws Exception if the pool's segment cannot be opened (the worker then exits with code 1
     *     before it is ready, which the pool reports)
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 8) {
            throw new IllegalArgumentException("usage: PoolWorker <segment> <directory> <slot> <generation> <maxTasks> "
                    + "<filter> <maxResultBytes> <limits>: args=" + args.length);
        }
        WaitLoop.capSpin(PoolEngine.PIPELINE_SPIN_NANOS); // this thread takes tasks and puts results
        String segmentName = args[0];
        SegmentOptions options = SegmentOptions.defaults().withDirectory(Paths.get(args[1]));
        int slot = Integer.parseInt(args[2]);
        int generation = Integer.parseInt(args[3]);
        int maxTasks = Integer.parseInt(args[4]);
        String filter = args[5].equals("-") ? null : args[5];
        long maxResultBytes = Long.parseLong(args[6]);
        DeserializationLimits limits = DeserializationLimits.parse(args[7]);
        Segment segment = Segment.open(segmentName, options);
        SharedQueue<byte[]> inbox = SharedQueue.open(segment, PoolEngine.inboxName(slot), Codec.bytes());
        SharedQueue<byte[]> results = SharedQueue.open(segment, PoolEngine.RESULTS, Codec.bytes());
        PoolWorker worker = new PoolWorker(slot, generation,
                new PoolCodec(filter, ClassLoader.getSystemClassLoader(), limits), maxResultBytes);
        results.putBytes(ByteBuffer.wrap(PoolWire.ready(slot, generation, ProcessHandle.current().pid())));
        int done = 0;
        while (true) {
            byte[] message = inbox.take();
            PoolWire.Reader r = new PoolWire.Reader(message, 0, message.length);
            PoolWire.Header header = PoolWire.Header.read(r);
            int type = header.type();
            int forGeneration = header.generation();
            long taskId = header.taskId();
            if (forGeneration != generation) {
                continue; // left in the inbox for a predecessor that died
            }
            if (type == PoolWire.STOP) {
                break;
            }
            if (type != PoolWire.TASK) {
                throw new IllegalStateException("unknown inbox message: type=" + type + ", slot=" + slot);
            }
            byte[] reply = worker.run(taskId, r);
            Thread.interrupted(); // a task that left its interrupt status set must not break the next take
            results.putBytes(ByteBuffer.wrap(reply));
            done++;
            if (maxTasks > 0 && done >= maxTasks) {
                break;
            }
        }
        segment.close();
        System.out.flush();
        System.err.flush();
        System.exit(0);
    }

    /** Runs one task message and returns the RESULT message. */
    byte[] run(long taskId, PoolWire.Reader r) {
        byte mode = r.get();
        int taskLength = r.getInt();
        int taskAt = r.skip(taskLength);
        byte[] array = r.array();
        if (mode == PoolWire.CALL) {
            PoolWire.Writer w = PoolWire.result(slot, generation, taskId, 1);
            Outcomes out = new Outcomes(w);
            Object value;
            try {
                Callable<?> callable = (Callable<?>) codec.decode(array, taskAt, taskLength);
                value = callable.call();
            } catch (Throwable t) {
                out.error(t);
                return w.toArray();
            }
            out.value(value);
            return w.toArray();
        }
        int count = r.getInt();
        PoolWire.Writer w = PoolWire.result(slot, generation, taskId, count);
        Outcomes out = new Outcomes(w);
        SerializableFunction<Object, Object> function;
        try {
            function = function(array, taskAt, taskLength);
        } catch (Throwable t) {
            for (int i = 0; i < count; i++) {
                out.error(t);
            }
            return w.toArray();
        }
        for (int i = 0; i < count; i++) {
            int length = r.getInt();
            int at = r.skip(length);
            Object value;
            try {
                value = function.apply(codec.decode(array, at, length));
            } catch (Throwable t) {
                out.error(t);
                continue;
            }
            out.value(value);
        }
        return w.toArray();
    }

    /**
     * Appends the outcomes of one result message, keeping the encoded results within
     * {@code maxResultBytes}: an outcome that would take them beyond it is replaced by a
     * {@link CodecException} saying so.
     */
    private final class Outcomes {
        private final PoolWire.Writer w;
        private final int start;
        private int count;

        Outcomes(PoolWire.Writer w) {
            this.w = w;
            this.start = w.position();
        }

        void value(Object value) {
            int mark = w.position();
            try {
                PoolWire.ok(w, value, codec);
            } catch (CodecException e) {
                PoolWire.error(w, new CodecException("cannot send the task's result back: " + e.getMessage(), e), codec);
                count++;
                return;
            }
            if (tooLarge()) {
                String sizes = sizes(mark);
                w.position(mark);
                PoolWire.error(w, new CodecException("result too large to send back: " + sizes), codec);
            }
            count++;
        }

        void error(Throwable thrown) {
            int mark = w.position();
            PoolWire.error(w, thrown, codec);
            if (tooLarge()) {
                String sizes = sizes(mark);
                w.position(mark);
                PoolWire.error(w, new CodecException("exception too large to send back: class="
                        + thrown.getClass().getName() + ", " + sizes), codec);
            }
            count++;
        }

        /** Whether the outcome just written takes the message's results past the limit. */
        private boolean tooLarge() {
            return resultBytes(w.position()) > maxResultBytes;
        }

        /** Bytes of the outcomes from {@link #start} to {@code end}, less each one's status byte and length. */
        private long resultBytes(int end) {
            return (long) end - start - 5L * (count + 1);
        }

        private String sizes(int mark) {
            long outcome = (long) w.position() - mark - 5;
            String earlier = count == 0 ? "" : ", chunk total with its " + count + " earlier results=" + resultBytes(w.position());
            return "bytes=" + outcome + earlier + ", maxResultBytes=" + maxResultBytes;
        }
    }

    @SuppressWarnings("unchecked")
    private SerializableFunction<Object, Object> function(byte[] array, int at, int length) {
        ByteBuffer key = ByteBuffer.wrap(array, at, length).slice();
        SerializableFunction<Object, Object> function = functions.get(key);
        if (function == null) {
            Object decoded = codec.decode(array, at, length);
            if (!(decoded instanceof SerializableFunction)) {
                throw new CodecException("task is not a SerializableFunction: "
                        + (decoded == null ? "null" : decoded.getClass().getName()));
            }
            function = (SerializableFunction<Object, Object>) decoded;
            byte[] copy = new byte[length];
            System.arraycopy(array, at, copy, 0, length);
            functions.put(ByteBuffer.wrap(copy), function);
        }
        return function;
    }
}
