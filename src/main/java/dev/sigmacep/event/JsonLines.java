package dev.sigmacep.event;

import dev.sigmacep.serialize.ByteSearch;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits JSON Lines input ({@code .ndjson}, {@code .jsonl}) into its lines, as UTF-8 bytes: in such a file a line
 * is a record, whatever it holds, so one broken line is one dead letter and never swallows the lines after it.
 * Blank lines are not records; a {@code \r} before the line end and a UTF-8 byte order mark at the start of the
 * file are dropped.
 *
 * <p>Reads one byte range of a file, so that a large file can be read in parallel: the range owns every line that
 * starts inside it, read to its end even past the range. A range that does not start at the beginning of the file
 * is given the stream from the byte before the range: the line in progress there belongs to the range before.
 *
 * <p>Memory is bounded: a line longer than {@code maxRecordBytes} is read to its end but only its first
 * {@code maxRecordBytes} bytes are kept ({@link #truncated()}).
 */
public final class JsonLines {
    private static final int BUFFER = 64 * 1024;

    private final InputStream input;
    private final long end;
    private final int maxRecordBytes;
    private final byte[] buffer = new byte[BUFFER];
    /** File offset of {@code buffer[0]}. */
    private long bufferStart;
    private int position;
    private int limit;
    private boolean eof;

    /** A line that did not fit in the buffer is gathered here. */
    private byte[] gathered = new byte[0];
    private byte[] line;
    private int lineOffset;
    private int lineLength;
    private long lineBytes;
    private long lineStart;

    /**
     * @param input      the file's bytes from {@code position}
     * @param position   where {@code input} starts in the file
     * @param start      where the range starts: {@code position} for the first range of a file, else
     *                   {@code position + 1} (the stream starts one byte early so that a line starting exactly at
     *                   {@code start} is recognised as this range's)
     * @param end        where the range ends (exclusive): lines starting at or after it belong to the next range
     */
    public JsonLines(InputStream input, long position, long start, long end, int maxRecordBytes) throws IOException {
        if (maxRecordBytes < 1) throw new IllegalArgumentException("maxRecordBytes must be positive");
        if (start != position && start != position + 1) {
            throw new IllegalArgumentException("the stream must start at the range or one byte before it");
        }
        this.input = input;
        this.end = end;
        this.maxRecordBytes = maxRecordBytes;
        this.bufferStart = position;
        if (start > position) {
            skipPastNewline(); // the line in progress at the range's start is the previous range's
        } else if (position == 0) {
            skipByteOrderMark();
        }
    }

    /** Moves to the next non-blank line of this range; false when there is none. */
    public boolean next() throws IOException {
        while (true) {
            if (position == limit && !fill()) return false;
            if (bufferStart + position >= end) return false;
            readLine();
            if (!blank()) return true;
        }
    }

    /** The current line's bytes, {@link #offset()} to {@link #offset()} + {@link #length()}; valid until next(). */
    public byte[] bytes() { return line; }

    public int offset() { return lineOffset; }

    public int length() { return lineLength; }

    /** Where the current line starts in the file (of an uncompressed file: its byte offset there). */
    public long lineStart() { return lineStart; }

    /** The current line's full length in bytes, also when it was cut. */
    public long lineBytes() { return lineBytes; }

    /** Whether the current line was longer than the limit and {@link #bytes()} holds only its beginning. */
    public boolean truncated() { return lineBytes > maxRecordBytes; }

    private void readLine() throws IOException {
        lineStart = bufferStart + position;
        int from = position;
        int newline = indexOfNewline(from);
        if (newline >= 0) { // the common case: the whole line is in the buffer
            position = newline + 1;
            setLine(buffer, from, newline - from, newline - from);
            return;
        }
        long total = 0;
        int kept = 0;
        while (true) {
            int stop = newline >= 0 ? newline : limit;
            int length = stop - position;
            int keep = (int) Math.min(length, Math.max(0, (long) maxRecordBytes - kept));
            if (keep > 0) {
                if (gathered.length < kept + keep) gathered = Arrays.copyOf(gathered, Math.max(kept + keep, gathered.length * 2));
                System.arraycopy(buffer, position, gathered, kept, keep);
                kept += keep;
            }
            total += length;
            if (newline >= 0) {
                position = newline + 1;
                break;
            }
            position = limit;
            if (!fill()) break;
            newline = indexOfNewline(position);
        }
        setLine(gathered, 0, kept, total);
        if (gathered.length > 4 * BUFFER) gathered = new byte[0]; // a huge line does not keep its buffer
    }

    private void setLine(byte[] bytes, int offset, int length, long fullLength) {
        if (length > 0 && bytes[offset + length - 1] == '\r') {
            length--;
            fullLength--;
        }
        line = bytes;
        lineOffset = offset;
        lineLength = (int) Math.min(length, maxRecordBytes);
        lineBytes = fullLength;
    }

    private boolean blank() {
        for (int i = lineOffset, to = lineOffset + lineLength; i < to; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') return false;
        }
        return lineBytes <= maxRecordBytes;
    }

    private int indexOfNewline(int from) {
        return ByteSearch.indexOf(buffer, from, limit, (byte) '\n');
    }

    private void skipPastNewline() throws IOException {
        while (position < limit || fill()) {
            int newline = indexOfNewline(position);
            if (newline >= 0) {
                position = newline + 1;
                return;
            }
            position = limit;
        }
    }

    private void skipByteOrderMark() throws IOException {
        while (limit < 3 && !eof) {
            int n = input.read(buffer, limit, buffer.length - limit);
            if (n < 0) eof = true;
            else limit += n;
        }
        if (limit >= 3 && (buffer[0] & 0xff) == 0xEF && (buffer[1] & 0xff) == 0xBB && (buffer[2] & 0xff) == 0xBF) {
            position = 3;
        }
    }

    /** Refills the buffer when it is used up; false at the end of the input. */
    private boolean fill() throws IOException {
        if (eof) return false;
        bufferStart += limit;
        position = 0;
        limit = 0;
        while (limit == 0) {
            int n = input.read(buffer, 0, buffer.length);
            if (n < 0) {
                eof = true;
                return false;
            }
            limit = n;
        }
        return true;
    }
}
