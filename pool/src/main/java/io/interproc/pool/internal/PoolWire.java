package io.interproc.pool.internal;

import io.interproc.core.CodecException;
import io.interproc.pool.RemoteTaskException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The messages a process pool and its workers exchange through the pool's queues. The pool
 * lays out no shared memory of its own: its segment holds one {@link SharedQueue} per worker slot
 * (the inbox, parent to worker) and one result queue (workers and the parent's monitor to the
 * parent's collector). Numbers are little-endian; a "blob" is an {@code int} length then that many
 * bytes; a "string" is a blob of UTF-8, length -1 for {@code null}.
 *
 * <pre>
 * inbox message                          result message
 *   int   type: TASK=1, STOP=2             int  type: READY=1, RESULT=2, EXITED=3
 *   int   worker generation                int  worker slot
 *   long  task (job) id                    int  worker generation
 *   TASK: byte mode: CALL=0, APPLY=1       long task id (READY: the worker's pid)
 *         blob task: the callable, or      RESULT: int outcomes, then per outcome
 *              the function (APPLY)                byte status OK=0 / ERROR=1
 *         APPLY: int n, then n blobs               OK:    blob value
 *              (the arguments)                     ERROR: blob serialized exception (may be
 *                                                         empty), string class name, string
 * values and exceptions are                               message, int frames, per frame
 * {@link PoolCodec} encodings                             string class, string method,
 *                                                         string file, int line; string printed
 *                                                         stack trace
 * </pre>
 *
 * A worker answers only messages of its own generation, so a message left in an inbox by a dead
 * worker's predecessor is never run. {@code EXITED} is put by the parent's monitor when it sees a
 * worker process gone: the result queue is FIFO and the dead worker can put nothing more, so every
 * result the worker published comes before it, and whatever task the worker still held when the
 * collector reads it is exactly the task it died with.
 */
public final class PoolWire {
    static final int TASK = 1;
    static final int STOP = 2;
    static final byte CALL = 0;
    static final byte APPLY = 1;

    static final int READY = 1;
    static final int RESULT = 2;
    static final int EXITED = 3;
    static final byte OK = 0;
    static final byte ERROR = 1;

    /** Offset of the generation in an inbox message. */
    static final int GENERATION_OFFSET = 4;
    /** Bytes of an inbox message's header: type, generation, task id. */
    static final int HEADER_SIZE = 16;

    private PoolWire() {
    }

    // ---------------------------------------------------------------- inbox messages

    static byte[] stop(int generation) {
        return new Writer(16).putInt(STOP).putInt(generation).putLong(0).toArray();
    }

    public static byte[] call(long taskId, byte[] callable) {
        return new Writer(32 + callable.length).putInt(TASK).putInt(0).putLong(taskId).put(CALL).putBlob(callable)
                .toArray();
    }

    /** Starts an APPLY message; append {@code count} arguments with {@link PoolCodec#encodeTo}. */
    static Writer applyHeader(long taskId, byte[] function, int count, int sizeHint) {
        return new Writer(32 + function.length + sizeHint).putInt(TASK).putInt(0).putLong(taskId).put(APPLY)
                .putBlob(function).putInt(count);
    }

    public static byte[] apply(long taskId, byte[] function, byte[][] arguments, int count) {
        int size = 32 + function.length;
        for (int i = 0; i < count; i++) {
            size += 4 + arguments[i].length;
        }
        Writer w = new Writer(size).putInt(TASK).putInt(0).putLong(taskId).put(APPLY).putBlob(function).putInt(count);
        for (int i = 0; i < count; i++) {
            w.putBlob(arguments[i]);
        }
        return w.toArray();
    }

    /** Sets the generation of the worker an inbox message is for. */
    static void setGeneration(byte[] message, int generation) {
        ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN).putInt(GENERATION_OFFSET, generation);
    }

    // ---------------------------------------------------------------- result messages

    static byte[] ready(int slot, int generation, long pid) {
        return new Writer(24).putInt(READY).putInt(slot).putInt(generation).putLong(pid).toArray();
    }

    static byte[] exited(int slot, int generation) {
        return new Writer(24).putInt(EXITED).putInt(slot).putInt(generation).putLong(0).toArray();
    }

    /** Starts a RESULT message; append outcomes with {@link #ok} and {@link #error}. */
    static Writer result(int slot, int generation, long taskId, int outcomes) {
        return new Writer(64).putInt(RESULT).putInt(slot).putInt(generation).putLong(taskId).putInt(outcomes);
    }

    static void ok(Writer w, byte[] value) {
        w.put(OK).putBlob(value);
    }

    /** Appends a successful outcome, encoding {@code value} in place. */
    static void ok(Writer w, Object value, PoolCodec codec) {
        int mark = w.position();
        w.put(OK);
        try {
            codec.encodeTo(w, value);
        } catch (RuntimeException e) {
            w.position(mark);
            throw e;
        }
    }

    /**
     * Appends a failed outcome: the exception serialized if it can be, and always its class name,
     * message and stack trace in plain form.
     */
    static void error(Writer w, Throwable thrown, PoolCodec codec) {
        byte[] serialized;
        try {
            serialized = codec.encode(thrown);
        } catch (RuntimeException | StackOverflowError e) {
            serialized = new byte[0];
        }
        w.put(ERROR).putBlob(serialized).putString(thrown.getClass().getName()).putString(thrown.getMessage());
        StackTraceElement[] frames = thrown.getStackTrace();
        w.putInt(frames.length);
        for (StackTraceElement f : frames) {
            w.putString(f.getClassName()).putString(f.getMethodName()).putString(f.getFileName())
                    .putInt(f.getLineNumber());
        }
        StringWriter printed = new StringWriter();
        thrown.printStackTrace(new PrintWriter(printed));
        w.putString(printed.toString());
    }

    /**
     * Reads a failed outcome written by {@link #error}: the original exception if this JVM can
     * deserialize it, else a {@link RemoteTaskException} with the worker's stack trace (and, as a
     * suppressed exception, why the original could not be read).
     */
    static Throwable readError(Reader r, PoolCodec codec) {
        int length = r.getInt();
        int at = r.skip(length);
        String className = r.getString();
        String message = r.getString();
        int frameCount = r.getInt();
        if (frameCount < 0 || frameCount > r.remaining() / 16) {
            throw new CodecException("corrupt result: frames=" + frameCount);
        }
        StackTraceElement[] frames = new StackTraceElement[frameCount];
        for (int i = 0; i < frameCount; i++) {
            String declaring = r.getString();
            String method = r.getString();
            String file = r.getString();
            int line = r.getInt();
            frames[i] = new StackTraceElement(String.valueOf(declaring), String.valueOf(method), file, line);
        }
        String printed = r.getString();
        CodecException whyNot = null;
        if (length > 0) {
            try {
                Object decoded = codec.decode(r.array(), at, length);
                if (decoded instanceof Throwable) {
                    return (Throwable) decoded;
                }
                whyNot = new CodecException("decoded exception is a " + (decoded == null ? "null" : decoded.getClass().getName()));
            } catch (CodecException e) {
                whyNot = e;
            }
        }
        RemoteTaskException remote = new RemoteTaskException(className, message, printed);
        remote.setStackTrace(frames);
        if (whyNot != null) {
            remote.addSuppressed(whyNot);
        }
        return remote;
    }

    /**
     * The header of an inbox message.
     *
     * @param type TASK or STOP
     * @param generation the worker generation it is for
     * @param taskId the task (job) id
     */
    record Header(int type, int generation, long taskId) {
        /** Reads the header at the start of {@code array}, of which {@code length} bytes are the message. */
        static Header read(byte[] array, int length) {
            return read(new Reader(array, 0, length));
        }

        /** Reads a header from {@code r}, which is left at the message's body. */
        static Header read(Reader r) {
            int type = r.getInt();
            int generation = r.getInt();
            return new Header(type, generation, r.getLong());
        }
    }

    // ---------------------------------------------------------------- plumbing

    /** Appends to a growable little-endian byte array. */
    static final class Writer {
        private ByteBuffer buf;

        Writer(int initial) {
            buf = ByteBuffer.allocate(Math.max(16, initial)).order(ByteOrder.LITTLE_ENDIAN);
        }

        private Writer room(int n) {
            if (buf.remaining() < n) {
                long want = Math.max((long) buf.capacity() * 2, (long) buf.position() + n);
                if (want > Integer.MAX_VALUE - 16) {
                    throw new CodecException("message too large: bytes=" + want);
                }
                ByteBuffer bigger = ByteBuffer.allocate((int) want).order(ByteOrder.LITTLE_ENDIAN);
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
            return this;
        }

        Writer put(byte b) {
            room(1).buf.put(b);
            return this;
        }

        Writer putInt(int v) {
            room(4).buf.putInt(v);
            return this;
        }

        Writer putLong(long v) {
            room(8).buf.putLong(v);
            return this;
        }

        Writer putBlob(byte[] bytes) {
            room(4 + bytes.length).buf.putInt(bytes.length).put(bytes);
            return this;
        }

        Writer putString(String s) {
            if (s == null) {
                return putInt(-1);
            }
            return putBlob(s.getBytes(StandardCharsets.UTF_8));
        }

        int position() {
            return buf.position();
        }

        /** Overwrites the int at {@code at}, written earlier. */
        void setInt(int at, int value) {
            buf.putInt(at, value);
        }

        void position(int position) {
            buf.position(position);
        }

        byte[] toArray() {
            return buf.position() == buf.capacity() ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
        }
    }

    /** Reads what a {@link Writer} wrote, checking every length against the bounds. */
    static final class Reader {
        private final byte[] array;
        private final ByteBuffer buf;

        Reader(byte[] array, int offset, int length) {
            this.array = array;
            this.buf = ByteBuffer.wrap(array, offset, length).order(ByteOrder.LITTLE_ENDIAN);
        }

        byte[] array() {
            return array;
        }

        int remaining() {
            return buf.remaining();
        }

        byte get() {
            need(1);
            return buf.get();
        }

        int getInt() {
            need(4);
            return buf.getInt();
        }

        long getLong() {
            need(8);
            return buf.getLong();
        }

        /** Skips {@code n} bytes. @return the array offset where they start */
        int skip(int n) {
            if (n < 0) {
                throw new CodecException("corrupt message: negative length " + n);
            }
            need(n);
            int at = buf.position();
            buf.position(at + n);
            return at;
        }

        String getString() {
            int n = getInt();
            if (n == -1) {
                return null;
            }
            int at = skip(n);
            return new String(array, at, n, StandardCharsets.UTF_8);
        }

        private void need(int n) {
            if (buf.remaining() < n) {
                throw new CodecException("corrupt message: needed " + n + " more bytes, " + buf.remaining() + " left");
            }
        }
    }
}
