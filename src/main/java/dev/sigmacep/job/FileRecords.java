package dev.sigmacep.job;

import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.EventDecoder;
import dev.sigmacep.event.JsonLines;
import dev.sigmacep.event.JsonRecordSplitter;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The decoded records of one file read from its start, framed as its name says: in JSON Lines ({@code .ndjson},
 * {@code .jsonl}) a line is a record; in other files JSON objects as {@link JsonRecordSplitter} finds them,
 * pretty-printed ones included. A zip archive (recognised by its magic bytes) is read entry by entry, each framed by
 * the entry's own name: a zipped {@code .ndjson} must not let one broken line swallow the lines after it, and an
 * object left open at the end of one entry must not swallow the start of the next.
 */
final class FileRecords {
    private final EventDecoder decoder;
    private final int maxRecordBytes;
    /** The archive, or null when the file is not one. */
    private final ZipInputStream zip;
    private JsonLines lines;
    private JsonRecordSplitter objects;
    private long lastRecordBytes;

    /**
     * @param text      the file's bytes, already decompressed when it is a {@code .gz}; not closed here
     * @param jsonLines whether the file's name makes it JSON Lines (ignored for an archive: its entries' names count)
     */
    FileRecords(InputStream text, boolean jsonLines, int maxRecordBytes) throws IOException {
        this.decoder = new EventDecoder(maxRecordBytes);
        this.maxRecordBytes = maxRecordBytes;
        BufferedInputStream in = new BufferedInputStream(text, 1 << 16);
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
            zip = new ZipInputStream(in);
        } else {
            zip = null;
            frame(in, jsonLines);
        }
    }

    /**
     * The next record, decoded; null after the last.
     *
     * @throws IOException when the file cannot be read on (a truncated archive); the records before it were returned
     */
    DecodeResult next() throws IOException {
        while (true) {
            if (lines != null && lines.next()) {
                lastRecordBytes = lines.lineBytes();
                return decoder.decodeLine(lines);
            }
            if (objects != null) {
                DecodeResult record = decoder.decodeNext(objects);
                if (record != null) {
                    lastRecordBytes = objects.lastRecordBytes();
                    return record;
                }
            }
            if (!nextEntry()) return null;
        }
    }

    /** The length in bytes of the record {@link #next()} returned last, as read (also when it was cut). */
    long lastRecordBytes() {
        return lastRecordBytes;
    }

    private boolean nextEntry() throws IOException {
        lines = null;
        objects = null;
        if (zip == null) return false;
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            if (!entry.isDirectory()) {
                // the archive's stream ends at the end of the current entry
                frame(zip, InputFiles.isJsonLines(entry.getName()));
                return true;
            }
        }
        return false;
    }

    private void frame(InputStream in, boolean jsonLines) throws IOException {
        if (jsonLines) lines = new JsonLines(in, 0, 0, Long.MAX_VALUE, maxRecordBytes);
        else objects = new JsonRecordSplitter(in, maxRecordBytes);
    }
}
