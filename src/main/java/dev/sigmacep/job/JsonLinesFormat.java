package dev.sigmacep.job;

import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.EventDecoder;
import dev.sigmacep.event.JsonLines;
import dev.sigmacep.log.RateLimitedLog;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Reads a JSON Lines file ({@code .ndjson}, {@code .jsonl}, also {@code .gz}) as decoded records, a line each. The
 * file source may cut an uncompressed file into byte ranges read in parallel: each range reads the lines that start
 * in it. After a restore the range is read again from its start and the records already emitted are skipped.
 */
public final class JsonLinesFormat implements StreamFormat<DecodeResult> {
    private static final RateLimitedLog BROKEN_FILES = new RateLimitedLog(LoggerFactory.getLogger(JsonLinesFormat.class), 10);

    private final int maxRecordBytes;
    private final FutureEvents future;

    public JsonLinesFormat(int maxRecordBytes) {
        this(maxRecordBytes, FutureEvents.NONE);
    }

    /** @param future the events this source turns into dead letters for their time, before watermarks see them */
    public JsonLinesFormat(int maxRecordBytes, FutureEvents future) {
        this.maxRecordBytes = maxRecordBytes;
        this.future = future;
    }

    @Override
    public Reader<DecodeResult> createReader(Configuration config, FSDataInputStream stream, long fileLen,
                                             long splitEnd) throws IOException {
        long start = stream.getPos();
        // a range that is the whole file reads to the stream's end: a compressed file's length is not its text's
        long end = start == 0 && splitEnd >= fileLen ? Long.MAX_VALUE : splitEnd;
        long position = start;
        if (start > 0) {
            position = start - 1; // see JsonLines: the byte before the range tells whether a line starts at it
            stream.seek(position);
        }
        return new LinesReader(stream, new JsonLines(stream, position, start, end, maxRecordBytes),
                new EventDecoder(maxRecordBytes), future);
    }

    @Override
    public Reader<DecodeResult> restoreReader(Configuration config, FSDataInputStream stream, long restoredOffset,
                                              long fileLen, long splitEnd) throws IOException {
        // positions are never checkpointed as offsets (getCheckpointedPosition is null): this is not called
        throw new IOException("JsonLinesFormat restores by re-reading its range, not from offset " + restoredOffset);
    }

    @Override
    public boolean isSplittable() {
        return true;
    }

    @Override
    public TypeInformation<DecodeResult> getProducedType() {
        return TypeInformation.of(DecodeResult.class);
    }

    private static final class LinesReader implements StreamFormat.Reader<DecodeResult> {
        private final FSDataInputStream stream;
        private final JsonLines lines;
        private final EventDecoder decoder;
        private final FutureEvents future;
        private boolean broken;

        LinesReader(FSDataInputStream stream, JsonLines lines, EventDecoder decoder, FutureEvents future) {
            this.stream = stream;
            this.lines = lines;
            this.decoder = decoder;
            this.future = future;
        }

        /** A file that cannot be read on ends with one dead letter instead of failing the job. */
        @Override
        public DecodeResult read() {
            if (broken) {
                return null;
            }
            try {
                if (!lines.next()) {
                    return null;
                }
                ReplayProgress.recordRead(lines.lineBytes());
                return future.check(decoder.decodeLine(lines));
            } catch (IOException e) {
                broken = true;
                BROKEN_FILES.warn("unreadable input, its records before the break were read: " + e);
                return DecodeResult.dead("unreadable input: " + e.getMessage() + " (the records before it were read)", "");
            }
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }
}
