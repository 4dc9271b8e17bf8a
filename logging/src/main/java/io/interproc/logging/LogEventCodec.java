package io.interproc.logging;

import io.interproc.core.Codec;
import io.interproc.core.CodecException;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire format of a {@link LogEvent} (obtained from {@link LogEvent#codec()}). Big-endian:
 *
 * <pre>
 * +------+---------+--------------+--------+-------+-----+----------+
 * | 'L'  | version | epoch second | nano   | level | pid | sequence |
 * | 1    | 1       | 8            | 4      | 1     | 8   | 8        |
 * +------+---------+--------------+--------+-------+-----+----------+
 * then the strings logger, thread, process, message, throwable, each an int byte length (-1:
 * null, only for throwable) and that many bytes of UTF-8; then an int count of context entries
 * and, per entry, its key and value strings. Nothing may follow.
 * </pre>
 *
 * <p><b>Bounded.</b> {@link #encode} cuts a field longer than its limit ({@link #MAX_NAME_CHARS},
 * {@link #MAX_MESSAGE_CHARS}, {@link #MAX_THROWABLE_CHARS}, {@link #MAX_CONTEXT_VALUE_CHARS}; at
 * most {@link #MAX_CONTEXT_ENTRIES} entries) and says so at its end, so a record is never larger
 * than about 2 MiB; {@link #decode} refuses a field longer than its limit could encode to.
 *
 * <p><b>Hostile bytes.</b> Anything {@link #decode} cannot read (bad magic or version, a length
 * beyond the bytes given or the limit, malformed UTF-8, an impossible time, trailing bytes) is a
 * {@link CodecException} naming what is wrong; it allocates no more than the bytes given and
 * throws no {@link Error}. Stateless; any thread may call it.
 */
final class LogEventCodec implements Codec<LogEvent> {
    static final LogEventCodec INSTANCE = new LogEventCodec();

    /** Longest logger, thread, process name or context key kept, in chars. */
    static final int MAX_NAME_CHARS = 1024;
    /** Longest message kept, in chars. */
    static final int MAX_MESSAGE_CHARS = 64 * 1024;
    /** Longest stack trace kept, in chars. */
    static final int MAX_THROWABLE_CHARS = 256 * 1024;
    /** Longest context value kept, in chars. */
    static final int MAX_CONTEXT_VALUE_CHARS = 4096;
    /** Most context entries kept. */
    static final int MAX_CONTEXT_ENTRIES = 64;

    private static final byte MAGIC = 'L';
    private static final byte VERSION = 1;
    private static final int FIXED = 1 + 1 + 8 + 4 + 1 + 8 + 8;
    /** A UTF-8 encoding has at most 3 bytes per Java char. */
    private static final int BYTES_PER_CHAR = 3;

    private LogEventCodec() {
    }

    @Override
    public byte[] encode(LogEvent e) {
        if (e == null) {
            throw new CodecException("cannot encode a null log record");
        }
        List<byte[]> strings = new ArrayList<>();
        strings.add(utf8(e.logger(), MAX_NAME_CHARS));
        strings.add(utf8(e.thread(), MAX_NAME_CHARS));
        strings.add(utf8(e.process(), MAX_NAME_CHARS));
        strings.add(utf8(e.message(), MAX_MESSAGE_CHARS));
        strings.add(e.throwable() == null ? null : utf8(e.throwable(), MAX_THROWABLE_CHARS));
        int entries = 0;
        for (Map.Entry<String, String> entry : e.context().entrySet()) {
            if (entries++ == MAX_CONTEXT_ENTRIES) {
                break;
            }
            strings.add(utf8(entry.getKey(), MAX_NAME_CHARS));
            strings.add(utf8(entry.getValue(), MAX_CONTEXT_VALUE_CHARS));
        }
        int size = FIXED + 4;
        for (byte[] s : strings) {
            size += 4 + (s == null ? 0 : s.length);
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(MAGIC).put(VERSION).putLong(e.time().getEpochSecond()).putInt(e.time().getNano())
                .put((byte) e.level().ordinal()).putLong(e.pid()).putLong(e.sequence());
        for (int i = 0; i < 5; i++) {
            put(b, strings.get(i));
        }
        b.putInt((strings.size() - 5) / 2);
        for (int i = 5; i < strings.size(); i++) {
            put(b, strings.get(i));
        }
        return b.array();
    }

    private static void put(ByteBuffer b, byte[] s) {
        if (s == null) {
            b.putInt(-1);
        } else {
            b.putInt(s.length).put(s);
        }
    }

    /**
     * @param s a field
     * @param max its limit in chars
     * @return its UTF-8, cut to the limit (never inside a surrogate pair) with a note of how much
     *     was cut
     */
    static byte[] utf8(String s, int max) {
        return truncate(s, max).getBytes(StandardCharsets.UTF_8);
    }

    static String truncate(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        String note = " [... " + (s.length() - max) + "+ chars cut]";
        int keep = max - note.length();
        if (keep > 0 && Character.isHighSurrogate(s.charAt(keep - 1))) {
            keep--;
        }
        return s.substring(0, Math.max(0, keep)) + note;
    }

    @Override
    public LogEvent decode(byte[] bytes, int offset, int length) {
        if (bytes == null || offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new CodecException("log record: no valid byte range (offset=" + offset + ", length=" + length
                    + ", array length=" + (bytes == null ? "null" : bytes.length) + ")");
        }
        try {
            return read(ByteBuffer.wrap(bytes, offset, length), length);
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException("log record of " + length + " bytes is malformed: " + e, e);
        }
    }

    private static LogEvent read(ByteBuffer b, int length) {
        if (length < FIXED + 4 * 6) {
            throw new CodecException("log record of " + length + " bytes is shorter than the least possible, "
                    + (FIXED + 4 * 6));
        }
        byte magic = b.get();
        byte version = b.get();
        if (magic != MAGIC || version != VERSION) {
            throw new CodecException("not a log record: magic=" + magic + ", version=" + version + " (expected "
                    + MAGIC + ", " + VERSION + ")");
        }
        long second = b.getLong();
        int nano = b.getInt();
        Instant time;
        try {
            time = Instant.ofEpochSecond(second, nano);
        } catch (DateTimeException e) {
            throw new CodecException("log record: impossible time, second=" + second + ", nano=" + nano, e);
        }
        if (nano < 0 || nano > 999_999_999) {
            throw new CodecException("log record: nano-of-second out of range: " + nano);
        }
        int levelOrdinal = b.get();
        LogLevel level = LogLevel.ofOrdinal(levelOrdinal);
        if (level == null) {
            throw new CodecException("log record: no level number " + levelOrdinal);
        }
        long pid = b.getLong();
        long sequence = b.getLong();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        String logger = string(b, utf8, "logger", MAX_NAME_CHARS, false);
        String thread = string(b, utf8, "thread", MAX_NAME_CHARS, false);
        String process = string(b, utf8, "process", MAX_NAME_CHARS, false);
        String message = string(b, utf8, "message", MAX_MESSAGE_CHARS, false);
        String throwable = string(b, utf8, "throwable", MAX_THROWABLE_CHARS, true);
        int entries = b.getInt();
        if (entries < 0 || entries > MAX_CONTEXT_ENTRIES) {
            throw new CodecException("log record: context entry count " + entries + " is not 0 to "
                    + MAX_CONTEXT_ENTRIES);
        }
        Map<String, String> context = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            String key = string(b, utf8, "context key", MAX_NAME_CHARS, false);
            context.put(key, string(b, utf8, "context value", MAX_CONTEXT_VALUE_CHARS, false));
        }
        if (b.hasRemaining()) {
            throw new CodecException("log record: " + b.remaining() + " bytes after its end");
        }
        return new LogEvent(time, level, logger, thread, pid, process, sequence, message, throwable, context);
    }

    private static String string(ByteBuffer b, CharsetDecoder utf8, String field, int maxChars, boolean nullable) {
        if (b.remaining() < 4) {
            throw new CodecException("log record ends before the length of its " + field);
        }
        int n = b.getInt();
        if (n == -1 && nullable) {
            return null;
        }
        long limit = (long) maxChars * BYTES_PER_CHAR;
        if (n < 0 || n > b.remaining() || n > limit) {
            throw new CodecException("log record: " + field + " length " + n + " is not 0 to min(" + b.remaining()
                    + " bytes left, " + limit + ")");
        }
        ByteBuffer slice = b.slice();
        slice.limit(n);
        b.position(b.position() + n);
        try {
            CharBuffer chars = utf8.reset().decode(slice);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new CodecException("log record: " + field + " is not valid UTF-8 (" + n + " bytes)", e);
        }
    }
}
