package dev.sigmacep.event;

import dev.sigmacep.serialize.ByteSearch;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits UTF-8 input into JSON records: one object per line (NDJSON), pretty-printed objects back to back
 * (separated by whitespace, commas or nothing), {@code evtx_dump -o json} output (its {@code Record <n>} header
 * lines are skipped) and a top-level array of objects (its brackets and commas are separators). Works on the bytes:
 * every byte it looks for is ASCII, and UTF-8 never uses an ASCII byte inside another character.
 *
 * <p>Nothing is dropped silently: text that is not a JSON object comes back as its own record, up to the end of its
 * line, for the decoder to dead-letter. An object that never closes ends where a line starts with {@code {} (a new
 * top-level object: pretty-printers indent nested ones) or at the end of the stream, and comes back as it is.
 * Memory is bounded: a record longer than {@code maxRecordBytes} is read to its end but only its first
 * {@code maxRecordBytes} bytes are kept; {@link #lastRecordTruncated()} tells, and
 * {@link EventDecoder#decodeNext(JsonRecordSplitter)} turns it into a {@code record too large} dead letter.
 */
public final class JsonRecordSplitter {
    private final InputStream input;
    private final int maxRecordBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private byte[] record = new byte[4096];
    private int kept;
    private long recordBytes;

    public JsonRecordSplitter(InputStream input, int maxRecordBytes) {
        if (maxRecordBytes < 1) throw new IllegalArgumentException("maxRecordBytes must be positive");
        this.input = input;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Moves to the next record; false at the end of the stream. */
    public boolean next() throws IOException {
        if (record.length > 64 * 1024) record = new byte[4096]; // a huge record does not keep its buffer
        while (true) {
            kept = 0;
            recordBytes = 0;
            int c = skipSeparators();
            if (c < 0) return false;
            if (c == '{') {
                readObject();
                return true;
            }
            readLine(c);
            if (!isEvtxDumpHeader()) return true;
        }
    }

    /** The current record's bytes: {@code bytes()[0, length())}, valid until {@link #next()}. */
    public byte[] bytes() {
        return record;
    }

    public int length() {
        return kept;
    }

    /** Whether the last record was longer than the limit and {@link #bytes()} holds only its beginning. */
    public boolean lastRecordTruncated() {
        return recordBytes > maxRecordBytes;
    }

    /** The full length of the last record, in bytes. */
    public long lastRecordBytes() {
        return recordBytes;
    }

    private int skipSeparators() throws IOException {
        while (true) {
            int c = read();
            switch (c) {
                case ' ', '\t', '\r', '\n', ',', '[', ']' -> { }
                case 0xEF -> { // a byte order mark (EF BB BF) is a separator too; anything else starts a record
                    if (peek(0) == 0xBB && peek(1) == 0xBF) {
                        position += 2;
                    } else {
                        return c;
                    }
                }
                default -> { return c; }
            }
        }
    }

    /** Reads the rest of an object whose '{' was just read; scans the buffer in place and copies spans. */
    private void readObject() throws IOException {
        keep((byte) '{');
        int depth = 1;
        boolean inString = false;
        boolean escaped = false;
        while (position < limit || fill()) {
            byte[] b = buffer;
            int from = position;
            int i = from;
            boolean closed = false;
            boolean newline = false;
            for (; i < limit; i++) {
                if (inString && !escaped) { // most of a record is inside strings: jump to what can end one
                    int start = i;
                    i = ByteSearch.indexOfAny(b, i, limit, (byte) '"', (byte) '\n');
                    while (i >= 0 && b[i] == '"' && JsonStringBytes.isEscaped(b, start, i)) { // an escaped quote
                        i = ByteSearch.indexOfAny(b, i + 1, limit, (byte) '"', (byte) '\n');
                    }
                    escaped = JsonStringBytes.isEscaped(b, start, i < 0 ? limit : i); // a line end, or the buffer's end
                    if (i < 0) {
                        i = limit;
                        break;
                    }
                }
                byte c = b[i];
                if (c == '\n') {
                    newline = true;
                    break;
                }
                if (inString) {
                    if (escaped) escaped = false;
                    else if (c == '\\') escaped = true;
                    else if (c == '"') inString = false;
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if ((c == '}' || c == ']') && --depth == 0) {
                    i++;
                    closed = true;
                    break;
                }
            }
            keep(b, from, i - from);
            position = i;
            if (closed) return;
            if (newline) {
                position++;
                if (peek(0) == '{') return; // an unclosed object followed by a new top-level object
                keep((byte) '\n');
            }
        }
        // at the end of the stream an unclosed object is returned as it is; the decoder says why
    }

    private void readLine(int first) throws IOException {
        int c = first;
        while (c >= 0 && c != '\n') {
            keep((byte) c);
            c = read();
        }
        if (kept > 0 && kept == recordBytes && record[kept - 1] == '\r') {
            kept--;
            recordBytes--;
        }
    }

    /** {@code Record 12} (evtx_dump's header before each object). */
    private boolean isEvtxDumpHeader() {
        byte[] prefix = {'R', 'e', 'c', 'o', 'r', 'd', ' '};
        int end = kept;
        while (end > 0 && (record[end - 1] == ' ' || record[end - 1] == '\t' || record[end - 1] == '\r')) end--;
        if (end <= prefix.length || lastRecordTruncated()) return false;
        for (int i = 0; i < prefix.length; i++) {
            if (record[i] != prefix[i]) return false;
        }
        for (int i = prefix.length; i < end; i++) {
            if (record[i] < '0' || record[i] > '9') return false;
        }
        return true;
    }

    private void keep(byte[] bytes, int from, int length) {
        long room = maxRecordBytes - recordBytes;
        if (room > 0) {
            int n = (int) Math.min(room, length);
            if (kept + n > record.length) record = Arrays.copyOf(record, Math.max(kept + n, record.length * 2));
            System.arraycopy(bytes, from, record, kept, n);
            kept += n;
        }
        recordBytes += length;
    }

    private void keep(byte c) {
        if (recordBytes < maxRecordBytes) {
            if (kept == record.length) record = Arrays.copyOf(record, record.length * 2);
            record[kept++] = c;
        }
        recordBytes++;
    }

    private int read() throws IOException {
        if (position == limit && !fill()) return -1;
        return buffer[position++] & 0xff;
    }

    /** The byte {@code ahead} places after the current one, or -1 past the end. */
    private int peek(int ahead) throws IOException {
        while (position + ahead >= limit) {
            if (!fillKeeping()) return -1;
        }
        return buffer[position + ahead] & 0xff;
    }

    private boolean fill() throws IOException {
        position = 0;
        limit = 0;
        return fillKeeping();
    }

    /** Moves the unread bytes to the front and reads more after them; false at the end of the stream. */
    private boolean fillKeeping() throws IOException {
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        int n;
        do {
            n = input.read(buffer, limit, buffer.length - limit);
        } while (n == 0);
        if (n < 0) return false;
        limit += n;
        return true;
    }
}
