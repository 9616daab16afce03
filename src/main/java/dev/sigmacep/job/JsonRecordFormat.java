package dev.sigmacep.job;

import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.log.RateLimitedLog;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a telemetry file as decoded records: JSON objects one per line or pretty-printed back to back, each
 * decoded into an event or a dead letter. {@code .gz} files arrive already decompressed by the file source (by
 * extension); zip archives are recognised by their magic bytes and all their entries are read in order, each framed
 * by its own name ({@link FileRecords}).
 */
public final class JsonRecordFormat implements StreamFormat<DecodeResult> {
    private static final RateLimitedLog BROKEN_FILES = new RateLimitedLog(LoggerFactory.getLogger(JsonRecordFormat.class), 10);

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

    private static final class RecordReader implements StreamFormat.Reader<DecodeResult> {
        private final InputStream input;
        private final FileRecords records;
        private final FutureEvents future;
        private boolean broken;

        RecordReader(InputStream input, FileRecords records, FutureEvents future) {
            this.input = input;
            this.records = records;
            this.future = future;
        }

        /** A file that breaks off (a truncated .gz or zip) ends with one dead letter instead of failing the job. */
        @Override
        public DecodeResult read() {
            if (broken) {
                return null;
            }
            try {
                DecodeResult record = records.next();
                if (record != null) {
                    ReplayProgress.recordRead(records.lastRecordBytes());
                    return future.check(record);
                }
                return null;
            } catch (IOException e) {
                broken = true;
                BROKEN_FILES.warn("unreadable input, its records before the break were read: " + e);
                return DecodeResult.dead("unreadable input: " + e.getMessage() + " (the records before it were read)", "");
            }
        }

        @Override
        public void close() throws IOException {
            input.close();
        }
    }
}
