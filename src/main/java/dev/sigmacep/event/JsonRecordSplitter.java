package dev.sigmacep.event;

import java.io.IOException;
import java.io.Reader;

/**
 * Splits a character stream into JSON records: one object per line (NDJSON), pretty-printed objects back to back
 * (separated by whitespace, commas or nothing), {@code evtx_dump -o json} output (its {@code Record <n>} header
 * lines are skipped) and a top-level array of objects (its brackets and commas are separators).
 *
 * <p>Nothing is dropped silently: text that is not a JSON object comes back as its own record, up to the end of its
 * line, for the decoder to dead-letter. An object that never closes ends where a line starts with {@code {} (a new
 * top-level object: pretty-printers indent nested ones) or at the end of the stream, and comes back as it is.
 * Memory is bounded: a record longer than {@code maxRecordChars} is read to its end but only its first
 * {@code maxRecordChars} characters are kept; {@link #lastRecordTruncated()} tells, and
 * {@link EventDecoder#decodeNext(JsonRecordSplitter)} turns it into a {@code record too large} dead letter.
 */
public final class JsonRecordSplitter {
    private final Reader reader;
    private final int maxRecordChars;
    private final char[] buffer = new char[16 * 1024];
    private int position;
    private int limit;
    private final StringBuilder record = new StringBuilder();
    private long recordChars;

    public JsonRecordSplitter(Reader reader, int maxRecordChars) {
        if (maxRecordChars < 1) throw new IllegalArgumentException("maxRecordChars must be positive");
        this.reader = reader;
        this.maxRecordChars = maxRecordChars;
    }

    /** The next record's text, or null at the end of the stream. */
    public String next() throws IOException {
        while (true) {
            record.setLength(0);
            recordChars = 0;
            int c = skipSeparators();
            if (c < 0) return null;
            if (c == '{') return readObject();
            readLine(c);
            if (!isEvtxDumpHeader(record)) return record.toString();
        }
    }

    /** Whether the last record returned was longer than the limit and is only its beginning. */
    public boolean lastRecordTruncated() {
        return recordChars > maxRecordChars;
    }

    /** The full length of the last record returned, in characters. */
    public long lastRecordChars() {
        return recordChars;
    }

    private int skipSeparators() throws IOException {
        while (true) {
            int c = read();
            switch (c) {
                case ' ', '\t', '\r', '\n', ',', '[', ']', '\uFEFF' -> { }
                default -> { return c; }
            }
        }
    }

    /** Reads the rest of an object whose '{' was just read; scans the buffer in place and copies spans. */
    private String readObject() throws IOException {
        keep('{');
        int depth = 1;
        boolean inString = false;
        boolean escaped = false;
        while (position < limit || fill()) {
            char[] b = buffer;
            int from = position;
            int i = from;
            boolean closed = false;
            boolean newline = false;
            for (; i < limit; i++) {
                char c = b[i];
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
            if (closed) break;
            if (newline) {
                position++;
                if (peek() == '{') break; // an unclosed object followed by a new top-level object
                keep('\n');
            }
        }
        // at the end of the stream an unclosed object is returned as it is; the decoder says why
        return record.toString();
    }

    private void readLine(int first) throws IOException {
        int c = first;
        while (c >= 0 && c != '\n') {
            keep((char) c);
            c = read();
        }
        if (record.length() > 0 && record.charAt(record.length() - 1) == '\r') {
            record.setLength(record.length() - 1);
            recordChars--;
        }
    }

    /** {@code Record 12} (evtx_dump's header before each object). */
    private static boolean isEvtxDumpHeader(CharSequence line) {
        String prefix = "Record ";
        int end = line.length();
        while (end > 0 && Character.isWhitespace(line.charAt(end - 1))) end--;
        if (end <= prefix.length()) return false;
        for (int i = 0; i < prefix.length(); i++) {
            if (line.charAt(i) != prefix.charAt(i)) return false;
        }
        for (int i = prefix.length(); i < end; i++) {
            if (line.charAt(i) < '0' || line.charAt(i) > '9') return false;
        }
        return true;
    }

    private void keep(char[] chars, int from, int length) {
        long room = maxRecordChars - recordChars;
        if (room > 0) record.append(chars, from, (int) Math.min(room, length));
        recordChars += length;
    }

    private void keep(char c) {
        if (recordChars < maxRecordChars) record.append(c);
        recordChars++;
    }

    private int read() throws IOException {
        if (position == limit && !fill()) return -1;
        return buffer[position++];
    }

    private int peek() throws IOException {
        if (position == limit && !fill()) return -1;
        return buffer[position];
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = reader.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) return false;
        position = 0;
        limit = n;
        return true;
    }
}
