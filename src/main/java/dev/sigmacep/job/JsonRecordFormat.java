package dev.sigmacep.job;

import dev.sigmacep.event.DecodeResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a telemetry file as decoded records: JSON objects one per line or pretty-printed back to back, each
 * decoded into an event or a dead letter. {@code .gz} files arrive already decompressed by the file source (by
 * extension); zip archives are recognised by their magic bytes and all their entries are read in order, each framed
 * by its own name ({@link FileRecords}).
 */
public final class JsonRecordFormat implements StreamFormat<DecodeResult> {
    private final int maxRecordChars;
    private final FutureEvents future;

    public JsonRecordFormat(int maxRecordChars) {
        this(maxRecordChars, FutureEvents.NONE);
    }

    /** @param future the events this source turns into dead letters for their time, before watermarks see them */
    public JsonRecordFormat(int maxRecordChars, FutureEvents future) {
        this.maxRecordChars = maxRecordChars;
        this.future = future;
    }

    @Override
    public Reader<DecodeResult> createReader(Configuration config, FSDataInputStream stream, long fileLen,
                                             long splitEnd) throws IOException {
        // JSON Lines files go to JsonLinesFormat, so this file is framed as objects unless it is an archive
        return new RecordReader(stream, new FileRecords(stream, false, maxRecordChars), future);
    }

    @Override
    public Reader<DecodeResult> restoreReader(Configuration config, FSDataInputStream stream, long restoredOffset,
                                              long fileLen, long splitEnd) throws IOException {
        // not splittable: the file source re-reads the file and skips the records already emitted
        return createReader(config, stream, fileLen, splitEnd);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<DecodeResult> getProducedType() {
        return TypeInformation.of(DecodeResult.class);
    }

    private static final class RecordReader extends DecodingReader {
        private final FileRecords records;

        RecordReader(InputStream input, FileRecords records, FutureEvents future) {
            super(input, future);
            this.records = records;
        }

        @Override
        DecodeResult next() throws IOException {
            DecodeResult record = records.next();
            if (record != null) {
                ReplayProgress.recordRead(records.lastRecordBytes());
            }
            return record;
        }
    }
}
