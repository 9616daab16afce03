package dev.sigmacep.job;

import dev.sigmacep.event.JsonRecordSplitter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a telemetry file as JSON records (NDJSON or pretty-printed objects back to back). {@code .gz} files
 * arrive already decompressed by the file source (by extension); zip archives are recognised by their magic
 * bytes and all their entries are read in order.
 */
public final class JsonRecordFormat implements StreamFormat<String> {
    private final int maxRecordChars;

    public JsonRecordFormat(int maxRecordChars) {
        this.maxRecordChars = maxRecordChars;
    }

    @Override
    public Reader<String> createReader(Configuration config, FSDataInputStream stream, long fileLen, long splitEnd)
            throws IOException {
        return new RecordReader(TelemetryStreams.unzipIfArchive(stream), maxRecordChars);
    }

    @Override
    public Reader<String> restoreReader(Configuration config, FSDataInputStream stream, long restoredOffset,
                                        long fileLen, long splitEnd) throws IOException {
        // not splittable: the file source re-reads the file and skips the records already emitted
        return createReader(config, stream, fileLen, splitEnd);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }

    private static final class RecordReader implements StreamFormat.Reader<String> {
        private final InputStream input;
        private final JsonRecordSplitter splitter;

        RecordReader(InputStream input, int maxRecordChars) {
            this.input = input;
            // one char over the limit: a record cut there is recognisably too large for DecodeFunction
            this.splitter = new JsonRecordSplitter(new InputStreamReader(input, StandardCharsets.UTF_8), maxRecordChars + 1);
        }

        @Override
        public String read() throws IOException {
            String record = splitter.next();
            if (record != null) {
                ReplayProgress.recordRead(record.length());
            }
            return record;
        }

        @Override
        public void close() throws IOException {
            input.close();
        }
    }
}
