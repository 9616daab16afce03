package dev.sigmacep.correlate;

import dev.sigmacep.event.Event;
import dev.sigmacep.event.SourceFiles;

import java.util.zip.CRC32C;

/**
 * Where an event's record lies in an input file of {@link SourceFiles}, with its length and CRC-32C: what a BATCH
 * exchange carries in place of the record ({@link SharedInput}), so that the record is not written to the exchange,
 * sorted and spilled, only read back where it is needed. The checksum tells a record read back from a file that
 * changed meanwhile.
 */
public record RecordReference(int file, long offset, int length, int crc32c) {
    public RecordReference {
        if (file < 0 || offset < 0 || length < 0) {
            throw new IllegalArgumentException("not a record's position: file " + file + ", offset " + offset
                    + ", length " + length);
        }
    }

    /** The position of the event's record, or null when the event was not read from a file of {@link SourceFiles}. */
    public static RecordReference of(Event event) {
        if (event.sourceFile() < 0) {
            return null;
        }
        byte[] record = event.rawUtf8();
        return new RecordReference(event.sourceFile(), event.sourceOffset(), record.length, crc32c(record));
    }

    static int crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
